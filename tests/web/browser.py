"""Browser fixtures for every browser test module: Playwright driving Debian's chromium
(installed by .ci/run; Playwright's own browser download is never used) against the app
served by uvicorn on loopback, over one store per test process: the bundled samples, the
seeds, every official file in ../shared/data and a model fit that converged (a copy of the
web tests' fitted store, tests/web/conftest.py, so the process fits once).

The pages run under the app's Content-Security-Policy: the `page` fixture fails its test
on a policy violation, a script error or any request leaving loopback, and tests wait
through locators (a string evaluated in the page, as `wait_for_function` does, is refused
by that policy, like any other eval)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.conftest import ROOT
from tests.fits import copy_store

SHOTS = Path(os.environ.get("BORDERFLOW_TEST_OUTPUT", ROOT / "test-output")) / "screenshots"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "Debian's chromium is not installed (apt-get install chromium; make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def browser_store_url(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, fitted_store: Path
) -> str:
    from borderflow.datasets.importer import import_files
    from borderflow.store import Store

    url = copy_store(fitted_store, tmp_path_factory.mktemp("browser") / "browser.db")
    with Store.open(url) as store:
        official = sorted(p for p in data_dir.rglob("*") if p.is_file() and p.suffix != ".md")
        _, errors = import_files(store, official)
        assert not errors, errors
    return url


@pytest.fixture(scope="session")
def server(browser_store_url: str) -> Iterator[str]:
    import uvicorn

    url = browser_store_url
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(WebConfig(url)), host="127.0.0.1", port=port, log_level="warning"
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


# Reports every Content-Security-Policy violation on the console, where the test sees it.
_REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => console.error(
  'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile));
"""


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.add_init_script(_REPORT_VIOLATIONS)
    problems: list[str] = []
    # Offline means offline: any request that leaves loopback fails the test.
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(server)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    tab = context.new_page()
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    yield tab
    context.close()
    assert not outside, f"requests left loopback: {outside}"
    assert not problems, f"errors in the browser console: {problems}"


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
