"""Warnings the reading libraries log about a file, caught so they are reported with the
file's name instead of printed bare on stderr ("incorrect startxref pointer(1)" says
nothing about which of 2,000 PDFs it came from)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Libraries that log about the content they are given, not about our use of them.
READER_LOGGERS = ("pypdf", "trafilatura", "htmldate", "justext", "courlan", "charset_normalizer")
_MOST = 10


class _Collector(logging.Handler):
    """Keeps the messages logged by one thread (web uploads read files side by side)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        try:
            message = record.getMessage()
        except Exception:  # a library's malformed format string is still a warning
            message = str(record.msg)
        self.messages.append(message.strip())


@contextmanager
def caught_warnings(names: tuple[str, ...] = READER_LOGGERS) -> Iterator[list[str]]:
    """Within the block, warnings those libraries log are collected into the list given
    (and, with a handler in place, not printed by logging's last-resort handler)."""
    collector = _Collector()
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        for logger in loggers:
            logger.removeHandler(collector)


def summarised(messages: list[str]) -> list[str]:
    """Each distinct message once, in order, at most ten, then how many more there were
    (a damaged PDF repeats the same warning for every object)."""
    distinct = list(dict.fromkeys(m for m in messages if m))
    if len(distinct) <= _MOST:
        return distinct
    return [*distinct[:_MOST], f"... and {len(distinct) - _MOST} more warnings"]
