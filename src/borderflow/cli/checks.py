"""`borderflow check`: judge every claim and show the verdicts.

A store of a newsroom's archive holds hundreds of thousands of verdicts: printed as one
table they take minutes to draw and nobody reads them. So the table is a summary (how many
of each verdict, by kind of check) and the verdicts that most need a reader, problems
first, up to `--limit`; every verdict goes to a file format, written as it is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Annotated, Any

import typer
from rich.console import Console

from borderflow.checks.claimreview import claim_review
from borderflow.checks.runner import run_and_store
from borderflow.cli.common import DocumentOption, opened_store, reporting, state_of
from borderflow.output import Format, print_table, write_json, write_records
from borderflow.records.verdicts import CHECK_FIELDS, KIND_INFO, VERDICTS, StoredCheck
from borderflow.store import Store
from borderflow.store.checks import iter_checks, stored_checks, verdict_kinds

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
    jsonl = "jsonl"
    csv = "csv"
    claimreview = "claimreview"


def check(
    ctx: typer.Context,
    document: DocumentOption = None,
    verdict: Annotated[
        str | None, typer.Option("--verdict", help=f"Only this verdict: {', '.join(VERDICTS)}.")
    ] = None,
    every_check: Annotated[
        bool,
        typer.Option(
            "--every-check", help="Every check's verdict, not only each claim's headline one."
        ),
    ] = False,
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Check every claim again, not only those new or changed since the last run, "
            "checked against other data, or whose agreement with other sources changed.",
        ),
    ] = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", min=0, help="Table only: how many verdicts to list under the summary."
        ),
    ] = 20,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            help="table: a summary and the verdicts most in need of a reader, problems "
            "first; json (one array), jsonl, csv: every verdict with every field; "
            "claimreview: schema.org JSON-LD.",
        ),
    ] = CheckFormat.table,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Check on a Dask cluster: tcp://HOST:PORT of its scheduler. Needs a "
            "PostgreSQL store (--db or BORDERFLOW_DATABASE_URL) that every worker reaches at "
            "that same URL, and workers with the same borderflow version installed.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Judge the claims against official data, their own arithmetic and other sources.

    Verdicts are stored with the claims and the data releases they used; each names its
    evidence (document spans, official series and releases). Only what needs it is
    checked again: new documents, every document when the official data or the model fit
    changed, and documents whose agreement with other sources changed (--all: every
    claim). The table summarises the verdicts; --format json, jsonl or csv writes every
    one, or open them in the web app (`borderflow serve`, Claims)."""
    state = state_of(ctx)
    if verdict is not None and verdict not in VERDICTS:
        raise typer.BadParameter(f"--verdict must be one of {', '.join(VERDICTS)}")
    if scheduler is not None:  # distributed loads only here
        from borderflow.cluster.client import require_postgres

        with reporting(state):
            require_postgres(state.settings.resolved_database_url())
    with opened_store(ctx) as store:
        doc_id = store.document(document).summary.id if document else None
        if scheduler is not None:
            from borderflow.cluster.checks import check_on_cluster

            url = state.settings.resolved_database_url()
            done = check_on_cluster(store, scheduler, url, everything=everything)
        else:
            done = run_and_store(store, everything=everything)
        state.err.print(
            f"checked {done.claims:,} claims in {done.documents:,} documents; "
            f"{done.written:,} stored verdicts added, changed or deleted",
            highlight=False,
        )
        chosen = Chosen(doc_id, verdict, headline_only=not every_check)
        if fmt is CheckFormat.table:
            _summary(state.out, store, chosen, limit)
            return
        found = iter_checks(store, **chosen.filters())
        out: IO[str] = state.out.file
        if fmt is CheckFormat.claimreview:
            write_json(out, (claim_review(c) for c in found))
            out.write("\n")
        else:
            write_records(out, (c.as_record() for c in found), Format(fmt.value), CHECK_FIELDS)


@dataclass(frozen=True, slots=True)
class Chosen:
    """Which verdicts the command shows."""

    document_id: int | None
    verdict: str | None
    headline_only: bool

    def filters(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "verdict": self.verdict,
                "headline_only": self.headline_only}  # fmt: skip


def _summary(console: Console, store: Store, chosen: Chosen, limit: int) -> None:
    """Counts by verdict and kind of check, then the `limit` most important verdicts."""
    counts = verdict_kinds(store, **chosen.filters())
    total = sum(n for _, _, n in counts)
    what = "headline verdicts" if chosen.headline_only else "verdicts"
    if not total:
        console.print(f"no {what} to show", highlight=False)
        return
    checks = sorted({c for _, c, _ in counts})
    rows = []
    for kind in VERDICTS:
        by_check = {c: n for v, c, n in counts if v == kind}
        if by_check:
            rows.append({"verdict": KIND_INFO[kind].label, **by_check,
                         "total": sum(by_check.values())})  # fmt: skip
    columns = [("verdict", "verdict"), *((c, c) for c in checks), ("total", "total")]
    print_table(console, rows, columns, f"{total:,} {what}, by verdict and kind of check")
    shown = (
        stored_checks(store, **chosen.filters(), limit=limit, by_importance=True) if limit else []
    )
    if shown:
        title = f"The {len(shown):,} most in need of a reader (problems first)"
        print_table(console, _records(shown), _COLUMNS, title)
    if total > len(shown):
        more = f"{total - len(shown):,} more" if shown else "None listed (--limit 0)"
        console.print(
            f"{more}: --limit N lists them; --format json, jsonl or csv writes every "
            "verdict; `borderflow serve` browses them (Claims).",
            highlight=False,
        )


def _records(found: Iterable[StoredCheck]) -> list[dict[str, Any]]:
    return [c.as_record() for c in found]
