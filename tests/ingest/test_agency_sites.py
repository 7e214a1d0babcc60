"""A release saved from an agency's own site is the agency's: the page's site name
("Canada.ca") names no agency, its address does (agencies.yaml `sites`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderflow.extract import DocumentMeta, extract_claims
from borderflow.ingest.readers import read_document
from borderflow.vocab import load_vocabulary
from borderflow.vocab.sites import site_owner

LIMIT = 1_000_000
RELEASE = (
    "<html><head><title>Fentanyl intercepted at the Port of Montreal</title>"
    "<meta property='og:site_name' content='Canada.ca'>"
    "<meta property='og:url' content='{url}'>"
    "<meta name='dcterms.issued' content='2025-03-14'></head><body><main>"
    "<h1>Fentanyl intercepted at the Port of Montreal</h1>"
    "<p>Border services officers examining a marine container at the Port of Montreal on "
    "February 20 found 12 kilograms of suspected fentanyl hidden in a shipment of auto "
    "parts. The case was handed to the RCMP for investigation.</p></main></body></html>"
)


def _release(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "release.html"
    path.write_text(RELEASE.format(url=url), encoding="utf-8")
    return path


def test_a_release_from_the_agencys_own_site_is_the_agencys(tmp_path: Path) -> None:
    url = "https://www.canada.ca/en/border-services-agency/news/2025/03/intercepted.html"
    doc = read_document(_release(tmp_path, url), "release.html", max_bytes=LIMIT)
    assert doc.outlet == "CBSA"
    meta = DocumentMeta(published=doc.published, outlet=doc.outlet)
    [claim] = [c for c in extract_claims(doc.text, meta) if c.value == 12]
    assert (claim.measure, claim.agency, claim.speaker) == ("seizure", "CBSA", "CBSA")


def test_another_part_of_a_shared_site_is_nobodys_own(tmp_path: Path) -> None:
    url = "https://www.canada.ca/en/news/archive/2025/03/intercepted.html"
    doc = read_document(_release(tmp_path, url), "release.html", max_bytes=LIMIT)
    assert doc.outlet == "Canada.ca"


def test_the_outlet_a_user_names_wins(tmp_path: Path) -> None:
    url = "https://www.canada.ca/en/border-services-agency/news/2025/03/intercepted.html"
    path = _release(tmp_path, url)
    doc = read_document(path, "release.html", max_bytes=LIMIT, outlet="Montreal Gazette")
    assert doc.outlet == "Montreal Gazette"


@pytest.mark.parametrize(
    ("url", "owner"),
    [
        ("https://www.cbp.gov/newsroom/local-media-release/some-seizure", "CBP"),
        ("http://cbsa-asfc.gc.ca/media/release-communique/2024", "CBSA"),
        ("https://www.canada.ca/en/public-health/news/2024/12/harms.html", "PHAC"),
        ("https://health-infobase.canada.ca/substance-related-harms/opioids-stimulants/", "PHAC"),
        ("www.dea.gov/press-releases/2025/01/10/x", "DEA"),
        ("https://www.canada.ca/en/border-services-agencies/x", None),  # not its path
        ("https://www.dea.gov.example.com/x", None),  # not its host
        ("https://mycbp.gov.example.org", None),
        ("https://www.nytimes.com/2025/03/01/us/fentanyl.html", None),
        ("", None),
    ],
)
def test_whose_site_an_address_is_on(url: str, owner: str | None) -> None:
    assert site_owner(url, load_vocabulary().agencies) == owner
