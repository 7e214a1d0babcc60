"""Typed records that cross layer boundaries: claims (extraction to store to checks),
observations (importers to store to series), verdicts (checks to store to the faces).

They sit below every layer and depend on nothing but the standard library, so the store
can persist them and the layers above can read them without any `dict[str, Any]` contract.
"""
