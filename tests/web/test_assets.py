"""The stylesheet and scripts the pages load: one stylesheet, named by its content, every
asset gzip-compressed and cached for good; pages, JSON and CSV compressed when the client
asks, with the response cache keeping each encoding apart."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderflow.presentation.assets import STATIC_DIR, vendor_script
from borderflow.records.verdicts import KINDS
from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, build_store

HTML = {"accept": "text/html"}
GZIP = {"accept-encoding": "gzip"}
PLAIN = {"accept-encoding": "identity"}
YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def assets_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('assets') / 'assets.db'}"
    build_store(url).close()
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as client:
        yield client


def _links(page: str) -> tuple[list[str], list[str]]:
    """(stylesheet hrefs, script srcs) of a page."""
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    return sheets, scripts


def _raw(client: TestClient, url: str, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The body exactly as sent (not decompressed) and the headers."""
    with client.stream("GET", url, headers=headers) as answer:
        assert answer.status_code == 200, url
        return b"".join(answer.iter_raw()), dict(answer.headers)


def _max_age(headers: dict[str, str]) -> int:
    found = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
    return int(found.group(1)) if found else 0


def test_pages_load_one_stylesheet_named_by_its_content(assets_client: TestClient) -> None:
    for path in ("/", "/documents", "/claims", "/model", "/upload", "/no/such/page"):
        sheets, _ = _links(assets_client.get(path, headers=HTML).text)
        assert len(sheets) == 1, (path, sheets)
        assert re.fullmatch(r"/assets/site\.[0-9a-f]{16}\.css", sheets[0])
    css = assets_client.get(sheets[0]).text
    # Every part in static/ and the verdict colours, the shell's own rules first.
    parts = sorted(STATIC_DIR.glob("*.css"))
    assert len(parts) >= 1
    for part in parts:
        assert part.read_text(encoding="utf-8").strip() in css, part.name
    assert css.startswith((STATIC_DIR / "app.css").read_text(encoding="utf-8"))
    assert all(f".verdict.verdict-{k.kind.value}" in css for k in KINDS)


def test_the_report_carries_the_same_stylesheet(assets_client: TestClient) -> None:
    from borderflow.presentation.assets import stylesheet

    sheets, _ = _links(assets_client.get("/", headers=HTML).text)
    assert assets_client.get(sheets[0]).text == stylesheet()


def test_assets_arrive_gzipped_and_cached_for_a_year(assets_client: TestClient) -> None:
    page = assets_client.get("/model", headers=HTML).text
    sheets, scripts = _links(page)
    plotly = re.search(r'data-plotly="(/vendor/plotly\.min\.[0-9a-f]{16}\.js)"', page)
    assert plotly, "app.js is told where Plotly is"
    for url in [*sheets, *scripts, plotly.group(1)]:
        body, headers = _raw(assets_client, url, GZIP)
        assert headers["content-encoding"] == "gzip", url
        assert "immutable" in headers["cache-control"] and _max_age(headers) >= YEAR, url
        assert headers["etag"] and "accept-encoding" in headers["vary"].lower()
        assert gzip.decompress(body)  # really gzip, decoded once
    body, headers = _raw(assets_client, plotly.group(1), GZIP)
    bundle = vendor_script("plotly.min.js").read_bytes()
    assert gzip.decompress(body) == bundle
    assert len(body) < len(bundle) / 2  # 4.8 MB down to about 1.5 MB


def test_a_client_without_gzip_gets_the_plain_file(assets_client: TestClient) -> None:
    page = assets_client.get("/", headers=HTML).text
    plotly = re.search(r'data-plotly="([^"]+)"', page)
    assert plotly
    body, headers = _raw(assets_client, plotly.group(1), PLAIN)
    assert "content-encoding" not in headers
    assert body == vendor_script("plotly.min.js").read_bytes()


def test_an_unchanged_asset_is_not_sent_again(assets_client: TestClient) -> None:
    sheets, _ = _links(assets_client.get("/", headers=HTML).text)
    etag = assets_client.get(sheets[0], headers=GZIP).headers["etag"]
    again = assets_client.get(sheets[0], headers={**GZIP, "if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    # The plain names still answer, revalidated rather than kept.
    plain = assets_client.get("/vendor/plotly.min.js", headers=GZIP)
    assert plain.status_code == 200 and plain.headers["cache-control"] == "no-cache"
    assert plain.headers["etag"]


def test_a_new_release_of_a_file_gets_a_new_url(assets_client: TestClient) -> None:
    """The digest in a URL is the content's, so an old URL can never serve new bytes."""
    from borderflow.web.static import Asset

    one = Asset.of_text("/assets", "site.css", "text/css", "body { color: red; }")
    two = Asset.of_text("/assets", "site.css", "text/css", "body { color: blue; }")
    assert one.url != two.url and one.plain_url == two.plain_url == "/assets/site.css"
    assert assets_client.get("/assets/site.0000000000000000.css").status_code == 404


def test_no_page_names_plotly_in_a_script_tag(assets_client: TestClient) -> None:
    """Plotly is loaded by app.js, only where a chart is drawn (the browser test checks
    which pages fetch it)."""
    for path in ("/", "/documents", "/claims", "/data", "/upload"):
        _, scripts = _links(assets_client.get(path, headers=HTML).text)
        assert scripts and not [s for s in scripts if "plotly" in s], path


@pytest.mark.parametrize("path", ["/", "/claims", "/documents"])
def test_pages_are_gzipped_when_asked_and_plain_when_not(
    assets_client: TestClient, path: str
) -> None:
    # Twice each, alternating: the second of each is replayed from the response cache,
    # which must not hand gzip to a client that did not ask for it, nor the reverse.
    for _ in range(2):
        packed, headers = _raw(assets_client, path, {**HTML, **GZIP})
        assert headers["content-encoding"] == "gzip"
        html = gzip.decompress(packed).decode()
        plain, plain_headers = _raw(assets_client, path, {**HTML, **PLAIN})
        assert "content-encoding" not in plain_headers
        assert plain.decode() == html and html.lstrip().startswith("<!doctype html>")
        assert len(packed) < len(plain) / 2


def test_json_and_csv_are_gzipped_and_read_back_the_same(assets_client: TestClient) -> None:
    packed, headers = _raw(assets_client, "/api/v1/claims?per_page=50", GZIP)
    assert headers["content-encoding"] == "gzip"
    plain, _ = _raw(assets_client, "/api/v1/claims?per_page=50", PLAIN)
    assert gzip.decompress(packed) == plain
    csv = "/api/v1/series/cbp?by=month&format=csv"
    packed, headers = _raw(assets_client, csv, GZIP)
    plain, plain_headers = _raw(assets_client, csv, PLAIN)
    assert headers["content-encoding"] == "gzip" and "content-encoding" not in plain_headers
    assert gzip.decompress(packed) == plain and plain.startswith(b"period,")
    assert headers["content-disposition"] == plain_headers["content-disposition"]
    assert "attachment" in headers["content-disposition"]


def test_the_static_files_are_still_there(assets_client: TestClient) -> None:
    for name in ("app.css", "app.js"):
        answer = assets_client.get(f"/static/{name}")
        assert answer.status_code == 200
        assert answer.text == Path(STATIC_DIR / name).read_text(encoding="utf-8")
