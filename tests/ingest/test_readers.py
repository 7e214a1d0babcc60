"""Reading each supported format, metadata, and one clear error for each kind of bad file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF

from borderflow.errors import IngestError
from borderflow.ingest.metadata import parse_date, text_metadata
from borderflow.ingest.readers import read_document

LIMIT = 1_000_000


def _pdf(path: Path, paragraphs: list[str], title: str = "A PDF memo") -> Path:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_author("Test Author")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
    pdf.output(str(path))
    return path


def test_plain_text_with_date_marker(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2025-01-23 The RCMP seized 54 kilograms.\n", encoding="utf-8")
    doc = read_document(path, "a.txt", max_bytes=LIMIT)
    assert doc.published == date(2025, 1, 23)
    assert doc.metadata["date_source"] == "date-line"
    assert doc.text.startswith("The RCMP seized")
    assert doc.format == "text"


def test_posted_on_line_byline_and_title(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text(
        "Border report\nBy Jane Doe\nPosted on 07 Feb 2025\nBody text here.\n", encoding="utf-8"
    )
    doc = read_document(path, "b.md", max_bytes=LIMIT)
    assert (doc.title, doc.author, doc.published) == ("Border report", "Jane Doe", date(2025, 2, 7))


def test_undated_document_stays_undated(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("Seizures rose last year, officials said.\n", encoding="utf-8")
    doc = read_document(path, "c.txt", max_bytes=LIMIT)
    assert doc.published is None
    assert doc.metadata["date_source"] == "undated"


def test_option_date_and_outlet_take_precedence(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("date 2025-01-23 Text.\n", encoding="utf-8")
    doc = read_document(
        path, "d.txt", max_bytes=LIMIT, published=date(2024, 5, 1), outlet="The Star"
    )
    assert doc.published == date(2024, 5, 1) and doc.outlet == "The Star"
    assert doc.metadata["date_source"] == "option"


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "e.html"
    path.write_text(
        "<html><head><title>Seizures up</title><meta name='author' content='A. Writer'>"
        "<meta property='article:published_time' content='2024-12-02'>"
        "<meta property='og:site_name' content='Example News'></head><body>"
        "<nav>Home | World | Sports</nav><article><h1>Seizures up</h1>"
        "<p>Border officers seized 4.9 kg of fentanyl from January to October 2024, the agency "
        "said in a statement on Monday.</p><p>That was more than the year before, it added, "
        "and most of it was bound for Europe.</p></article>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path, "e.html", max_bytes=LIMIT)
    assert "seized 4.9 kg of fentanyl" in doc.text
    assert "Copyright" not in doc.text and "Sports" not in doc.text
    assert doc.title == "Seizures up"
    assert doc.published == date(2024, 12, 2)
    assert doc.outlet == "Example News"


def test_pdf_text_and_metadata(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "f.pdf", ["The DEA seized 12,000 pounds of powder in 2023."])
    doc = read_document(path, "f.pdf", max_bytes=LIMIT)
    assert "12,000 pounds" in doc.text
    assert doc.title == "A PDF memo" and doc.author == "Test Author"
    assert doc.format == "pdf"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\t\n", "file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "unreadable PDF"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
    ],
)
def test_bad_files_raise_one_clear_error(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as caught:
        read_document(path, name, max_bytes=LIMIT)
    assert str(caught.value).startswith(f"{name}: ")
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(IngestError, match=r"big.txt: file is 2,000 bytes, over the limit of 1,000"):
        read_document(path, "big.txt", max_bytes=1000)


def test_pdf_without_text_is_reported(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError, match="no extractable text"):
        read_document(path, "scan.pdf", max_bytes=LIMIT)


def test_undecodable_bytes_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(IngestError, match=r"garbage\.txt: "):
        read_document(path, "garbage.txt", max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-02-07", date(2025, 2, 7)),
        ("07 Feb 2025", date(2025, 2, 7)),
        ("February 7, 2025", date(2025, 2, 7)),
        ("Feb. 7 2025", date(2025, 2, 7)),
        ("31 Feb 2025", None),
        ("yesterday", None),
    ],
)
def test_parse_date(raw: str, expected: date | None) -> None:
    assert parse_date(raw) == expected


def test_text_metadata_does_not_guess() -> None:
    found = text_metadata("Some text about 2024 and last year.\n")
    assert found.published is None and found.date_source is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Published: March 2025\n", date(2025, 3, 31)),
        ("Posted in Sept. 2024\n", date(2024, 9, 30)),
        ("Updated February, 2024.\n", date(2024, 2, 29)),  # a leap year's last day
        ("Date: Dec 2023\n", date(2023, 12, 31)),
    ],
)
def test_a_posted_month_dates_the_text_by_its_last_day(head: str, expected: date) -> None:
    found = text_metadata(f"Seizures at the northern border\n{head}\nThe article's body.\n")
    assert (found.published, found.date_source) == (expected, "posted-month")


@pytest.mark.parametrize(
    "text",
    [
        "In March 2025 officers seized 40 pounds.\n",  # a month in a sentence, not a dateline
        "Published: Marsh 2025\n",  # not a month
        "Published: March 2025 and revised since\n",  # more on the line than a date
    ],
)
def test_a_month_outside_a_posted_line_leaves_the_text_undated(text: str) -> None:
    assert text_metadata(text).published is None


@pytest.mark.parametrize(
    "head",
    [
        "Published: March 4, 2025\nUpdated: April 2025\n",
        "Updated: April 2025\nPublished: March 4, 2025\n",
    ],
)
def test_a_full_posted_date_wins_over_a_month(head: str) -> None:
    found = text_metadata(f"{head}Body.\n")
    assert (found.published, found.date_source) == (date(2025, 3, 4), "posted-line")


def test_a_publication_month_wins_over_a_full_updated_date() -> None:
    """ "Updated" says when the page changed, not when the text was written: "last month"
    in a text published in December 2024 is November, whatever the update's date."""
    found = text_metadata("Title of it\nPublished: December 2024\nUpdated: February 3, 2025\n")
    assert (found.published, found.date_source) == (date(2024, 12, 31), "posted-month")
    found = text_metadata("Title of it\nUpdated: February 3, 2025\n\nBody.\n")
    assert found.published == date(2025, 2, 3)
