"""Which dollar a bare "$" is: the country of the body or outlet the figure comes from.

The number reader marks "$" and "dollars" as USD because it cannot see past the number.
A Canadian agency's "$1.3 billion", or "$40" in a CBC story about Ontario, is Canadian
dollars, so the pipeline settles the currency once the figure's agency, speaker and places
are known. A written currency ("US$", "C$", "Canadian dollars", "$5 million US") always wins.
"""

from __future__ import annotations

import re

from borderflow.extract.mentions import Mention
from borderflow.extract.model import Claim
from borderflow.vocab import Term, Vocabulary

# U.S. dollars written as such; any other USD figure is a "$", "dollars" or "cents" whose
# country the context decides.
_EXPLICIT_USD = re.compile(
    r"US\$|U\.S\.[\s\u00a0]?\$|\$US|USD|(?i:\b(?:U\.?S\.?|American)[\s\u00a0]+dollars?)"
    r"|[\s\u00a0](?:U\.S\.|US)$"
)
# "C$1.3 billion ($900 million)", "85 million pesos, or about $4.2 million": a conversion.
_BRACKET_BEFORE = re.compile(
    r"(?:\(|,?[\s\u00a0]+or)[\s\u00a0]*(?:about|roughly|some|nearly|around)?[\s\u00a0]*$"
)
_OBJECT_OF = re.compile(
    r"(?i)\b(?:of|on|from|to|into|against|with|for|towards?)[\s\u00a0]+(?:the[\s\u00a0]+)?$"
)
_DOLLARS = frozenset({"USD", "CAD", "AUD", "MXN"})  # the countries that write "$"
# A currency written after the figure: "$5 million US", "$40 (Cdn)".
_AFTER = re.compile(
    r"[\s\u00a0]*\(?(?P<code>US|U\.S\.|USD|American|CAD|Cdn|CDN|Canadian|AUD|MXN)(?![\w])\)?"
    r"(?![\s\u00a0]*(?:-|–)?[\s\u00a0]*(?:[A-Z][a-z]|border|government|officials|dollar))"
)
_CODE_AFTER = {
    "US": "USD", "U.S.": "USD", "USD": "USD", "American": "USD", "CAD": "CAD", "Cdn": "CAD",
    "CDN": "CAD", "Canadian": "CAD", "AUD": "AUD", "MXN": "MXN",
}  # fmt: skip


class CurrencyRules:
    """Country -> currency, outlet -> country and agency -> country, from the vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.currency_of = {
            str(t.attrs["code"]): str(t.attrs["currency"])
            for t in vocab.places
            if t.attrs.get("level") == "country" and t.attrs.get("code") and t.attrs.get("currency")
        }
        self.place_country = {
            t.name: str(t.attrs.get("code") or t.attrs.get("country") or "") for t in vocab.places
        }
        self.agency_country = {t.name: t.attrs.get("country") for t in vocab.agencies}
        self._outlets = _outlet_table(vocab.outlets)

    def outlet_country(self, outlet: str | None) -> str | None:
        """The home country of an outlet given by name or web address (None if unknown or
        international)."""
        if not outlet:
            return None
        key = _outlet_key(outlet)
        if key in self._outlets:
            return self._outlets[key]
        host = key.split("/")[0]
        for domain, country in self._outlets.items():
            if "." in domain and (host == domain or host.endswith("." + domain)):
                return country
        # "CBC News Manitoba", "Globe and Mail (Toronto)": the longest known name it opens with.
        for name in sorted(self._outlets, key=len, reverse=True):
            if key.startswith(name + " "):
                return self._outlets[name]
        return None

    def is_bare(self, claim: Claim) -> bool:
        """Whether the claim's currency is a dollar the reader defaulted to: "$", "dollars",
        "cents" or a figure sharing one of those ("7.6, 12.2 and 15.8 cents")."""
        if claim.dimension not in ("currency", "rate") or not claim.unit:
            return False
        return claim.unit.split("/")[0] == "USD" and not _EXPLICIT_USD.search(claim.text)

    def written_after(self, text: str, end: int) -> str | None:
        """A currency written right after the figure ("$5 million US")."""
        m = _AFTER.match(text, end, end + 12)
        return _CODE_AFTER[m.group("code")] if m else None

    def country_votes(
        self,
        text: str,
        agency: str | None,
        speaker: str | None,
        places: list[Mention],
        clause: tuple[int, int],
        pos: int,
    ) -> str | None:
        """The country the figure's own context names: its agency, an agency speaking, the
        place nearest before it in its clause ("Canada will impose tariffs on $30 billion
        of U.S. imports"), else after it, or the one foreign (non-U.S.) country its
        sentence's places belong to."""
        for body in (agency, speaker):
            country = self.agency_country.get(body or "")
            if country:
                return str(country)
        # A place after "of", "on", "to"... is what the money goes to or comes from
        # ("$30 billion of U.S. goods"), not whose money it is.
        own = [
            m
            for m in places
            if clause[0] <= m.start < clause[1]
            and not _OBJECT_OF.search(text, max(0, m.start - 12), m.start)
        ]
        before = [m for m in own if m.end <= pos]
        if own:
            near = before[-1] if before else min(own, key=lambda m: abs(m.start - pos))
            return self.place_country.get(near.name) or None
        countries = {self.place_country.get(m.name) for m in places} - {None, ""}
        foreign = countries - {"US"}
        if len(foreign) == 1 and "US" not in countries:
            return foreign.pop()
        return None

    def settle_sentence(
        self,
        claims: list[tuple[Claim, str | None]],
        text: str,
        outlet_country: str | None,
    ) -> None:
        """Settle the bare dollars of one sentence, each with the country its context
        names: a bracketed amount after a written currency is its conversion into U.S.
        dollars ("C$1.3 billion ($900 million)"); else the context's country; else the one
        currency written elsewhere in the sentence ("AUD3.2m ... at 4.5c a share"); else
        the outlet's country; else U.S. dollars."""
        written = {
            c.unit.split("/")[0]
            for c, _ in claims
            if c.unit and c.dimension in ("currency", "rate") and not self.is_bare(c)
        }
        previous: Claim | None = None
        for claim, country in claims:
            if self.is_bare(claim):
                code = self.written_after(text, claim.end)
                if (
                    code is None
                    and previous is not None
                    and _BRACKET_BEFORE.search(text, max(0, claim.start - 16), claim.start)
                ):
                    code = "USD"  # a conversion of the amount before it
                if code is None and country is None and len(written - {"USD"}) == 1:
                    code = next(iter(written - {"USD"}))
                if code is None:
                    code = self.currency_of.get(country or outlet_country or "", "USD")
                self._set(claim, code if code in _DOLLARS else "USD")
            if claim.dimension in ("currency", "rate") and not self.is_bare(claim):
                previous = claim

    @staticmethod
    def _set(claim: Claim, code: str) -> None:
        if code == "USD" or claim.unit is None:
            return
        _, slash, per = claim.unit.partition("/")
        claim.unit = code + slash + per
        if claim.normalized_unit:
            _, slash, per = claim.normalized_unit.partition("/")
            claim.normalized_unit = code + slash + per


def _outlet_key(name: str) -> str:
    key = name.strip().lower()
    for prefix in ("https://", "http://", "www."):
        key = key.removeprefix(prefix)
    key = key.rstrip("/")
    return key.removeprefix("the ").strip()


def _outlet_table(outlets: tuple[Term, ...]) -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for term in outlets:
        country = term.attrs.get("country")
        for word in (term.name, *term.words):
            table.setdefault(_outlet_key(word), str(country) if country else None)
    return table
