"""The published figures bundled beside the spec: DEA purity and CBSA seizures, each with
its source, read into the arrays the model fits."""

from __future__ import annotations

import numpy as np
import pytest

from borderflow.model.data import load_published
from borderflow.model.published import cbsa_seizures, dea_purity
from borderflow.model.spec import load_spec

YEARS = tuple(range(2019, 2026))


def test_every_figure_names_its_source_and_unfitted_ones_say_why() -> None:
    figures = [*dea_purity(), *cbsa_seizures()]
    assert len(figures) >= 10
    for figure in figures:
        assert figure.source.url.startswith("http"), figure.id
        assert figure.source.publisher.strip(), figure.id
    for seizure in cbsa_seizures():
        assert seizure.fit or seizure.why_not.strip(), seizure.id


def test_cbsa_fiscal_years_split_over_us_fiscal_years() -> None:
    by_id = {c.id: c for c in cbsa_seizures()}
    # CBSA's 2022-23 runs April 2022 to March 2023: six months of FY2022 (Apr-Sep 2022)
    # and six of FY2023 (Oct 2022-Mar 2023).
    weights = by_id["cbsa-fy2022-23-all"].year_weights(YEARS)
    assert weights == pytest.approx([0, 0, 0, 0.5, 0.5, 0, 0])
    # Calendar 2023: October-December fall in FY2024.
    assert by_id["cbsa-2023-inbound"].year_weights(YEARS) == pytest.approx(
        [0, 0, 0, 0, 0.75, 0.25, 0]
    )
    # A figure that reaches back before FY2019 has no place in the fitted years.
    assert by_id["cbsa-2018-inbound"].year_weights(YEARS) is None


def test_published_arrays_hold_the_fitted_figures_only() -> None:
    spec = load_spec()
    pub = load_published(spec, YEARS)
    mx = list(spec.producers).index("MX")
    fy2025 = YEARS.index(2025)
    # DEA: 10.3% powder purity in FY2025, on the logit scale.
    assert pub.purity_logit[mx, fy2025] == pytest.approx(np.log(0.103 / 0.897))
    assert np.isnan(pub.purity_logit[mx, YEARS.index(2020)])
    fitted = {c.id for c in cbsa_seizures() if c.fit}
    assert set(pub.cbsa_ids) == fitted
    # Calendar 2023 overlaps two CBSA fiscal-year totals, so it is not fitted (an anchor).
    assert "cbsa-2023-inbound" not in pub.cbsa_ids
    j = pub.cbsa_ids.index("cbsa-fy2023-24-all")
    assert pub.cbsa_bound[j] == 0 and pub.cbsa_kg[j] == pytest.approx(0.946)
    np.testing.assert_allclose(pub.cbsa_inbound[j], pub.cbsa_outbound[j])


def test_a_spec_without_canadian_exports_fits_no_figure_that_counts_them() -> None:
    spec = load_spec()
    text = spec.text
    for edge in spec.edges:
        if edge.producer == "CA" and edge.detection_origin is not None:
            line = next(x for x in text.splitlines() if "detection_origin" in x
                        and x.strip().startswith("detection_origin"))  # fmt: skip
            text = text.replace(line + "\n", "", 1)
    from borderflow.model.spec import spec_from_text

    edited = spec_from_text(text, "my.yaml")
    assert not any(e.detection_origin for e in edited.edges)
    # Every fitted CBSA figure counts both directions, so none is left.
    assert load_published(edited, YEARS).cbsa_ids == ()
