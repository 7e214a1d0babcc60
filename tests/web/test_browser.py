"""The pages in a real browser (fixtures in tests/web/browser.py): each test saves a
screenshot under test-output/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import expect, shot

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)


def test_overview_draws_its_charts(page: Any) -> None:
    page.goto("/")
    page.wait_for_selector("#seizures-chart .main-svg")
    page.wait_for_selector("#deaths-chart .main-svg")
    page.wait_for_selector("#share-chart .main-svg")
    page.get_by_role("link", name="Land border only").click()
    page.locator("#seizures-chart", has_text="land ports").wait_for()
    page.wait_for_selector("#seizures-chart .main-svg")
    shot(page, "overview")


def test_filter_the_claims_table(page: Any) -> None:
    page.goto("/claims")
    total = page.locator("#claims tbody tr").count()
    page.select_option("select[name=measure]", "seizure")
    page.wait_for_url("**measure=seizure**")
    measures = page.locator("#claims tbody tr td:nth-child(2)")
    expect(measures.filter(has_not_text="seizure")).to_have_count(0)
    shown = page.locator("#claims tbody tr").count()
    assert 0 < shown <= total
    shot(page, "claims-filtered")


def test_seed_document_claim_leads_to_its_verdict(page: Any, seeds_dir: Path) -> None:
    page.goto("/documents?q=northern")
    page.locator("#documents-table tbody a").first.click()
    page.wait_for_selector("article.text a.claim")
    checked = page.locator("article.text a.claim:not(.verdict-none)")
    target = checked.first if checked.count() else page.locator("article.text a.claim").first
    words = target.text_content()
    shot(page, "seed-document")
    target.click()
    page.wait_for_selector("h1")
    assert words in page.locator("h1").text_content()
    assert page.locator("h2", has_text="Checks").count() == 1
    shot(page, "seed-claim")


def test_run_a_scenario(page: Any) -> None:
    page.goto("/model")
    page.wait_for_selector("#sankey-chart .main-svg")
    page.fill("input[name=north_resources]", "2")
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_selector("#scenario-table", timeout=60_000)
    # The scenarios are the table's columns now (baseline, your scenario, change).
    assert page.locator("#scenario-table th", has_text="your scenario").count() > 0
    shot(page, "scenario")


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
    shot(page, "uploaded")


def test_report_opens_offline(browser: Any, browser_store_url: str, tmp_path: Path) -> None:
    from borderflow.report.build import write_report
    from borderflow.store import Store

    with Store.open(browser_store_url) as store:
        path = write_report(store, tmp_path / "report.html")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    context.route("**/*", lambda route: (fetched.append(route.request.url), route.continue_()))
    tab = context.new_page()
    tab.goto(path.as_uri())
    tab.wait_for_selector("#chart-seizures-all .main-svg")
    tab.wait_for_selector("#chart-sankey .main-svg")
    assert tab.locator("#report-claims tbody tr").count() > 10
    shot(tab, "report")
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
    shot(page, "uploaded-several")
    results.locator("a").nth(1).click()
    page.wait_for_selector("article.text a.claim")
    assert "Sarnia" in page.locator("h1").text_content()


def test_a_page_on_another_site_cannot_post_here(
    browser: Any, server: str, browser_store_url: str
) -> None:
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
    shot(tab, "cross-site-refused")
    context.close()
    with Store.open(browser_store_url) as store:
        assert listings.documents(store, q="987 kg").total == 0


def test_api_docs_render_offline(page: Any) -> None:
    # Swagger UI from the installed package: the fixture fails the test if any request
    # leaves loopback or the page's policy blocks a script.
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    assert page.locator(".opblock").count() > 5
    shot(page, "api-docs")
