"""The page shell in a real browser (fixtures in tests/web/browser.py): every page fits a
phone, keyboard users can skip the navigation, Plotly is fetched only by pages that draw
charts and arrives compressed, no page has a serious accessibility fault (axe-core), and
what each page's first load sends is within bounds (its speed on a slow phone is measured
by benchmarks/web_first_load.py).

Screenshots: test-output/screenshots/phone-*.png."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import ROOT
from tests.web.browser import SHOTS, expect, shot

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WITHOUT_CHARTS = ("/documents", "/claims", "/upload")
WITH_CHARTS = ("/", "/data")
# What app.js draws into: the element holding a chart's figure.
CHART_HOLDER = ":has(> script[data-chart])"


@pytest.fixture(scope="module")
def paths(server: str) -> list[str]:
    """Every page a reader reaches, with ids and a citation taken from the store."""
    api = f"{server}/api/v1"
    document = httpx.get(f"{api}/documents").json()["items"][0]["id"]
    claim = httpx.get(f"{api}/claims").json()["items"][0]["id"]
    release = next(r for r in httpx.get(f"{api}/releases").json() if r["source"] == "cbp")
    return [
        "/", "/documents", f"/documents/{document}", "/claims", f"/claims/{claim}",
        "/data", "/data?source=phac", "/model", "/upload",
        f"/observations?release={quote(release['file_name'])}&line=2",
    ]  # fmt: skip


class Watched:
    """A browser context at one viewport whose tab records every request, and fails the
    test (as the `page` fixture does) on a console error or a request off loopback."""

    def __init__(self, browser: Any, server: str, viewport: dict[str, int]) -> None:
        self.server = server
        self.context = browser.new_context(base_url=server, viewport=viewport)
        self.context.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) => console.error("
            "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.context.route("**/*", self._route)
        self.tab = self.context.new_page()
        self.tab.on("request", lambda r: self.requests.append(r.url))
        self.tab.on(
            "console", lambda m: self.problems.append(m.text) if m.type == "error" else None
        )
        self.tab.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.server):
            route.continue_()
        else:
            self.problems.append(f"left loopback: {route.request.url}")
            route.abort()

    def open(self, path: str) -> None:
        """Go to `path` and wait until its charts, if any, are drawn."""
        self.requests.clear()
        answer = self.tab.goto(path)
        assert answer is not None and answer.status == 200, path
        expect(self.tab.locator(f"{CHART_HOLDER}:not(:has(.main-svg))")).to_have_count(0)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Watched]:
    watched = Watched(browser, server, PHONE)
    yield watched
    watched.close()


def _name(path: str) -> str:
    return re.sub(r"[^\w-]+", "-", path.split("&")[0]).strip("-") or "overview"


def test_every_page_fits_a_phone(phone: Watched, paths: list[str]) -> None:
    wide = {}
    for path in paths:
        phone.open(path)
        shot(phone.tab, f"phone-{_name(path)}")
        width = phone.tab.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    assert not wide, f"pages wider than the phone (scrollWidth): {wide}"


def test_every_checked_claim_page_fits_a_phone(phone: Watched, server: str) -> None:
    """Claim pages cite release files and lines ("cdc_api_provisional_overdose_counts.csv,
    line 5840"): long unbroken words that pushed the page sideways."""
    found = httpx.get(f"{server}/api/v1/checks", params={"per_page": 200}).json()["items"]
    claims = sorted({c["claim_id"] for c in found if c["citations"]})
    assert len(claims) >= 10
    wide = {}
    for claim in claims:
        phone.open(f"/claims/{claim}")
        width = phone.tab.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[claim] = width
    assert not wide, f"claim pages wider than the phone (scrollWidth): {wide}"


def test_a_wide_table_scrolls_in_its_own_box(phone: Watched) -> None:
    phone.open("/claims")
    table = phone.tab.locator("table.data").first
    sizes = table.evaluate("t => [t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto"  # wider than the screen, scrolling
    # A keyboard user can reach the box to scroll it.
    assert table.get_attribute("tabindex") == "0"


def test_the_skip_link_comes_first_and_moves_focus_to_main(phone: Watched) -> None:
    phone.open("/claims")
    tab = phone.tab
    skip = tab.locator("a.skip")
    assert skip.bounding_box()["y"] < 0  # out of sight until focused
    tab.keyboard.press("Tab")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    shot(tab, "phone-skip-link")
    tab.keyboard.press("Enter")
    expect(tab.locator("main#main")).to_be_focused()
    tab.keyboard.press("Tab")  # the next stop is inside main, past the navigation
    assert tab.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_landmarks_are_labelled(phone: Watched) -> None:
    phone.open("/documents")
    tab = phone.tab
    expect(tab.get_by_role("banner")).to_have_count(1)
    expect(tab.get_by_role("navigation", name="Main")).to_have_count(1)
    expect(tab.get_by_role("main")).to_have_count(1)
    expect(tab.get_by_role("contentinfo")).to_have_count(1)
    current = tab.get_by_role("navigation", name="Main").locator("[aria-current=page]")
    expect(current).to_have_text("Documents")


def test_plotly_loads_only_where_charts_are_drawn(phone: Watched) -> None:
    for path in WITHOUT_CHARTS:
        phone.open(path)
        phone.tab.wait_for_load_state("networkidle")
        assert not [u for u in phone.requests if "plotly" in u], path
        assert phone.tab.evaluate("typeof window.Plotly") == "undefined"
    for path in WITH_CHARTS:
        with phone.tab.expect_response(re.compile(r"/vendor/plotly[^/]*\.js$")) as plotly:
            phone.open(path)
        assert phone.tab.locator(f"{CHART_HOLDER} .main-svg").count() >= 1, path
        headers = plotly.value.all_headers()
        assert headers["content-encoding"] == "gzip"
        assert "immutable" in headers["cache-control"]


def test_the_stylesheet_and_scripts_arrive_gzipped_and_kept(phone: Watched) -> None:
    answers: list[Any] = []
    phone.tab.on("response", lambda answer: answers.append(answer))
    phone.open("/data")
    assets = [a for a in answers if re.search(r"/(assets|vendor)/", a.url)]
    kinds = {re.sub(r"\.[0-9a-f]{16}\.", ".", a.url.rsplit("/", 1)[1]) for a in assets}
    assert kinds == {"site.css", "app.js", "htmx.min.js", "plotly.min.js"}
    for answer in assets:
        headers = answer.all_headers()
        assert headers["content-encoding"] == "gzip", answer.url
        assert re.search(r"max-age=(\d{8,})", headers["cache-control"]), answer.url


def _axe_violations(browser: Any, server: str, path: str, viewport: dict[str, int]) -> list[str]:
    """The axe-core violations on a page that are more than minor (moderate, serious,
    critical: unlabelled or duplicate landmarks count, as do contrast, names and
    keyboard reach). axe comes from the
    axe-playwright-python wheel and is added as an init script, which the browser runs
    before the page's own and outside its Content-Security-Policy, so the policy stays on."""
    from axe_playwright_python.base import AXE_FILE_PATH

    watched = Watched(browser, server, viewport)
    watched.context.add_init_script(path=str(AXE_FILE_PATH))
    try:
        watched.open(path)
        result = watched.tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        watched.close()
    return [
        f"{path} {viewport['width']}px: {v['id']} ({v['impact']}) "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("moderate", "serious", "critical")
    ]


def test_no_page_has_an_accessibility_fault(browser: Any, server: str, paths: list[str]) -> None:
    found = []
    for viewport in (PHONE, DESKTOP):
        for path in paths:
            found += _axe_violations(browser, server, path, viewport)
    assert not found, "\n".join(found)


def _first_load() -> ModuleType:
    """benchmarks/web_first_load.py, which measures and reports a page's first load."""
    path = ROOT / "benchmarks" / "web_first_load.py"
    spec = importlib.util.spec_from_file_location("web_first_load", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_first_load_sends_few_bytes_and_plotly_only_where_charts_are(
    browser: Any, server: str, paths: list[str]
) -> None:
    """What each page's first load sends is asserted; how fast it is on a slow phone is
    the benchmark's to measure (benchmarks/web_first_load.py throttles the network and the
    CPU), so here the pages load unthrottled, and the bytes are the same. The timings
    still go to test-output/first-load.md."""
    first_load = _first_load()
    # One data page stands for both (the same chart and table, another source).
    wanted = [p for p in paths if "?source=" not in p]
    loads = first_load.measure(browser, server, wanted, throttle=False)
    table = first_load.report(loads)
    out = SHOTS.parent / "first-load.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"# First load of each page\n\n{table}\n", encoding="utf-8")
    print(f"\n{table}")
    by_path = {load.path: load for load in loads}
    for path in WITHOUT_CHARTS:
        load = by_path[path]
        assert not load.of("plotly") and load.chart_ms is None, path
        assert load.wire_bytes < 150_000, (path, load.wire_bytes)
    for path in WITH_CHARTS:
        (plotly,) = by_path[path].of("plotly")
        assert plotly.encoding == "gzip" and plotly.wire_bytes < 2_000_000, path
        assert by_path[path].chart_ms is not None
    for load in loads:
        sheets = load.of("/assets/site.")
        assert len(sheets) == 1 and sheets[0].encoding == "gzip", load.path
