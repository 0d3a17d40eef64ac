"""The companies and drug assets of one article, looked up by character offset.

`EntityIndex` runs the recognisers in order -- vocabulary terms are known already, then companies
(`companies.py`), then assets (`assets.py`, which never takes a word of a company name for a drug) -- and
answers the questions event assembly asks: who is mentioned in this span, which drugs, who owns a drug.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from dealwire.services.extract.engine import anaphora
from dealwire.services.extract.engine.assets import (
    Asset,
    AssetRecogniser,
    bracketed_owner_names,
    capitalised_before,
    developer_offset,
    is_code,
    possessor_offset,
)
from dealwire.services.extract.engine.companies import Company, CompanyRecogniser, core, related
from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import Hit, load, lower_same_length

__all__ = ["Asset", "Company", "EntityIndex", "core", "is_code", "related"]

_VOCAB = load()
_NOT_ORG = frozenset(_VOCAB.cues["not_org_words"])
_LONGEST_TERM = 120


class _TermSpans:
    """Where vocabulary terms (targets, diseases, regulators, regions …) lie in the text."""

    def __init__(self, hits: list[Hit]) -> None:
        self.spans = sorted((h.start, h.end) for h in hits)
        self.starts = [s for s, _ in self.spans]
        self.words = {lower_same_length(h.surface) for h in hits}

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The terms that overlap [start, end)."""
        low = bisect_left(self.starts, start - _LONGEST_TERM)
        high = bisect_left(self.starts, end)
        return [span for span in self.spans[low:high] if span[1] > start]

    def covers(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside one term."""
        position = bisect_right(self.starts, start) - 1
        while position >= 0 and self.starts[position] > start - _LONGEST_TERM:
            span_start, span_end = self.spans[position]
            if span_start <= start and end <= span_end:
                return True
            position -= 1
        return False


class _MentionTable:
    """Every company mention of an article, sorted by offset (ties: company order, then mention order)."""

    def __init__(self, companies: list[Company]) -> None:
        ordered = sorted(((s, number, e, c) for number, c in enumerate(companies) for s, e in c.mentions),
                         key=lambda m: (m[0], m[1]))
        self.mentions = [(s, e, c) for s, _, e, c in ordered]
        self.starts = [s for s, _, _, _ in ordered]
        self.longest = max((e - s for s, _, e, _ in ordered), default=0)


class EntityIndex:
    """Companies and assets of one article; looked up by character offset."""

    def __init__(self, text: str, sentences: list[Sentence], vocab_hits: list[Hit], lowered: str | None = None) -> None:
        """`lowered`: `lower_same_length(text)`, where the caller has it."""
        self.text = text
        self._terms = _TermSpans(vocab_hits)
        title = next((s for s in sentences if s.is_title), None)
        self._book = CompanyRecogniser(text, self._terms.covers, title, self._terms.within, lowered).scan(sentences)
        anaphora.resolve(text, sentences, self._book)
        self._table: _MentionTable | None = None
        self._table_version = -1
        self._companies_cache: dict[tuple[int, int, int], list[tuple[int, Company]]] = {}
        self._mentions_cache: dict[tuple[int, int, int], list[tuple[int, int, Company]]] = {}
        self.roles: dict[tuple[int, int, int, int, str], str | None] = {}  # `roles.role_at`: a mention's role
        self._assets_cache: dict[tuple[int, int], list[Asset]] = {}
        self._asset_mentions_read: tuple[list[int], list[tuple[int, Asset]]] | None = None  # `_asset_mentions`
        self.assets = AssetRecogniser(text, self._is_company_text, self._terms.covers, self._terms.words,
                                      lowered).scan(sentences)

    @property
    def companies(self) -> list[Company]:
        return self._book.companies

    def _mentions(self) -> _MentionTable:
        if self._table is None or self._table_version != self._book.version:
            self._table = _MentionTable(self._book.companies)
            self._table_version = self._book.version
        return self._table

    def companies_in(self, start: int, end: int) -> list[tuple[int, Company]]:
        """Companies mentioned in [start, end), by first mention offset. Asked for the same sentences again and
        again, so the answers are kept until a mention is added."""
        key = (start, end, self._book.version)
        found = self._companies_cache.get(key)
        if found is None:
            seen: set[int] = set()
            found = []
            for s, _, company in self.mentions_in(start, end):
                if id(company) not in seen:
                    seen.add(id(company))
                    found.append((s, company))
            self._companies_cache[key] = found
        return list(found)

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, Company]]:
        """Company mentions inside [start, end), by offset (then company, then mention order); kept, as
        `companies_in`, until a mention is added."""
        key = (start, end, self._book.version)
        found = self._mentions_cache.get(key)
        if found is None:
            table = self._mentions()
            low, high = bisect_left(table.starts, start), bisect_right(table.starts, end)
            found = self._mentions_cache[key] = [m for m in table.mentions[low:high] if m[1] <= end]
        return list(found)

    def _is_company_text(self, offset: int) -> bool:
        table = self._mentions()
        position = bisect_right(table.starts, offset) - 1
        while position >= 0 and table.starts[position] > offset - table.longest:
            if offset < table.mentions[position][1]:
                return True
            position -= 1
        return False

    def assets_in(self, start: int, end: int) -> list[Asset]:
        """Assets mentioned in [start, end), by first mention offset (the assets are all known by now)."""
        found = self._assets_cache.get((start, end))
        if found is None:
            starts, ordered = self._asset_mentions
            low, high = bisect_left(starts, start), bisect_left(starts, end)
            found = self._assets_cache[(start, end)] = list(dict.fromkeys(asset for _, asset in ordered[low:high]))
        return list(found)

    @property
    def _asset_mentions(self) -> tuple[list[int], list[tuple[int, Asset]]]:
        """Read once (not a `cached_property`: the compiled engine would read it anew each time)."""
        if self._asset_mentions_read is None:
            ordered = sorted(((s, a) for a in self.assets for s, _ in a.mentions), key=lambda m: m[0])
            self._asset_mentions_read = [s for s, _ in ordered], ordered
        return self._asset_mentions_read

    # -- owners -------------------------------------------------------------------------------

    def owners_of(self, asset: Asset) -> list[Company]:
        """Who the article says an asset belongs to: "X's AC-101", "developed by X", "Acmezumab (A/B)"."""
        for start, end in sorted(asset.mentions):
            owners = self._bracketed_owners(end) or self._developer(end) or self._possessor(start)
            if owners:
                return owners
        for start, _ in sorted(asset.mentions):  # no known company: a possessive name is one ("Acme's Birchtra")
            owners = self._new_possessor(start)
            if owners:
                return owners
        return []

    def _bracketed_owners(self, end: int) -> list[Company]:
        owners = []
        for name, start in bracketed_owner_names(self.text, end):
            if self._terms.covers(start, start + len(name)):
                return []
            owners.append(self._book.add(name, start, start + len(name)))
        return owners

    def _developer(self, end: int) -> list[Company]:
        who = developer_offset(self.text, end)
        if who is None:
            return []
        return [c for _, c in self.companies_in(who, who + 80)][:1]

    def _possessor(self, start: int) -> list[Company]:
        offset = possessor_offset(self.text, start)
        if offset is None:
            return []
        return [c for s, e, c in self.mentions_in(max(0, offset - 80), offset + 2) if e >= offset - 12][-2:]

    def _new_possessor(self, start: int) -> list[Company]:
        offset = possessor_offset(self.text, start)
        if offset is None:
            return []
        name = capitalised_before(self.text, offset)
        if name is None or name.group() in _NOT_ORG or self._terms.covers(name.start(), name.end()):
            return []
        if any(name.group().lower() in n.lower() for a in self.assets for n in a.names):
            return []  # "Acme's trastuzumab": part of the drug's own name
        return [self._book.add(name.group(), name.start(), name.end())]
