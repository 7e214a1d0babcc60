"""HTML: the article's main text (trafilatura) and the metadata the page states.

A page's date is taken only from markup that states it as the publication date (see
`explicit_date`). trafilatura's own date comes from htmldate, which guesses from any year
in the text or the URL when the page states none ("In 2019 officers seized..." dated an
undated page 2019-01-01), so it is never used: an undated page stays undated.
"""

from __future__ import annotations

import json
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any

from borderflow.errors import IngestError
from borderflow.ingest.metadata import parse_date

# <meta> names (in `property`, `name` or `itemprop`, compared in lower case) that state
# when an article was published. Modification dates are not publication dates.
PUBLISHED_META = frozenset(
    {
        "article:published_time", "og:published_time", "og:article:published_time",
        "article.published", "published_time", "datepublished", "date", "pubdate",
        "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued",
        "dc.date.created", "dcterms.date", "dcterms.issued", "dcterms.created",
        "citation_publication_date", "citation_date", "sailthru.date", "parsely-pub-date",
    }
)  # fmt: skip
_METADATA_FIELDS = ("title", "author", "sitename", "url")


def read_html(html: str, source: str) -> tuple[str, dict[str, Any]]:
    """(main text, metadata) of a page; metadata's "date" only when the page states it."""
    import trafilatura

    try:
        tree = trafilatura.load_html(html)
        published = explicit_date(tree) if tree is not None else None
        doc = trafilatura.bare_extraction(
            tree if tree is not None else html, with_metadata=True, include_comments=False,
            include_tables=True, favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )  # fmt: skip
        fallback = trafilatura.html2txt(html) or ""
    except Exception as exc:  # trafilatura and lxml raise many kinds on malformed markup
        raise IngestError(source, f"cannot parse HTML ({type(exc).__name__}: {exc})") from exc
    if doc is None:
        return fallback, {"date": published}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    meta = {key: data.get(key) for key in _METADATA_FIELDS}
    meta["date"] = published
    return data.get("text") or fallback, meta


def explicit_date(tree: Any) -> date | None:
    """The publication date the page states, looked for in this order: a <meta> tag named
    in PUBLISHED_META; `datePublished` in JSON-LD; an element marked
    itemprop="datePublished" (its `content` or `datetime`, else its text); a <time
    datetime> with the `pubdate` attribute or inside an <article>'s <header>. The first
    that parses wins; the page's text and URL are never read for a date."""
    for found in (_meta_dates(tree), _json_ld_dates(tree), _marked_dates(tree)):
        for raw in found:
            parsed = _parse(raw)
            if parsed is not None:
                return parsed
    return None


def _meta_dates(tree: Any) -> list[str]:
    dates = []
    for meta in tree.iter("meta"):
        names = {str(meta.get(a, "")).strip().lower() for a in ("property", "name", "itemprop")}
        if names & PUBLISHED_META and meta.get("content"):
            dates.append(str(meta.get("content")))
    return dates


def _json_ld_dates(tree: Any) -> list[str]:
    dates: list[str] = []
    for script in tree.iter("script"):
        if str(script.get("type", "")).strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        dates += _date_published(data)
    return dates


def _date_published(node: Any, depth: int = 0) -> list[str]:
    """Every `datePublished` in a JSON-LD value, depth first, in document order."""
    if depth > 20:
        return []
    if isinstance(node, list):
        return [d for item in node for d in _date_published(item, depth + 1)]
    if not isinstance(node, dict):
        return []
    own = node.get("datePublished")
    found = [own] if isinstance(own, str) else []
    for key, value in node.items():
        if key != "datePublished" and isinstance(value, list | dict):
            found += _date_published(value, depth + 1)
    return found


def _marked_dates(tree: Any) -> list[str]:
    dates = []
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        if str(element.get("itemprop", "")).strip().lower() == "datepublished":
            raw = element.get("content") or element.get("datetime") or element.text_content()
            dates.append(str(raw))
        elif element.tag == "time" and element.get("datetime") and _publication_time(element):
            dates.append(str(element.get("datetime")))
    return dates


def _publication_time(element: Any) -> bool:
    if element.get("pubdate") is not None:
        return True
    ancestors = [a.tag for a in element.iterancestors()]
    return "header" in ancestors and "article" in ancestors[ancestors.index("header") :]


def _parse(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    found = parse_date(raw)
    if found is not None:
        return found
    try:  # RFC 2822, as some sites write meta dates: "Mon, 02 Dec 2024 10:00:00 GMT"
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
