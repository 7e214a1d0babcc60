"""`borderflow check`: judge every claim and show the verdicts."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from borderflow.checks.claimreview import claim_review
from borderflow.checks.runner import run_and_store
from borderflow.cli.common import DocumentOption, opened_store, state_of
from borderflow.output import Format, emit
from borderflow.records.verdicts import VERDICTS
from borderflow.store.checks import stored_checks

_COLUMNS = (
    ("claim_id", "claim"),
    ("document_id", "doc"),
    ("claim", "text"),
    ("check", "check"),
    ("verdict", "verdict"),
    ("explanation", "explanation"),
)


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    claimreview = "claimreview"


def check(
    ctx: typer.Context,
    document: DocumentOption = None,
    verdict: Annotated[
        str | None, typer.Option("--verdict", help=f"Only this verdict: {', '.join(VERDICTS)}.")
    ] = None,
    all_checks: Annotated[
        bool,
        typer.Option("--all", help="Every check's verdict, not only each claim's headline one."),
    ] = False,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format", help="table; json (every field); claimreview (schema.org JSON-LD)."
        ),
    ] = CheckFormat.table,
) -> None:
    """Judge every claim against official data, its own arithmetic and other sources.

    Verdicts are recomputed and stored with the claims and the data releases they used;
    each names its evidence (document spans, official series and releases)."""
    state = state_of(ctx)
    if verdict is not None and verdict not in VERDICTS:
        raise typer.BadParameter(f"--verdict must be one of {', '.join(VERDICTS)}")
    with opened_store(ctx) as store:
        doc_id = store.document(document).summary.id if document else None
        run_and_store(store)
        found = stored_checks(
            store, document_id=doc_id, verdict=verdict, headline_only=not all_checks
        )
    if fmt is CheckFormat.claimreview:
        reviews = [claim_review(c) for c in found]
        state.out.file.write(json.dumps(reviews, indent=2, ensure_ascii=False) + "\n")
        return
    records = [c.as_record() for c in found]
    if fmt is CheckFormat.json:
        state.out.file.write(json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        emit(state.out, records, Format.table, tuple(records[0]) if records else (), _COLUMNS)
