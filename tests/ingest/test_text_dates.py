"""A plain text's date line, as copied from a news page: the date may end the sentence or
carry a time and zone; a date inside prose is never taken."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.ingest.metadata import text_metadata


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Published July 5, 2025", date(2025, 7, 5)),
        ("Published July 5, 2025.", date(2025, 7, 5)),
        ("Published July 5, 2025 at 3:12 p.m. ET", date(2025, 7, 5)),
        ("Published: July 5, 2025 10:31am EDT", date(2025, 7, 5)),
        ("Updated 5 July 2025, 10:31", date(2025, 7, 5)),
        ("Posted on Sept. 9, 2024", date(2024, 9, 9)),
        ("Date: 2025-07-05.", date(2025, 7, 5)),
        ("Published July 5, 2025. Police said on Friday they had seized 3 kg.", None),
        ("Officers seized 3 kg on July 5, 2025.", None),
    ],
)
def test_the_date_line(line: str, published: date | None) -> None:
    found = text_metadata(f"Border seizure\n\n{line}\n\nThe body of the story.\n")
    assert found.published == published
