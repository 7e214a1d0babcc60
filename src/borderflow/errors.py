"""Exceptions borderflow raises; the CLI turns each into one line and an exit code."""

from __future__ import annotations

from borderflow.text_safety import printable


class BorderflowError(Exception):
    """Base of every error borderflow reports to a user."""


class VocabularyError(BorderflowError):
    """A vocabulary data file is malformed; the message names the file and the key."""


class IngestError(BorderflowError):
    """A document could not be ingested; the message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{printable(source)}: {printable(reason)}")
        self.source = source
        self.reason = reason


class StoreError(BorderflowError):
    """The store cannot be opened or migrated."""


class StoreBusyError(StoreError):
    """Another process held the store's write lock for longer than the settings allow; the
    write was not made, and trying again later is safe."""


class StoreMissingError(StoreError):
    """A command that only reads was pointed at a SQLite file that does not exist (most
    often a mistyped --db), so no empty store is created in its place."""


class NotFoundError(BorderflowError):
    """A document or claim asked for by id does not exist."""


class ImportFormatError(BorderflowError):
    """A statistics file cannot be imported; `problems` lists each as 'file:line: what'."""

    def __init__(self, file: str, problems: list[str]) -> None:
        shown = problems[:20]
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__("\n".join(shown) + more)
        self.file = file
        self.problems = problems


class SpecError(BorderflowError):
    """A network spec or scenario file is malformed; the message names the file and line."""


class ModelError(BorderflowError):
    """The model cannot be fitted or evaluated (no data for the years asked, no fit yet...)."""


class QueryError(BorderflowError):
    """A request names a source, period or filter value that does not exist: the message
    lists the valid ones, so a typo never turns into a table of zeros."""

    def __init__(
        self,
        message: str,
        *,
        parameter: str | None = None,
        valid: tuple[str, ...] = (),
        reason: str | None = None,
        kind: str = "value",
        source: str | None = None,
    ) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.valid = valid  # as a reader sees them: "06 (California)"
        self.reason = reason  # the message without the list of valid choices
        self.kind = kind  # "value": a wrong value; "parameter": a parameter not taken here
        self.source = source  # the source asked about, when there is one
