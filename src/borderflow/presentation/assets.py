"""Static assets for the faces: the stylesheet (with the verdict colours generated from the
one table of verdict kinds) and the scripts that ship inside installed Python packages, so
nothing is fetched from a CDN and no third-party file is copied into this repository."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from borderflow.records.verdicts import KINDS

STATIC_DIR = Path(str(files("borderflow.presentation") / "static"))
# The stylesheet's first part, the page shell; the other parts (charts.css, pages.css,
# model.css...) follow it by name. The web app serves them all, with the verdict colours,
# as one file; the report inlines the same text.
BASE_STYLESHEET = "app.css"
# Third-party scripts, by the name the pages use: (package, path inside it).
VENDOR_SCRIPTS = {
    "plotly.min.js": ("plotly", "package_data/plotly.min.js"),
    "htmx.min.js": ("js_lib_htmx", "static/htmx/htmx.min.js"),
}


def vendor_script(name: str) -> Path:
    package, inner = VENDOR_SCRIPTS[name]
    return Path(str(files(package))) / inner


def plotly_style_ids() -> tuple[str, ...]:
    """Ids of the style elements Plotly's bundle adds to a page with CSS text when it
    loads (its map styles), each only when no element has that id yet. The pages stand
    an empty placeholder under each id: their Content-Security-Policy refuses inline
    styles, and they draw no maps. (The style element Plotly fills through the CSSOM
    starts empty, which the policy allows by the hash of "".)"""
    bundle = vendor_script("plotly.min.js").read_text(encoding="utf-8", errors="replace")
    found = re.findall(
        r'getElementById\("([\w-]{8,80})"\)\)\{var \w+=document\.createElement\("style"\)', bundle
    )
    return tuple(dict.fromkeys(found))


def verdict_css() -> str:
    """A badge colour and a highlight for each verdict kind, from the kinds table."""
    rules = []
    for info in KINDS:
        cls = info.css_class
        rules.append(f".verdict.{cls} {{ background: {info.colour}; }}")
        rules.append(
            f"a.claim.{cls}, mark.claim.{cls} {{ border-color: {info.colour}; "
            f"background: {info.tint}; }}"
        )
    return "\n".join(rules) + "\n"


def stylesheet_parts() -> list[Path]:
    """The stylesheet's files in cascade order: the shell's first, the rest by name, so a
    part added to static/ is served without another <link> (one request, one cache entry)."""
    others = sorted(p for p in STATIC_DIR.glob("*.css") if p.name != BASE_STYLESHEET)
    return [STATIC_DIR / BASE_STYLESHEET, *others]


def stylesheet() -> str:
    """The whole stylesheet: every part, then the verdict colours. The pages load it as one
    file and the report inlines it, so both look alike."""
    texts = [p.read_text(encoding="utf-8") for p in stylesheet_parts()]
    return "\n".join([*texts, verdict_css()])
