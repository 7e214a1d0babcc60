"""The pages in a real browser: Playwright driving Debian's chromium (installed by
.ci/run; Playwright's own browser download is never used) against the app served by
uvicorn on loopback. Each test saves a screenshot under test-output/screenshots/.

The pages run under the app's Content-Security-Policy: every test fails on a policy
violation or a script error, and waits through locators (a string evaluated in the page,
as `wait_for_function` does, is refused by that policy, like any other eval)."""

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
from tests.web.conftest import build_store

SHOTS = Path(os.environ.get("BORDERFLOW_TEST_OUTPUT", ROOT / "test-output")) / "screenshots"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "Debian's chromium is not installed (apt-get install chromium; make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}"
    build_store(url, fit=True).close()
    return url


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    import uvicorn

    url = store_url
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


@pytest.fixture(scope="module")
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


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_overview_draws_its_charts(page: Any) -> None:
    page.goto("/")
    page.wait_for_selector("#seizures-chart .main-svg")
    page.wait_for_selector("#deaths-chart .main-svg")
    page.wait_for_selector("#share-chart .main-svg")
    page.get_by_role("button", name="Land border only").click()
    page.locator("#seizures-chart", has_text="land ports").wait_for()
    page.wait_for_selector("#seizures-chart .main-svg")
    _shot(page, "overview")


def test_filter_the_claims_table(page: Any) -> None:
    page.goto("/claims")
    total = page.locator("#claims tbody tr").count()
    page.select_option("select[name=measure]", "seizure")
    page.wait_for_url("**measure=seizure**")
    measures = page.locator("#claims tbody tr td:nth-child(2)")
    expect(measures.filter(has_not_text="seizure")).to_have_count(0)
    shown = page.locator("#claims tbody tr").count()
    assert 0 < shown <= total
    _shot(page, "claims-filtered")


def test_seed_document_claim_leads_to_its_verdict(page: Any, seeds_dir: Path) -> None:
    page.goto("/documents?q=northern")
    page.locator("#documents-table tbody a").first.click()
    page.wait_for_selector("article.text a.claim")
    checked = page.locator("article.text a.claim:not(.verdict-none)")
    target = checked.first if checked.count() else page.locator("article.text a.claim").first
    words = target.text_content()
    _shot(page, "seed-document")
    target.click()
    page.wait_for_selector("h1")
    assert words in page.locator("h1").text_content()
    assert page.locator("h2", has_text="Checks").count() == 1
    _shot(page, "seed-claim")


def test_run_a_scenario(page: Any) -> None:
    page.goto("/model")
    page.wait_for_selector("#sankey-chart .main-svg")
    page.fill("input[name=north_resources]", "2")
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_selector("#scenario-table", timeout=60_000)
    assert page.locator("#scenario-table td", has_text="your scenario").count() > 0
    _shot(page, "scenario")


def test_upload_a_document(page: Any, tmp_path: Path) -> None:
    article = tmp_path / "border-brief.txt"
    article.write_text(
        "Border brief\n\nCBP seized 43 pounds of fentanyl at the northern border in fiscal "
        "year 2024, against 21,100 pounds at the southwest border.\n"
    )
    page.goto("/upload")
    page.set_input_files("input[name=file]", str(article))
    page.fill("input[name=outlet]", "Browser Test Wire")
    page.get_by_role("button", name="Add and check").click()
    page.wait_for_selector("article.text a.claim")
    assert "Border brief" in page.locator("h1").text_content()
    assert page.locator("article.text a.claim").count() >= 2
    _shot(page, "uploaded")


def test_report_opens_offline(browser: Any, store_url: str, tmp_path: Path) -> None:
    from borderflow.report.build import write_report
    from borderflow.store import Store

    with Store.open(store_url) as store:
        path = write_report(store, tmp_path / "report.html")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    context.route("**/*", lambda route: (fetched.append(route.request.url), route.continue_()))
    tab = context.new_page()
    tab.goto(path.as_uri())
    tab.wait_for_selector("#chart-seizures-all .main-svg")
    tab.wait_for_selector("#chart-sankey .main-svg")
    assert tab.locator("#report-claims tbody tr").count() > 10
    _shot(tab, "report")
    context.close()
    assert fetched == [path.as_uri()]  # the file itself, nothing else


def test_upload_several_documents(page: Any, tmp_path: Path) -> None:
    names = []
    for i, place in enumerate(("Windsor", "Sarnia", "Blaine")):
        brief = tmp_path / f"brief-{i}.txt"
        brief.write_text(
            f"Port brief {place}\n\nOfficers seized {7 + i} kg of fentanyl at {place}.\n"
        )
        names.append(str(brief))
    junk = tmp_path / "tool.exe"
    junk.write_bytes(b"MZ")
    page.goto("/upload")
    page.set_input_files("input[name=file]", [*names, str(junk)])
    page.get_by_role("button", name="Add and check").click()
    results = page.locator("#upload-results li")
    expect(results).to_have_count(4)  # one line per file, the refused one included
    expect(results.locator("a")).to_have_count(3)
    expect(results.nth(3)).to_contain_text("tool.exe: unsupported file type")
    _shot(page, "uploaded-several")
    results.locator("a").nth(1).click()
    page.wait_for_selector("article.text a.claim")
    assert "Sarnia" in page.locator("h1").text_content()


def test_a_page_on_another_site_cannot_post_here(browser: Any, server: str, store_url: str) -> None:
    from borderflow.store import Store, listings

    elsewhere = "http://elsewhere.example/"
    attack = (
        f'<form method="post" action="{server}/upload" enctype="multipart/form-data">'
        '<input name="text" value="Agents seized 987 kg of fentanyl in Ohio."></form>'
        "<script>document.forms[0].submit()</script>"
    )
    context = browser.new_context()
    context.route(elsewhere, lambda route: route.fulfill(body=attack, content_type="text/html"))
    tab = context.new_page()
    with tab.expect_response(f"{server}/upload") as answered:
        tab.goto(elsewhere)
    assert answered.value.status == 403  # the browser said where the form came from
    tab.wait_for_load_state()
    assert "cross-site request refused" in tab.locator("p.error").text_content()
    _shot(tab, "cross-site-refused")
    context.close()
    with Store.open(store_url) as store:
        assert listings.documents(store, q="987 kg").total == 0


def test_api_docs_render_offline(page: Any) -> None:
    # Swagger UI from the installed package: the fixture fails the test if any request
    # leaves loopback or the page's policy blocks a script.
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    assert page.locator(".opblock").count() > 5
    _shot(page, "api-docs")
