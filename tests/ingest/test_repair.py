"""Mojibake repair on the seed with broken encoding, on made-up damage, and on text that
must not be touched."""

from __future__ import annotations

import re
from pathlib import Path

from borderflow.ingest.repair import decode_bytes, looks_binary, repair_text

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_gbk_mojibake_seed_is_repaired(seeds_dir: Path) -> None:
    raw = (seeds_dir / "000_fcd93b7b0eac0798.txt").read_text(encoding="utf-8")
    assert "鈥渕icro shipments" in raw  # the damage this test is about
    text, report = repair_text(raw)
    assert "“micro shipments, most often through the mail,”" in text
    assert "Canada’s history" in text
    assert "border\u00a0from Canada" in text
    assert "“Generally, reports do not indicate" in text
    assert not CJK.search(text), CJK.findall(text)
    kinds = {r["kind"] for r in report.repairs}
    assert "gbk-mojibake" in kinds
    gbk = next(r for r in report.repairs if r["kind"] == "gbk-mojibake")
    assert gbk["count"] >= 20 and gbk["inferred_punctuation"] >= 1


def test_clean_seeds_are_not_changed(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt"))[1:]:
        raw = path.read_text(encoding="utf-8")
        text, report = repair_text(raw)
        assert text == raw, path.name
        assert not report.changed


def test_genuine_chinese_text_survives() -> None:
    chinese = (
        "芬太尼危机：加拿大皇家骑警表示，边境查获的芬太尼数量很少。"
        "聽說政府將加強邊境管制，中國外交部回應稱「這是北美的問題」。"
    )
    assert repair_text(chinese)[0] == chinese


def test_chinese_quoted_inside_repaired_english_survives() -> None:
    damaged = "鈥淕enerally, no,鈥 she said. 鈥淭his is it.鈥 The sign read 边境管制 in Chinese."
    text, _ = repair_text(damaged)
    assert text.startswith("“Generally, no,” she said. “This is it.”")
    assert "边境管制" in text


def test_single_cjk_lookalike_without_evidence_is_left_alone() -> None:
    # One 聽 alone is not strong evidence of mojibake: leave it.
    text = "The word 聽 means listen."
    assert repair_text(text)[0] == text


def test_cp1252_mojibake_is_repaired_by_ftfy() -> None:
    text, report = repair_text("The agencyâ€™s report said â€œmassiveâ€\x9d and cafÃ© prices.")
    assert text == "The agency’s report said “massive” and café prices."
    assert report.repairs[0]["kind"] == "ftfy"


def test_curly_quotes_and_fullwidth_forms_are_kept() -> None:
    text = "“Quoted” and ‘single’ and ＡＢＣ１２３"
    assert repair_text(text)[0] == text


def test_decode_and_binary_detection() -> None:
    assert decode_bytes("naïve".encode())[0] == "naïve"
    assert decode_bytes(b"\xef\xbb\xbfBOM text")[0] == "BOM text"
    assert decode_bytes("caf\u00e9 au lait, d\u00e9j\u00e0 vu, na\u00efve".encode("cp1252"))[
        0
    ].startswith("café")
    assert looks_binary(b"\x00\x01\x02PNG")
    assert not looks_binary(b"plain text\n")
