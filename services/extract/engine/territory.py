"""Licensed territory: what the rights cover, and the carve-outs ("global rights excluding Greater China")."""

from __future__ import annotations

import re

from dealwire.services.extract.engine.analysis import SentenceFacts
from dealwire.services.extract.engine.vocab import GatedPattern, caseless, demonym_regions

_CARVE_OUT = caseless(r"\b(?:excluding|excludes|exclude|except(?: for| in)?|ex-?|outside(?: of)?|other than|"
                      r"not including|with the exception of)\s*(?:the\s+)?$")
# what may stand between two regions of one list: "Hong Kong, Macau and Taiwan", "India/Turkey"
# (one `\s*` between two glue words: two in a row let a failing match try every split of a space run)
_GLUE_WORD = r"(?:,|/|and|or|&|as well as|the|its|region|regions|\(|\))"
_LIST_GLUE = caseless(rf"^(?:\s*{_GLUE_WORD}(?:\s*{_GLUE_WORD})*\s*)?$")
_RIGHTS = GatedPattern(re.compile(
    r"\b(?:rights?|territor\w*|commerciali[sz]\w*|(?<!business )develop(?:ment)?\b|sales\b|"
    r"licensed (?:in|for)\b|options?\b|sell\b|distribut\w*)", re.I),
    ("right", "territor", "commerciali", "develop", "sales", "licensed ", "option", "sell", "distribut"))
# "has licensed AP-12 to Birch for Canada": a grant with no word for rights, read where no sentence says more
_LICENSED = GatedPattern(re.compile(r"\blicen[cs]\w*", re.I), ("licen",))
# "worldwide" counts only where it qualifies the rights, not in "global leader" or "global reach"
_GLOBAL_RIGHTS = caseless(r"^[\s,]*(?:exclusive\s+)?(?:rights|licen|development|developing|commerciali|markets?|"
                          r"territor|excluding|except|ex-|outside|other than|\()")
# "rights to X worldwide", "responsible for development and commercialization of any resulting medicines worldwide"
_RIGHTS_BEFORE = caseless(r"\b(?:rights|commerciali[sz](?:e|ation)|develop|license|licence|markets|sales)\b"
                          r"[^.;]{0,80}$")
# "a global co-development and co-commercialization agreement", "a global research and development collaboration":
# the deal's scope, worldwide where no sentence names the regions ("… will co-commercialize it in the United States")
_GLOBAL_SCOPE = caseless(r"^[\s,]*(?:strategic\s+)?(?:co-develop|co-commerciali|(?:research|discovery),?\s+"
                         r"(?:and\s+)?development\b)")
# the licensor's own regions: "retains", "keeps the rights in Japan" (not "… except in Japan, where Acme keeps …")
_RETAINS = caseless(r"\bretain|^(?:(?!\bwhere\b)[^;])*?\b(?:keeps?|kept)\s+(?:the\s+|all\s+|its\s+)?"
                    r"(?:exclusive\s+)?rights\b")
# "Acme, which markets two products in Europe, will …": an aside describing a company, not the rights granted
_WHICH_ASIDE = GatedPattern(re.compile(r",\s+(?:which|who)\s+(?:already\s+)?(?:markets|sells|operates|has|runs|"
                                       r"is|was)\b[^,;()]{0,120},", re.I), ("which", "who"))
_NAMING_ASIDE = GatedPattern(re.compile(r"\((?:known as|called|d/b/a|operating as|trading as)[^)]*\)", re.I),
                             ("(known as", "(called", "(d/b/a", "(operating as", "(trading as"))
# what a region placing a company is followed by: "a US-based partner", "from Korean biotech Acme"
_PLACES_A_COMPANY = re.compile(
    r"\s*-?based\b|\s+(?:bio(?:tech|pharma)\w*|pharma\w*|compan(?:y|ies)|drug ?makers?|firms?|start-?ups?|"
    r"developers?|manufacturers?|rivals?)\b", re.I)
# "… in three markets – the United States, …": a counted list after a dash names the regions themselves
_IN_REGION = caseless(r"(?:\b(?:in|within|across|for|to|including|covering|entering|enter|into)\s+(?:the\s+)?"
                      r"(?:\w+\s+){0,3}|\b(?:markets|countries|territories|jurisdictions)\s*[–—:-]+\s*"
                      r"(?:the\s+)?)$")
# "Greater China, including mainland China, Hong Kong, Macau and Taiwan": the parts of the region just read
_ITS_PARTS = caseless(r"^\s*,?\s*(?:\(\s*)?(?:including|which includes?|comprising|such as|i\.e\.,?|namely)\s+"
                      r"(?:the\s+)?$")
# "Acme, based in South Korea, …", "which runs trials in Australia": a region placing a company or its trials
_PLACED_IN = caseless(r"\b(?:phase\s+[\w/.-]{1,8}\s+development|based|headquartered|located|incorporated|listed|"
                      r"trials?|stud(?:y|ies)|enrolling|"
                      r"sites?|operations|presence|offices?|subsidiar(?:y|ies)|affiliates?|facilit(?:y|ies)|plants?|"
                      r"employees)\s+(?:[\w-]+\s+){0,2}?in\s+(?:the\s+)?$")
# "Sales of X in the United States reached $300 million last year": sales reported, not rights granted
_REPORTED_SALES = caseless(r"\b(?:sales|revenues?)\b[^.;]{0,60}?\b(?:reached|totaled|totalled|were|was|rose|grew|"
                           r"fell|amounted|climbed|jumped)\b|\b(?:generated|posted|reported|recorded|brought in)\b"
                           r"[^.;]{0,40}?\b(?:sales|revenues?)\b")
# "to use 70% of the net proceeds for the global development of X": what money raised pays for, not rights granted
_PROCEEDS_USED = caseless(r"\bproceeds\b")
_RIGHTS_WORDS = caseless(r"\b(?:rights?|licen[cs]\w*)")
_GRANT_WORDS = caseless(r"\b(?:rights?|licen[cs]\w*|territor\w*|commerciali[sz]\w*)")

# what ends a grant before the licensor's own regions: "…, while Acme retains …", "…; Acme keeps …"
_RETAIN_BREAK = re.compile(r";|,\s*(?:while|whereas|and|but|with)\b|\s(?:while|whereas)\s")
_GRANT_BEFORE = re.compile(r"\b(?:grant(?:s|ed|ing)?|licen[cs](?:es|ed|ing)|obtain(?:s|ed)?|acquir(?:es|ed)|"
                           r"receiv(?:es|ed)|gain(?:s|ed)?|hold|holds|take[sn]?|took|get|gets|got)\b[^;]{0,160}"
                           r"\b(?:rights?|licen[cs]e)\b", re.I)

# "an option to add Singapore and Malaysia to the licensed territory": regions the licensee may take later, not granted
_OPTION_TO_ADD = caseless(r"\boptions?\s+to\s+(?:add|expand|extend|include|widen)\b[^.;]{0,80}$")
# "co-commercialise worldwide, with Acme leading in the PRC": where a party leads, inside the worldwide territory
# "in Asia excluding Japan, plus Australia and New Zealand": "plus" ends a carve-out and adds to the regions granted
_PLUS = caseless(r"^\s*,?\s*(?:plus|and also|along with)\s+(?:the\s+)?$")
_LEADS_IN = caseless(r"\blead(?:s|ing)?\b(?:\s+[\w-]+){0,3}\s+(?:in|for)\s+(?:the\s+)?$")


# "Japanese rights", "acquired the European marketing rights": a nationality adjective naming the licensed region
_DEMONYMS = {adjective: region for adjective, region in demonym_regions().items() if not adjective.endswith("-based")}
_DEMONYM_RIGHTS = re.compile(
    r"\b(?P<adjective>" + "|".join(sorted(map(re.escape, _DEMONYMS), key=len, reverse=True)) + r")\s+"
    r"(?:(?:exclusive|development|commercial|commerciali[sz]ation|marketing|co-promotion|distribution|and)\s+){0,3}"
    r"(?:rights|licen[cs]e|markets?)\b", re.I)
# the same without the group, so that its demonyms go together by their first letter and the scanner skips ahead
# to one of those letters (`CaselessPattern`); the group is read by `_DEMONYM_RIGHTS` where this finds a match
_DEMONYM_RIGHTS_SCAN = caseless(_DEMONYM_RIGHTS.pattern.replace("(?P<adjective>", "(?:", 1))
# "U.S. rights", "European commercialization rights": a region right before the rights
_RIGHTS_AFTER = caseless(r"^\s+(?:(?:exclusive|development|commercial|commerciali[sz]ation|marketing|co-promotion|"
                         r"distribution|and)\s+){0,3}(?:rights|licen[cs]e)\b")

# "excluding Greater China (which comprises mainland China, Hong Kong, Macau and Taiwan)": a bracket defining the
# region before it names its parts, not more regions granted or carved out
_DEFINING_BRACKET = caseless(r"^\s*\((?:[^()]{0,60}?\b(?:compris\w*|consist\w* of|defined as|means|"
                             r"meaning|refers? to|i\.e\.?|namely)\b)[^()]{0,160}\)")

# where a regulatory event's drug is sold, not where the regulator acted: "launched in the U.S. later that year",
# "$31 million in U.S. sales"
_LAUNCHED_IN = caseless(r"\b(?:launch\w*|sold|sells?|selling)\s+(?:[\w-]+\s+){0,3}?(?:in|into)\s+"
                        r"(?:the\s+)?$")
_SALES_AFTER = caseless(r"^\s+(?:sales|revenues?|market)\b")


def territory_of(facts_list: list[SentenceFacts], deal: bool, span: tuple[int, int] | None = None
                 ) -> tuple[list[str], list[str]] | None:
    """Included and excluded regions; in the sentence an event's clause (`span`) was cut from, only the clause's."""
    include: list[str] = []
    exclude: list[str] = []
    fallback: tuple[list[str], list[str]] = ([], [])  # a headline's summary, a grant told without "rights"
    for facts in facts_list:
        text = facts.sentence.text
        weak = False
        if deal and not _RIGHTS.search(text, facts.lowered):
            weak = _LICENSED.search(text, facts.lowered) is not None
            if not weak:
                continue
        if deal and _REPORTED_SALES.search(text, facts.lowered) and not _GRANT_WORDS.search(text, facts.lowered):
            continue
        if deal and _PROCEEDS_USED.search(text, facts.lowered) and not _RIGHTS_WORDS.search(text, facts.lowered):
            continue
        clause = span if span and facts.sentence.start <= span[0] < facts.sentence.end else None
        if deal:
            retains = _RETAINS.search(text, facts.lowered)
            if retains is not None:
                # "… rights in Greater China, while Acme retains the rest of the world": the grant before the clause
                cut = _granted_before(text, retains.start())
                if cut is None:
                    continue
                end = facts.sentence.start + cut
                clause = (facts.sentence.start, end) if clause is None else (clause[0], min(clause[1], end))
        if not deal and not facts.actions:
            continue
        inc, exc, scope = _regions_in(facts, deal, clause)
        if not deal and facts is not facts_list[0]:
            continue
        if scope and "worldwide" not in fallback[0]:
            fallback[0].append("worldwide")
        into = fallback if deal and (weak or facts.sentence.is_title) else (include, exclude)
        if into is not fallback and "worldwide" in include:
            if exclude:
                continue  # "worldwide excluding Greater China" told: "royalties on sales outside China" adds nothing
            inc = []  # "worldwide rights": later regions are carve-outs or where a party leads, not more rights
        into[0].extend(r for r in inc if r not in into[0])
        into[1].extend(r for r in exc if r not in into[1])
    if not include and not exclude:  # "ex-China rights" in a headline only where the text says no more
        include, exclude = fallback
    include = [r for r in include if r not in exclude]  # "U.S. co-promotion … rights outside the U.S.": out
    if not include and not exclude:
        return None
    return include, exclude


def _granted_before(text: str, retains: int) -> int | None:
    """Where the clause of a licensor's retained rights starts, when a grant of rights comes before it ("… rights
    in Greater China, while Acme retains the rest of the world"); None when the sentence tells only what is kept."""
    breaks = [m for m in _RETAIN_BREAK.finditer(text, 0, retains)]
    if not breaks:
        return None
    cut = breaks[-1].start()
    if _GRANT_BEFORE.search(text, 0, cut) is None:
        return None
    return cut


def _regions_in(facts: SentenceFacts, deal: bool, span: tuple[int, int] | None
                ) -> tuple[list[str], list[str], bool]:
    """Included and excluded regions, and whether a "global" tells only the deal's scope ("a global co-development
    agreement")."""
    text, base = facts.sentence.text, facts.sentence.start
    low = facts.lowered if len(facts.lowered) == len(text) else None  # its windows are those of the text

    def window(start: int, end: int) -> tuple[str, str | None]:
        return text[start:end], low[start:end] if low is not None else None

    include: list[str] = []
    exclude: list[str] = []
    excluding = False
    bracketed = False  # whether the carve-out being read was opened inside a bracket
    placed_list = False  # whether the last region read placed a company or its trials
    scope = False
    previous_end = 0
    read = False  # whether the last region read was added to the regions granted or carved out
    parts = False  # whether the regions being read are the parts of the one before ("…, including …")
    taken = 0
    asides = [(m.start(), m.end()) for m in _NAMING_ASIDE.finditer(text, facts.lowered)]
    asides += [(m.start(), m.end()) for m in _WHICH_ASIDE.finditer(text, facts.lowered)]
    if "(" in text:
        for hit in facts.regions:
            bracket = _DEFINING_BRACKET.match(*window(hit.end - base, min(len(text), hit.end - base + 220)))
            if bracket is not None:
                asides.append((hit.end - base, hit.end - base + bracket.end()))
    for hit in facts.regions:
        if span is not None and not span[0] <= hit.start < span[1]:
            continue
        start, end = hit.start - base, hit.end - base
        if any(s <= start < e for s, e in asides):
            continue  # "Acme (known as Acme Global outside the United States)" names a company, grants nothing
        if any(r.start <= hit.start < r.end for r in facts.regulators):
            continue  # "Health Canada": a regulator's name
        if not deal and (_SALES_AFTER.match(*window(end, end + 12))
                         or _LAUNCHED_IN.search(*window(max(0, start - 50), start))):
            previous_end = end
            continue
        before = window(previous_end, start)
        if parts and _LIST_GLUE.match(*before):
            previous_end = end
            continue
        parts = False
        if read and _ITS_PARTS.match(*before):
            parts = True
            previous_end = end
            continue
        read = False
        taken = len(include) + len(exclude)
        plus = include and _PLUS.match(*before) is not None
        if excluding and (plus or not _LIST_GLUE.match(*before) or (bracketed and ")" in before[0])):
            excluding = False  # "across Asia (excluding Japan) and Oceania": the bracket ends the carve-out
        carve = _CARVE_OUT.search(*window(max(0, start - 30), start))
        if carve is not None:
            excluding = True
            opened = text.rfind("(", 0, start)
            bracketed = opened >= 0 and text.rfind(")", 0, start) < opened
        if _OPTION_TO_ADD.search(*window(max(0, start - 120), start)):
            previous_end = end
            continue
        if hit.canonical == "worldwide":
            excluding = False
            rights_after = _GLOBAL_RIGHTS.match(*window(end, end + 30))
            if rights_after or _RIGHTS_BEFORE.search(*window(max(0, start - 90), start)):
                _add(include, "worldwide")
            elif deal and _GLOBAL_SCOPE.match(*window(end, end + 40)):
                scope = True
        elif excluding:
            _add(exclude, hit.canonical)
        elif ("worldwide" in include or deal) and _LEADS_IN.search(*window(max(0, start - 60), start)):
            pass  # "Acme will lead commercialization in North America and Brio in Europe": where a party leads
        elif plus or _IN_REGION.search(*window(max(0, start - 40), start)) or (include and _LIST_GLUE.match(*before)) \
                or _RIGHTS_AFTER.match(*window(end, end + 60)):
            located = _PLACES_A_COMPANY.match(text, end) is not None  # "US-based X", "from U.S. biotech X"
            located = located or _PLACED_IN.search(*window(max(0, start - 40), start)) is not None
            # "operations in Korea and Taiwan": the list a placing region starts goes on placing
            located = located or (placed_list and _LIST_GLUE.match(*before) is not None)
            placed_list = located
            if not located and text[end : end + 1] not in ("’", "'"):  # "the US’ Acme", "China's Acme"
                _add(include, hit.canonical)
        elif not deal and text[end : end + 2] in ("’s", "'s") and not text[:start].rstrip().endswith(" of"):
            _add(include, hit.canonical)  # "China's NMPA"
        previous_end = end
        read = len(include) + len(exclude) > taken
    if "right" in facts.lowered or "licen" in facts.lowered:
        named = [(hit.start - base, hit.end - base) for hit in facts.regions]
        for start, adjective in demonym_rights(text, facts.lowered):
            if any(s <= start < e for s, e in named):
                continue  # "North American rights": the region's own name, not "American rights" inside it
            if span is None or span[0] <= base + start < span[1]:
                carved = _CARVE_OUT.search(*window(max(0, start - 30), start))
                _add(exclude if carved else include, _DEMONYMS[adjective.lower()])
    return include, exclude, scope


def demonym_rights(text: str, lowered: str) -> list[tuple[int, str]]:
    """Where `_DEMONYM_RIGHTS` matches in `text` (`lowered`: its lower case), with the demonym it matches there."""
    found = []
    for match in _DEMONYM_RIGHTS_SCAN.finditer(text, lowered):
        adjective = _DEMONYM_RIGHTS.match(text, match.start())  # the two patterns match at the same places
        if adjective is not None:
            found.append((match.start(), adjective.group("adjective")))
    return found


def _add(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)
