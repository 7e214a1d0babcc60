"""Exceptions borderflow raises; the CLI turns each into one line and an exit code."""

from __future__ import annotations


class BorderflowError(Exception):
    """Base of every error borderflow reports to a user."""


class VocabularyError(BorderflowError):
    """A vocabulary data file is malformed; the message names the file and the key."""


class IngestError(BorderflowError):
    """A document could not be ingested; the message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(BorderflowError):
    """The store cannot be opened or migrated."""


class NotFoundError(BorderflowError):
    """A document or claim asked for by id does not exist."""
