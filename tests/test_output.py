"""The streamed writers give exactly what the one-shot forms gave: a JSON array that
`json.loads` reads back, JSON lines, and CSV with formula cells neutralised."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from borderflow.output import Format, write_records

_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
_records = st.lists(
    st.fixed_dictionaries(
        {"a": _values, "b": st.lists(_values, max_size=3), "c": st.text(max_size=20)}
    ),
    max_size=6,
)


def _written(records: list[dict[str, Any]], fmt: Format) -> tuple[int, str]:
    out = io.StringIO()
    n = write_records(out, iter(records), fmt, ("a", "b", "c"))
    return n, out.getvalue()


@given(_records)
def test_json_is_the_array_json_dumps_writes(records: list[dict[str, Any]]) -> None:
    n, text = _written(records, Format.json)
    assert n == len(records)
    assert text == json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    assert json.loads(text) == records


@given(_records)
def test_jsonl_is_one_record_per_line(records: list[dict[str, Any]]) -> None:
    n, text = _written(records, Format.jsonl)
    assert n == len(records) and (text.endswith("\n") or not records)
    # Lines end in \n only: unicode line separators inside strings stay in their line.
    assert [json.loads(x) for x in text.split("\n")[:-1]] == records


def test_csv_keeps_formulas_inert_and_rows_whole() -> None:
    records = [{"a": "=1+1", "b": [1, 2], "c": "two\r\nlines"}, {"a": -3, "b": [], "c": ""}]
    n, text = _written(records, Format.csv)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == 2 and len(rows) == 2
    assert rows[0] == {"a": "'=1+1", "b": "[1, 2]", "c": "two\r\nlines"}
    assert rows[1]["a"] == "-3"
