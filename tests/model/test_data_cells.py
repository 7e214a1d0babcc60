"""CBP rows booked to the model's cells by Area of Responsibility, checked against sums
taken straight from CBP's file with the csv module."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from borderflow.datasets.bundle import reference_dir
from borderflow.model.data import load_model_data
from borderflow.model.spec import load_spec
from borderflow.store import Store
from borderflow.units import LB_TO_KG


def _fy2024_coastal_pounds() -> dict[tuple[str, str], float]:
    """FY2024 fentanyl pounds per (component, area) in the Coastal/Interior region, read
    from the release that holds the whole year."""
    path = reference_dir() / "cbp--nationwide-drugs-fy23-fy26-dec.csv"
    out: dict[tuple[str, str], float] = defaultdict(float)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            fy2024 = row["FY"].startswith("2024") and row["Drug Type"] == "Fentanyl"
            if fy2024 and row["Region"] == "Coastal/Interior":
                key = (row["Component"], row["Area of Responsibility"])
                out[key] += float(row["Sum Qty (lbs)"])
    return out


def test_coastal_rows_split_between_mail_hubs_and_ports_without_loss(store: Store) -> None:
    data = load_model_data(store, load_spec(), (2019, 2025))
    t = data.years.index(2024)
    cells = list(data.cells)
    mail = data.seized_kg[cells.index("CI-mail-OFO"), t] / LB_TO_KG
    ports = data.seized_kg[cells.index("CI-ports"), t] / LB_TO_KG
    raw = _fy2024_coastal_pounds()
    assert mail + ports == pytest.approx(sum(raw.values()), rel=1e-9)
    houston = raw[("Office of Field Operations", "HOUSTON FIELD OFFICE")]
    chicago = raw[("Office of Field Operations", "CHICAGO FIELD OFFICE")]
    assert houston > 100 and chicago > 100  # FY2024 had large events at both
    # Houston's port events are not mail; Chicago's express hubs are.
    assert ports >= houston and mail >= chicago
    assert ports < houston + (sum(raw.values()) - houston - chicago)
