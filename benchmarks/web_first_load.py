"""Web benchmark: the first load of each page on a slow phone, with a cold browser cache.

Each page opens in a fresh browser context throttled through the Chrome DevTools Protocol
to a "Fast 3G"-like link (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip) and a CPU
four times slower than this machine's. The table gives the bytes that crossed the wire
(headers and compressed bodies), the requests, when the DOM was ready and the page loaded,
and when its charts were drawn (app.js marks `borderflow:charts-drawn` once Plotly, which
only chart pages fetch, has drawn them).

Usage: python benchmarks/web_first_load.py   (serves a store of the samples, the seed
articles, every official file in ../shared/data and a short model fit; appends to
benchmarks/RESULTS.md). tests/web/test_browser_layout.py runs `measure` against the test
server and writes the same table to test-output/first-load.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

DOWN_BYTES_PER_S = 1_600_000 / 8
UP_BYTES_PER_S = 750_000 / 8
RTT_MS = 150
CPU_SLOWDOWN = 4
CHART_MARK = "borderflow:charts-drawn"
CHART_WAIT_S = 120


@dataclass
class Transfer:
    """One response as the browser received it."""

    url: str
    encoding: str = ""
    wire_bytes: int = 0


@dataclass
class FirstLoad:
    """A page's first load: what crossed the wire and when it was usable (ms from the
    start of navigation; `chart_ms` None on a page without charts)."""

    path: str
    transfers: list[Transfer] = field(default_factory=list)
    dom_ready_ms: float = 0.0
    load_ms: float = 0.0
    chart_ms: float | None = None

    @property
    def wire_bytes(self) -> int:
        return sum(t.wire_bytes for t in self.transfers)

    def of(self, word: str) -> list[Transfer]:
        """The transfers whose URL contains `word` ("plotly", "site.css")."""
        return [t for t in self.transfers if word in t.url]


def measure_page(browser: Any, base_url: str, path: str, *, throttle: bool = True) -> FirstLoad:
    """Load `path` once in a fresh context (nothing cached) and record it."""
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        cdp = context.new_cdp_session(tab)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if throttle:
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": RTT_MS,
                    "downloadThroughput": DOWN_BYTES_PER_S,
                    "uploadThroughput": UP_BYTES_PER_S,
                },
            )
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        seen: dict[str, Transfer] = {}
        result = FirstLoad(path)

        def answered(event: dict[str, Any]) -> None:
            response = event["response"]
            headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
            seen[event["requestId"]] = Transfer(
                response["url"], encoding=headers.get("content-encoding", "")
            )

        def finished(event: dict[str, Any]) -> None:
            transfer = seen.get(event["requestId"])
            if transfer is not None and not transfer.url.startswith("data:"):
                transfer.wire_bytes = int(event["encodedDataLength"])
                result.transfers.append(transfer)

        cdp.on("Network.responseReceived", answered)
        cdp.on("Network.loadingFinished", finished)
        tab.goto(path, wait_until="load", timeout=CHART_WAIT_S * 1000)
        if tab.locator("script[data-chart]").count():
            result.chart_ms = _wait_for_mark(tab)
        timing = tab.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0];"
            " return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()"
        )
        result.dom_ready_ms, result.load_ms = float(timing[0]), float(timing[1])
        tab.wait_for_timeout(200)  # the last loadingFinished events
        return result
    finally:
        context.close()


def _wait_for_mark(tab: Any) -> float:
    """When app.js marked the charts drawn (the page's policy refuses the string a
    `wait_for_function` would evaluate, so this polls)."""
    deadline = time.monotonic() + CHART_WAIT_S
    while time.monotonic() < deadline:
        marks = tab.evaluate(f"performance.getEntriesByName({CHART_MARK!r}).map(m => m.startTime)")
        if marks:
            return float(marks[0])
        tab.wait_for_timeout(100)
    raise TimeoutError(f"{tab.url}: charts not drawn within {CHART_WAIT_S} s")


def measure(
    browser: Any, base_url: str, paths: list[str], *, throttle: bool = True
) -> list[FirstLoad]:
    return [measure_page(browser, base_url, p, throttle=throttle) for p in paths]


def report(loads: list[FirstLoad]) -> str:
    """The results as a Markdown table, with the profile they were taken on."""
    rows = []
    for load in loads:
        plotly = load.of("plotly")
        rows.append(
            "| "
            + " | ".join(
                [
                    f"`{load.path}`",
                    f"{load.wire_bytes / 1000:,.0f}",
                    str(len(load.transfers)),
                    f"{load.dom_ready_ms:,.0f}",
                    f"{load.load_ms:,.0f}",
                    "" if load.chart_ms is None else f"{load.chart_ms:,.0f}",
                    f"{plotly[0].wire_bytes / 1000:,.0f} ({plotly[0].encoding or 'identity'})"
                    if plotly
                    else "not loaded",
                ]
            )
            + " |"
        )
    head = (
        "| page | kB transferred | requests | DOMContentLoaded ms | load ms | charts drawn ms "
        "| Plotly kB |\n|---|---|---|---|---|---|---|"
    )
    profile = (
        f"Cold cache, 390x844 viewport, {DOWN_BYTES_PER_S * 8 / 1e6:.1f} Mbit/s down, "
        f"{UP_BYTES_PER_S * 8 / 1e3:.0f} kbit/s up, {RTT_MS} ms round trip, CPU "
        f"{CPU_SLOWDOWN}x slower (Chrome DevTools Protocol throttling, Debian's chromium)."
    )
    return f"{head}\n" + "\n".join(rows) + f"\n\n{profile}"


def main() -> None:
    import shutil
    import tempfile
    from pathlib import Path

    import httpx
    from playwright.sync_api import sync_playwright

    from _common import ROOT, record, served
    from borderflow.checks.runner import run_and_store
    from borderflow.datasets.bundle import reference_files
    from borderflow.datasets.importer import import_files
    from borderflow.ingest.pipeline import ingest_paths
    from borderflow.model.api import fit_model
    from borderflow.model.fit import FitSettings
    from borderflow.store import Store

    shared = ROOT.parent / "shared"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'first-load.db'}"
        with Store.open(url) as store:
            samples = Path(__file__).resolve().parents[1] / "src" / "borderflow" / "samples"
            ingest_paths([samples, shared / "seeds"], store, max_bytes=20_000_000, workers=1)
            official = sorted(
                p for p in (shared / "data").rglob("*") if p.is_file() and p.suffix != ".md"
            )
            import_files(store, [*reference_files(), *official])
            run_and_store(store)
            fit_model(
                store, years=(2019, 2025),
                settings=FitSettings(chains=4, warmup=400, draws=400, seed=1),
            )  # fmt: skip
        with served(url) as base:
            document = httpx.get(f"{base}/api/v1/documents").json()["items"][0]["id"]
            claim = httpx.get(f"{base}/api/v1/claims").json()["items"][0]["id"]
            paths = [
                "/", "/documents", f"/documents/{document}", "/claims", f"/claims/{claim}",
                "/data", "/data?source=phac", "/model", "/upload",
            ]  # fmt: skip
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "chromium",
                    args=["--no-sandbox", "--disable-gpu"],
                )
                loads = measure(browser, base, paths)
                browser.close()
    record("First load of each page on a slow phone (benchmarks/web_first_load.py)", report(loads))


if __name__ == "__main__":
    main()
