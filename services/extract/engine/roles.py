"""Who is who in a deal: roles from the verbs around each company mention and the payment direction.

Each mention votes from its immediate context ("X has granted", "granted X", "X will receive",
"paying X $…", "licensed … from X", "acquire X"); the votes are tallied per company, and a party
without a vote takes the counter-role of the other side.
"""

from __future__ import annotations

import re
from collections import Counter

from services.extract.engine.entities import Company, EntityIndex
from services.extract.engine.text import Sentence

_AUX = r"(?:,[^,]{0,60},\s*)?(?:(?:has|have|had|will|would|could|can|may|is|was|are|also|recently|today|said it|said|" \
       r"announced (?:that )?it|expects? to|expected to|agreed to|plans? to|to|be|been|then|on \w+|further)\s+)*"
_SUBJECT_VERB = {
    "licensor": re.compile(
        _AUX + r"(?:grant(?:s|ed|ing)?|out-licen[sc](?:e|es|ed)|authori[sz](?:e|es|ed)|receiv(?:e|es|ed)|earn|"
        r"eligible|entitled|get|gets|licen[sc](?:e|es|ed)\b(?![^.]{0,80}\bfrom\b))", re.I),
    "licensee": re.compile(
        _AUX + r"(?:pay|pays|paid|paying|give|gives|gain(?:s|ed)?|obtain(?:s|ed)?|acquir(?:e|es|ed|ing) (?:a |an |the |"
        r"exclusive |global |its )*(?:licen[cs]e|rights)|in-licen[sc]|licen[sc](?:e|es|ed)\b[^.]{0,80}\bfrom\b|"
        r"purchas(?:e|es|ed|ing) (?:the )?rights|will have (?:the )?(?:exclusive )?rights|secur(?:e|es|ed) (?:the )?"
        r"(?:exclusive )?rights)", re.I),
    "acquirer": re.compile(
        _AUX + r"(?:acquir(?:e|es|ed|ing)|buy|buys|bought|complet(?:e|es|ed) (?:the|its) acquisition|merge|"
        r"take over|takes over|announced the (?:successful )?completion of the acquisition)", re.I),
    "issuer": re.compile(_AUX + r"(?:rais(?:e|es|ed|ing)|clos(?:e|es|ed|ing)|secur(?:e|es|ed)|complet(?:e|es|ed)|"
                         r"announc(?:e|es|ed)|pric(?:e|es|ed))\b[^.]{0,80}\b(?:financing|round|offering|placement|"
                         r"series [a-f]|funding)", re.I),
}
_FILLER = r"(?:(?:the|its|a|an|US|U\.S\.|[A-Z][\w.’'-]*(?:’s|'s)|[\w-]+-based|[a-z]+)\s+){0,4}$"
_OBJECT_VERB = {
    "licensee": re.compile(r"\b(?:grant(?:s|ed|ing)?|authori[sz](?:e|es|ed)|licen[sc](?:e|es|ed|ing)? [^.]{0,80}?\bto|"
                           r"license to|give|gives|giving)\s+" + _FILLER, re.I),
    "licensor": re.compile(r"\b(?:licen[sc](?:e|es|ed|ing)?|rights|candidates?|drug|asset)\b[^.]{0,80}?\bfrom\s+"
                           + _FILLER + r"|\b(?:pay|pays|paid|paying|give|gives)\s+(?:to\s+)?$", re.I),
    "acquired": re.compile(r"\b(?:acquir(?:e|es|ed|ing)|acquisition of|buy|buys|bought|purchase of|merger with|"
                           r"takeover of)\s+" + _FILLER, re.I),
    "investor": re.compile(r"\b(?:led by|include|includes|including|are|joined by|participation (?:from|of|by)|"
                           r"investors?|backed by|from|with|and)\s+" + _FILLER, re.I),
}
_MONEY_AFTER = re.compile(r"^\s*(?:an? )?(?:US\$|USD|\$|€|£|RMB|HK\$|upfront|up-front)", re.I)
_RIGHTS_AFTER = re.compile(r"^\s*(?:the |an? )?(?:exclusive|global|worldwide|regional|commercial|rights|licen)", re.I)
_PAY_FROM = re.compile(r"\b(?:receiv\w*|payments?|upfront|paid)\b[^.]{0,80}\bfrom\s+" + _FILLER, re.I)


def mention_role(text: str, sentence: Sentence, start: int, end: int, kind: str) -> str | None:
    after = text[end : min(sentence.end, end + 160)]
    after = re.sub(r"^(?:’s|'s)?\s*(?:\([^)]{0,80}\))?", "", after)
    before = text[max(sentence.start, start - 160) : start]
    if kind == "licensing":
        if re.search(r"\b(?:pay|pays|paid|paying|give|gives|giving)\s+(?:to\s+)?$", before):
            return "licensor" if _MONEY_AFTER.match(after) or not _RIGHTS_AFTER.match(after) else "licensee"
        if _PAY_FROM.search(before):
            return "licensee"
        for role in ("licensee", "licensor"):
            if _SUBJECT_VERB[role].match(after):
                return role
        if _OBJECT_VERB["licensee"].search(before):
            return "licensor" if re.search(r"\bpay", before[-60:], re.I) else "licensee"
        if _OBJECT_VERB["licensor"].search(before):
            return "licensor"
        return None
    if kind == "acquisition":
        if _SUBJECT_VERB["acquirer"].match(after):
            return "acquirer"
        if _OBJECT_VERB["acquired"].search(before):
            return "acquired"
        return None
    if kind == "financing":
        if _SUBJECT_VERB["issuer"].match(after):
            return "issuer"
        if _OBJECT_VERB["investor"].search(before) and re.search(r"\b(?:round|investors?|financing|led by|"
                                                                  r"joining|joined|participat)", sentence.text, re.I):
            return "investor"
        return None
    return None


_COUNTER = {"licensor": "licensee", "licensee": "licensor", "acquirer": "acquired", "acquired": "acquirer"}


def assign_roles(
    kind: str, candidates: list[Company], sentences: list[Sentence], index: EntityIndex, text: str
) -> list[tuple[Company, str]]:
    """Roles for `candidates` (the companies of one event) in an event of type `kind`."""
    if kind in ("collaboration",):
        return [(c, "partner") for c in candidates]
    if kind in ("regulatory", "clinical"):
        return [(c, "sponsor") for c in candidates]
    votes: dict[int, Counter[str]] = {id(c): Counter() for c in candidates}
    for sentence in sentences:
        for start, end, company in index.mentions_in(sentence.start, sentence.end):
            if id(company) not in votes:
                continue
            role = mention_role(text, sentence, start, end, kind)
            if role:
                votes[id(company)][role] += 1
    roles: list[tuple[Company, str]] = []
    for company in candidates:
        tally = votes[id(company)]
        roles.append((company, tally.most_common(1)[0][0] if tally else ""))
    return _complete(kind, roles)


def _complete(kind: str, roles: list[tuple[Company, str]]) -> list[tuple[Company, str]]:
    if kind == "financing":
        if not any(r == "issuer" for _, r in roles) and roles:
            roles[0] = (roles[0][0], "issuer")
        return [(c, r or "investor") for c, r in roles]
    assigned = [r for _, r in roles if r]
    default_first, default_second = ("licensor", "licensee") if kind == "licensing" else ("acquirer", "acquired")
    out: list[tuple[Company, str]] = []
    for company, role in roles:
        if not role:
            if assigned:
                role = _COUNTER[assigned[0]] if len(set(assigned)) == 1 else default_second
            else:
                role = default_first if not out else default_second
        out.append((company, role))
    return out
