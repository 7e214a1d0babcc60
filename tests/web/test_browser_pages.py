"""The documents, claims and claim pages in a real browser, as a fact-checker uses them:
titles a reader can tell apart, searches and filters whose address reproduces the view,
downloads of what is on screen, and a claim page that states its verdict first."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from borderflow.records.verdicts import KINDS
from tests.web.browser import expect, shot

SEED = "000_fcd93b7b0eac0798"


def test_documents_are_titled_and_their_search_is_a_link(page: Any, seeds_dir: Path) -> None:
    opening = (seeds_dir / f"{SEED}.txt").read_text(encoding="utf-8").split()[:4]
    page.goto("/documents")
    table = page.locator("#documents-table")
    expect(table).not_to_contain_text(SEED)
    derived = table.locator("i.derived-title", has_text=" ".join(opening))
    expect(derived).to_have_count(1)
    expect(derived).to_have_attribute("title", "no title in the file; its first words shown")
    outlets = table.locator("tbody tr td:nth-child(2)")
    assert all(text.strip() for text in outlets.all_text_contents())
    shot(page, "documents")
    page.get_by_role("searchbox", name="Search documents").press_sequentially("RCMP")
    page.wait_for_url("**/documents?q=RCMP")
    shown = table.locator("tbody tr").all_text_contents()
    assert shown and not any("No documents" in row for row in shown)
    export = page.locator("#documents-exports a", has_text="CSV")
    assert parse_qs(urlsplit(export.get_attribute("href")).query) == {
        "q": ["RCMP"], "format": ["csv"]
    }  # fmt: skip
    # The address reproduces the view: opened afresh, it shows the same rows.
    page.goto(page.url)
    expect(page.get_by_role("searchbox", name="Search documents")).to_have_value("RCMP")
    assert page.locator("#documents-table tbody tr").all_text_contents() == shown


def test_claims_filtered_by_speaker(page: Any, seeds_dir: Path) -> None:
    page.goto("/claims")
    menu = page.locator("select[name=speaker]")
    names = [n for n in menu.locator("option").all_text_contents() if n != "any"]
    assert len(names) == len({n.casefold() for n in names}) > 1
    speaker = "Donald Trump" if "Donald Trump" in names else names[0]
    menu.select_option(speaker)
    page.wait_for_url("**speaker=**")
    cells = page.locator("#claims tbody td.speaker")
    expect(cells.first).to_have_text(speaker)
    assert {c.casefold() for c in cells.all_text_contents()} == {speaker.casefold()}
    export = page.locator("#claims-exports a", has_text="CSV").first
    assert parse_qs(urlsplit(export.get_attribute("href")).query)["speaker"] == [speaker]
    page.locator("#verdict-meanings summary").click()
    for kind in KINDS:
        expect(page.locator("#verdict-meanings")).to_contain_text(kind.meaning)
    shot(page, "claims-by-speaker")
    page.goto(page.url)  # the address is the view
    expect(page.locator("select[name=speaker]")).to_have_value(speaker)
    assert page.locator("#claims tbody td.speaker").count() == cells.count()


def _open_claim(page: Any, verdict: str) -> None:
    """The first claim with this verdict whose words hold a figure (not "massive")."""
    page.goto(f"/claims?verdict={verdict}")
    links = page.locator("#claims tbody tr td:first-child a")
    texts = links.all_text_contents()
    chosen = next(i for i, t in enumerate(texts) if any(ch.isdigit() for ch in t))
    links.nth(chosen).click()
    page.wait_for_selector("section.verdict-lead")


def test_claim_with_a_caveat_says_what_it_is(page: Any, seeds_dir: Path) -> None:
    _open_claim(page, "supported-with-caveat")
    lead = page.locator("section.verdict-lead")
    expect(lead.locator(".verdict")).to_have_text("supported-with-caveat")
    for label in ("Attributed to", "Reading used", "Gap", "Caveat"):
        expect(lead.locator("dt", has_text=label)).to_have_count(1)
    expect(lead.locator("dd.reading a").first).to_be_visible()
    expect(lead.locator("dd.gap")).to_contain_text("official")
    caveat = lead.locator("dd.caveat").text_content()
    assert len(caveat.split()) > 8 and caveat.rstrip().endswith(".")
    # The lead comes before the sentence and the reading of the figure.
    box = lead.bounding_box()
    assert box["y"] < page.locator("blockquote.sentence").bounding_box()["y"]
    shot(page, "claim-caveat")


def test_contradicted_claim_states_the_gap(page: Any, seeds_dir: Path) -> None:
    _open_claim(page, "contradicted")
    lead = page.locator("section.verdict-lead")
    expect(lead.locator(".verdict")).to_have_text("contradicted")
    expect(lead.locator("p.lead-line")).to_contain_text("Contradicted:")
    expect(lead.locator("dd.gap")).to_contain_text("times the official figure")
    expect(page.locator("h2", has_text="Checks")).to_have_count(1)
    shot(page, "claim-contradicted")


def test_claims_back_and_forward_show_the_menus_of_their_rows(page: Any, seeds_dir: Path) -> None:
    """Back after filtering shows every claim under menus set to "any"; Forward shows the
    filter again, chosen in its menu. The address bar carries only the filter in use."""
    page.goto("/claims")
    menu = page.locator("select[name=verdict]")
    exports = page.locator("#claims-exports")
    every = exports.text_content()
    assert "Download all" in every
    menu.select_option("contradicted")
    page.wait_for_url(re.compile(r"/claims\?verdict=contradicted$"))
    badges = page.locator("#claims tbody .verdict")
    expect(badges.first).to_have_text("contradicted")
    filtered = exports.text_content()
    assert filtered != every and set(badges.all_text_contents()) == {"contradicted"}
    page.go_back()
    page.wait_for_url(re.compile(r"/claims$"))
    expect(menu).to_have_value("")
    expect(exports).to_have_text(every)
    page.go_forward()
    page.wait_for_url(re.compile(r"/claims\?verdict=contradicted$"))
    expect(menu).to_have_value("contradicted")
    expect(exports).to_have_text(filtered)
    assert set(badges.all_text_contents()) == {"contradicted"}
    shot(page, "claims-forward")


def test_forward_before_the_scripts_ran_still_shows_its_filter(
    page: Any, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a slow line, Back then Forward can both happen before the reloaded page's
    scripts arrive: the address moves to the filtered view with nothing there to load it.
    The page catches up once its scripts run (app.js), instead of showing every claim
    under a filtered address."""
    from borderflow.web.static import AssetServer

    page.goto("/claims")
    menu = page.locator("select[name=verdict]")
    menu.select_option("contradicted")
    page.wait_for_url(re.compile(r"/claims\?verdict=contradicted$"))
    answer = AssetServer.answer

    def slow(self: AssetServer, request: Any, url: str) -> Any:
        if url.endswith(".js"):
            time.sleep(1.5)
        return answer(self, request, url)

    monkeypatch.setattr(AssetServer, "answer", slow)
    page.go_back()
    page.wait_for_url(re.compile(r"/claims$"))
    expect(menu).to_have_value("")
    page.go_forward()
    page.wait_for_url(re.compile(r"/claims\?verdict=contradicted$"))
    expect(menu).to_have_value("contradicted", timeout=15_000)
    badges = page.locator("#claims tbody .verdict")
    expect(badges.first).to_have_text("contradicted")
    assert set(badges.all_text_contents()) == {"contradicted"}
