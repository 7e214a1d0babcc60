"""Regenerate src/borderflow/samples/dose-conventions.pdf, the demo's PDF sample.

Run with the dev extras installed: `.venv/bin/python scripts/make_sample_pdf.py`.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

TARGET = (
    Path(__file__).resolve().parents[1] / "src" / "borderflow" / "samples" / "dose-conventions.pdf"
)

PARAGRAPHS = [
    "This sample memo was written for the borderflow demo. It states the dose convention the "
    "project uses and where it comes from.",
    "The DEA considers 2 milligrams of fentanyl a potentially lethal dose. At that rate one "
    "kilogram of pure fentanyl holds up to 500,000 potentially lethal doses, and 54 kilograms "
    "would hold about 27 million.",
    "In 2023 the DEA said it seized more than 79 million fake pills containing fentanyl and "
    "nearly 12,000 pounds of fentanyl powder.",
    "Precursor chemicals are often reported by volume rather than by weight: an illustrative "
    "shipment of 200 litres of a liquid precursor is about 53 gallons.",
]


def main() -> None:
    pdf = FPDF()
    pdf.set_title("Sample memo: fentanyl dose conventions")
    pdf.set_author("borderflow sample")
    pdf.set_creation_date(__import__("datetime").datetime(2025, 4, 1))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, "Sample memo: fentanyl dose conventions")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for paragraph in PARAGRAPHS:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(3)
    pdf.output(str(TARGET))


if __name__ == "__main__":
    main()
