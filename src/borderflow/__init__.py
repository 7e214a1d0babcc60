"""borderflow: evidence-grounded modelling of the illicit fentanyl supply across North America."""

__version__ = "0.1.0"
