"""Verdicts and the evidence behind them. The records live in `borderflow.records.verdicts`
(the store keeps them, the faces show them); they are re-exported here for the checks."""

from __future__ import annotations

from borderflow.records.verdicts import (
    CHECK_PRIORITY,
    KIND_INFO,
    KINDS,
    VERDICTS,
    CheckName,
    Citation,
    KindInfo,
    Verdict,
    VerdictKind,
)

__all__ = [
    "CHECK_PRIORITY",
    "KINDS",
    "KIND_INFO",
    "VERDICTS",
    "CheckName",
    "Citation",
    "KindInfo",
    "Verdict",
    "VerdictKind",
]
