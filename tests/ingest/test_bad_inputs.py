"""Bad inputs to `ingest` (issue 12): each is one clear error line, or is read correctly,
and the good files beside it always land. Every input here is made by the test."""

from __future__ import annotations

import codecs
import os
import shutil
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.errors import IngestError
from borderflow.ingest.limits import IngestLimits
from borderflow.ingest.pipeline import ingest_paths, ingest_upload
from borderflow.ingest.readers import read_document
from borderflow.store import Store
from tests.ingest.pdfs import raw_pdf, text_stream

LIMIT = 1_000_000
GOOD = "Border agents seized 4 kg of fentanyl near Detroit in 2023, officials said.\n"
runner = CliRunner()
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux file system")


def _cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def _folder_with_good_files(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "z_good.txt").write_text(GOOD.replace("4 kg", "9 kg"), encoding="utf-8")
    return folder


# -- item 3: a file name that is not UTF-8 -------------------------------------------------
@linux_only
def test_name_that_is_not_utf8_is_ingested_escaped_with_the_others(
    store_url: str, tmp_path: Path
) -> None:
    folder = _folder_with_good_files(tmp_path)
    (Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.txt"))).write_text(
        GOOD.replace("4 kg", "7 kg"), encoding="utf-8"
    )
    with Store.open(store_url) as store:
        report = ingest_paths([folder], store, max_bytes=LIMIT)
        assert report.errors == [] and report.count("added") == 3
        sources = sorted(d.source for d in store.documents())
        assert sources == [f"{folder}/a_good.txt", f"{folder}/caf\\xe9.txt", f"{folder}/z_good.txt"]
        again = ingest_paths([folder], store, max_bytes=LIMIT)
    assert again.count("unchanged") == 3 and not again.errors


def test_same_folder_again_is_unchanged_and_a_copy_elsewhere_is_a_duplicate(
    store_url: str, tmp_path: Path
) -> None:
    folder = _folder_with_good_files(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with Store.open(store_url) as store:
        assert ingest_paths([folder], store, max_bytes=LIMIT).count("added") == 2
        again = ingest_paths([folder, copy], store, max_bytes=LIMIT)
        assert (again.count("unchanged"), again.count("duplicate"), again.errors) == (2, 2, [])
        assert len(store.documents()) == 2


# -- item 5: an unreadable sub-folder ------------------------------------------------------
def _without_file_permission_override() -> list[str]:
    """As root, chmod 000 stops nothing; run the command without the capabilities that
    let root read anything (the test then sees what a normal user sees)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv is missing: cannot make a folder unreadable")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


@linux_only
def test_unreadable_sub_folder_is_an_error_and_the_rest_lands(tmp_path: Path) -> None:
    folder = _folder_with_good_files(tmp_path)
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    borderflow = Path(sys.executable).with_name("borderflow")
    try:
        done = subprocess.run(
            [*_without_file_permission_override(), str(borderflow), "--db",
             f"sqlite:///{tmp_path / 'x.db'}", "ingest", str(folder)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"error: {locked}: cannot list folder: permission denied (its files were not read)"
    ]
    assert "2 added" in done.stdout and "1 failed" in done.stdout


# -- item 5: dates only from explicit metadata ---------------------------------------------
_BODY = (
    "<p>In 2019 officers seized 4 kg of fentanyl at the border, a record for the region, the "
    "agency said in its report.</p><p>Seizures have risen every year since then and the "
    "agency expects more of them.</p>"
)


def _page(head: str = "", article_head: str = "") -> str:
    return (
        f"<html><head><title>Seizures at the border</title>{head}</head><body><article>"
        f"{article_head}<h1>Seizures at the border</h1>{_BODY}</article>"
        "<footer>Copyright 2021 Example News</footer></body></html>"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (_page(), None),
        (_page(head="<meta property='article:modified_time' content='2024-03-04'>"), None),
        (_page(head="<meta property='article:published_time' content='2024-12-02T09:00Z'>"),
         date(2024, 12, 2)),
        (_page(head="<meta name='DC.date.issued' content='2023-05-06'>"), date(2023, 5, 6)),
        (_page(head='<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
                    '"dateModified": "2024-01-09", "datePublished": "2024-01-08"}]}</script>'),
         date(2024, 1, 8)),
        (_page(article_head="<header><time datetime='2022-07-01'>1 July</time></header>"),
         date(2022, 7, 1)),
        (_page(article_head="<span itemprop='datePublished'>Feb. 7, 2025</span>"),
         date(2025, 2, 7)),
        (_page(head="<meta name='date' content='Mon, 02 Dec 2024 10:00:00 GMT'>"),
         date(2024, 12, 2)),
    ],
)  # fmt: skip
def test_html_dates_come_only_from_explicit_metadata(
    tmp_path: Path, html: str, expected: date | None
) -> None:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    doc = read_document(path, "page.html", max_bytes=LIMIT)
    assert "officers seized 4 kg" in doc.text
    assert doc.published == expected
    assert doc.metadata["date_source"] == ("html-metadata" if expected else "undated")


# -- item 5: UTF-16 and UTF-32 with a byte-order mark --------------------------------------
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_text_with_a_byte_order_mark_is_decoded_by_it(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("\ufeff".encode(codec) + "Québec: 4 kg seized.\n".encode(codec))
    doc = read_document(path, "wide.txt", max_bytes=LIMIT)
    assert doc.text.strip() == "Québec: 4 kg seized."
    assert doc.metadata["encoding"] == codec[:6]


def test_binary_bytes_behind_a_utf16_mark_are_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.txt"
    controls = "".join(chr(c) for c in range(1, 32)) * 40
    path.write_bytes(codecs.BOM_UTF16_LE + controls.encode("utf-16-le"))
    with pytest.raises(IngestError, match="binary file"):
        read_document(path, "fake.txt", max_bytes=LIMIT)


# -- item 8: limits, each refused naming the setting ---------------------------------------
def test_text_over_max_text_chars_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(GOOD * 40, encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_document(path, "long.txt", max_bytes=LIMIT, limits=IngestLimits(max_text_chars=500))
    assert str(caught.value) == (
        f"long.txt: text is {len(GOOD) * 40:,} characters, over the limit of 500 "
        "(set BORDERFLOW_MAX_TEXT_CHARS to raise it)"
    )


def test_document_with_too_many_claims_is_refused_and_others_land(
    store_url: str, tmp_path: Path
) -> None:
    folder = _folder_with_good_files(tmp_path)
    (folder / "table.txt").write_text(
        "".join(f"Agents seized {n} kg of fentanyl.\n" for n in range(1, 60)), encoding="utf-8"
    )
    with Store.open(store_url) as store:
        report = ingest_paths(
            [folder], store, max_bytes=LIMIT, limits=IngestLimits(max_claims_per_document=20)
        )
    assert report.count("added") == 2
    [error] = report.errors
    assert str(error) == (
        f"{folder / 'table.txt'}: 59 claims found, over the limit of 20 per document (a table "
        "dump, not an article?) (set BORDERFLOW_MAX_CLAIMS_PER_DOCUMENT to raise it)"
    )


def test_pdf_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(raw_pdf(1, text_stream("Agents seized 4 kg.") + b" " * 5_000_000))
    assert path.stat().st_size < 10_000
    limits = IngestLimits(max_decompressed_bytes=1_000_000)
    with pytest.raises(IngestError) as caught:
        read_document(path, "bomb.pdf", max_bytes=LIMIT, limits=limits)
    message = str(caught.value)
    assert message.startswith("bomb.pdf: PDF content unpacks to more than 1,000,000 bytes")
    assert message.endswith("(set BORDERFLOW_MAX_DECOMPRESSED_BYTES to raise it)")


def test_pdf_drawing_one_big_stream_on_every_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.pdf"
    path.write_bytes(raw_pdf(50, text_stream("Agents seized 4 kg.") + b" 0 0 m" * 50_000))
    limits = IngestLimits(max_decompressed_bytes=1_000_000)
    with pytest.raises(IngestError, match=r"more than 1,000,000 bytes by page 4 \(set BORDER"):
        read_document(path, "shared.pdf", max_bytes=LIMIT, limits=limits)


def test_pdf_over_max_pdf_pages_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.pdf"
    path.write_bytes(raw_pdf(30, text_stream("Agents seized 4 kg.")))
    with pytest.raises(IngestError) as caught:
        read_document(path, "many.pdf", max_bytes=LIMIT, limits=IngestLimits(max_pdf_pages=25))
    assert str(caught.value) == (
        "many.pdf: PDF has 30 pages, over the limit of 25 (set BORDERFLOW_MAX_PDF_PAGES to "
        "raise it)"
    )
    doc = read_document(path, "many.pdf", max_bytes=LIMIT, limits=IngestLimits(max_pdf_pages=30))
    assert doc.text.count("Agents seized 4 kg.") == 30


@linux_only
def test_read_is_bounded_even_when_stat_says_size_zero(tmp_path: Path) -> None:
    link = tmp_path / "maps.txt"
    link.symlink_to("/proc/self/maps")  # a regular file whose stat size is 0
    assert link.stat().st_size == 0
    with pytest.raises(IngestError) as caught:
        read_document(link, "maps.txt", max_bytes=200)
    assert str(caught.value).startswith("maps.txt: file is over the limit of 200 bytes (it grew")


# -- item 9: names that would forge lines or reach the terminal ----------------------------
@linux_only
def test_control_characters_in_names_are_escaped_when_printed(tmp_path: Path) -> None:
    folder = _folder_with_good_files(tmp_path)
    (folder / "empty\nerror: a_good.txt: forged\x1b[2J.txt").write_bytes(b"")
    code, out, err = _cli("--db", f"sqlite:///{tmp_path / 'x.db'}", "ingest", str(folder))
    assert code == 1
    assert err.splitlines() == [
        f"error: {folder}/empty\\nerror: a_good.txt: forged\\x1b[2J.txt: file is empty"
    ]
    assert "\x1b" not in out + err and "2 added" in out


def test_upload_errors_never_show_the_temporary_folder(store_url: str) -> None:
    with Store.open(store_url) as store:
        for name in ("A" * 300 + ".txt", "nul\0byte.txt", ".."):
            try:
                ingest_upload(store, name, GOOD.encode() + name[:3].encode(), max_bytes=LIMIT)
            except IngestError as exc:
                assert "borderflow-upload-" not in str(exc) and "/tmp" not in str(exc)
        with pytest.raises(IngestError) as caught:
            ingest_upload(store, "scan.pdf", b"%PDF-1.4\nnot really", max_bytes=LIMIT)
        stored = [d.source for d in store.documents()]
    assert str(caught.value).startswith("upload:scan.pdf: unreadable PDF")
    assert "borderflow-upload-" not in str(caught.value)
    assert f"upload:{'A' * 300}.txt" in stored and "upload:nulbyte.txt" in stored


# -- item 13: only regular files are read --------------------------------------------------
@linux_only
def test_pipes_devices_and_sockets_are_refused_without_reading(tmp_path: Path) -> None:
    folder = _folder_with_good_files(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(tmp_path / "named.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "sock.txt"))
    try:
        borderflow = Path(sys.executable).with_name("borderflow")
        done = subprocess.run(
            [str(borderflow), "--db", f"sqlite:///{tmp_path / 'x.db'}", "ingest", str(folder),
             "/dev/zero", str(tmp_path / "named.txt")],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        listener.close()
    only = "not a regular file (only regular files are read)"
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: {folder}/pipe.txt: is a named pipe, {only}",
        f"error: {folder}/sock.txt: is a socket, {only}",
        f"error: {folder}/zero.txt: is a character device, {only}",
        f"error: /dev/zero: is a character device, {only}",
        f"error: {tmp_path}/named.txt: is a named pipe, {only}",
    ]
    assert "2 added" in done.stdout


# -- item 14: link loops, broken links, the empty path -------------------------------------
@linux_only
def test_symbolic_link_loop_and_broken_link_say_so(tmp_path: Path) -> None:
    folder = _folder_with_good_files(tmp_path)
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    code, out, err = _cli(
        "--db", f"sqlite:///{tmp_path / 'x.db'}", "ingest", str(folder), str(folder / "loop1.txt")
    )
    assert code == 1
    assert err.splitlines() == [
        f"error: {folder}/gone.txt: broken symbolic link (its target does not exist)",
        f"error: {folder}/loop1.txt: symbolic link loop",
        f"error: {folder}/loop2.txt: symbolic link loop",
        f"error: {folder}/loop1.txt: symbolic link loop",
    ]
    assert "2 added" in out


def test_empty_path_is_refused_not_read_as_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder_with_good_files(tmp_path)
    monkeypatch.chdir(folder)
    code, out, err = _cli("--db", f"sqlite:///{tmp_path / 'x.db'}", "ingest", "")
    assert code == 1
    assert err.splitlines() == ["error: '': empty path (name a file or folder)"]
    assert "0 added" in out


# -- item 14: the PDF library's warnings carry the file's name -----------------------------
def test_pdf_library_warnings_are_reported_with_the_file_name(tmp_path: Path) -> None:
    good = raw_pdf(1, text_stream("Agents seized 4 kg of fentanyl in 2023."))
    start = good.rindex(b"startxref\n") + len(b"startxref\n")
    end = good.index(b"\n", start)
    path = tmp_path / "damaged.pdf"  # the cross-reference table is not where it says
    path.write_bytes(good[:start] + str(int(good[start:end]) + 5).encode() + good[end:])
    code, out, err = _cli("--db", f"sqlite:///{tmp_path / 'x.db'}", "ingest", str(path))
    assert code == 0 and "1 added" in out
    assert err.splitlines() == [
        f"warning: {path}: incorrect startxref pointer(3)",
        f"warning: {path}: parsing for Object Streams",
    ]
    code, out, _ = _cli("--db", f"sqlite:///{tmp_path / 'x.db'}", "documents", "--format", "json")
    assert code == 0 and '"published": null' in out
