"""Who is who in a deal: roles from the verbs around each company mention and the payment direction.

Each mention votes from its immediate context ("X has granted", "granted X", "X will receive",
"paying X $…", "licensed … from X", "acquire X"); the votes are tallied per company, and a party
without a vote takes the counter-role of the other side.
"""

from __future__ import annotations

import re
from collections import Counter

from dealwire.services.extract.engine.entities import Asset, Company, EntityIndex
from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import caseless

_AUX = r"(?:,[^,]{0,60},\s*)?(?:(?:has|have|had|will|would|could|can|may|is|was|are|also|recently|today|said it|said|" \
       r"announced (?:that )?it|expects? to|expected to|agreed to|plans? to|stands? to|is set to|is poised to|to|be|" \
       r"been|then|on \w+|further)\s+)*"
# what may stand between "receive" and "rights": "receive exclusive development and commercialization rights"
_RIGHTS_ADJECTIVES = r"(?:(?:an?|the|exclusive|non-exclusive|global|worldwide|regional|full|sole|certain|development|" \
                     r"commercial|commerciali[sz]ation|manufacturing|and|,)\s*)*"
_RECEIVES_RIGHTS = r"receiv(?:e|es|ed|ing)\s+" + _RIGHTS_ADJECTIVES + r"(?:rights|licen[cs]e|sublicen[cs]e|option)\b"
_SUBJECT_VERB = {
    "licensor": caseless(
        _AUX + r"(?:grant(?:s|ed|ing)?|out-licen[sc](?:e|es|ed)|authori[sz](?:e|es|ed)|receiv(?:e|es|ed)|earn|"
        r"eligible|entitled|get|gets|retain(?:s|ed)? (?:the |all |its )?(?:[\w-]+ )?rights|"
        r"licen[sc](?:e|es|ed)\b(?![^.]{0,80}\bfrom\b))"),
    "licensee": caseless(
        _AUX + r"(?:pay|pays|paid|paying|give|gives|gain(?:s|ed)?|obtain(?:s|ed)?|acquir(?:e|es|ed|ing) (?:a |an |the |"
        r"exclusive |global |its )*(?:licen[cs]e|rights)|in-licen[sc]|licen[sc](?:e|es|ed)\b[^.]{0,80}\bfrom\b|"
        r"(?:sign|ink|enter|strik|struck|reach)\w* [^.;]{0,100}?\bto (?:acquire|obtain|gain|secure|receive|"
        r"in-licen[cs]e) " + _RIGHTS_ADJECTIVES + r"(?:rights|licen[cs]e)\b|"
        r"(?:purchas(?:e|es|ed|ing)|buy|buys|buying|bought) " + _RIGHTS_ADJECTIVES + r"(?:rights|licen[cs]e)\b|"
        r"(?:take|takes|took|taking) (?:[\w-]+ ){0,3}?(?:rights|licen[cs]e)\b|"
        r"will have (?:the )?(?:exclusive )?rights|secur(?:e|es|ed) (?:the )?"
        r"(?:exclusive )?rights|" + _RECEIVES_RIGHTS + r"|exercis(?:e|es|ed|ing) (?:its|an|the|their) (?:exclusive )?"
        r"option|(?:be |is |are )?(?:solely |fully )?responsible for (?:the )?(?:global |worldwide |further |all )?"
        r"(?:clinical )?(?:development|commerciali[sz]ation)|"
        r"licen[sc](?:e|es|ed)\s+(?:the\s+rights\s+to\s+)?(?:[A-Z][A-Za-z&.\-]*\s+){0,3}[A-Z][A-Za-z&.\-]*(?:['’]s?)\s"
        r"(?!(?:[\w-]+\s+)?(?:rights|licen)))"),
    "acquirer": caseless(
        _AUX + r"(?:acquir(?:e|es|ed|ing)|buy|buys|bought|complet(?:e|es|ed) (?:the|its) acquisition|"
        r"take over|takes over|announced the (?:successful )?completion of the acquisition)"),
    "issuer": caseless(_AUX + r"(?:rais(?:e|es|ed|ing)|clos(?:e|es|ed|ing)|secur(?:e|es|ed)|complet(?:e|es|ed)|"
                       r"announc(?:e|es|ed)|pric(?:e|es|ed))\b[^.]{0,80}\b(?:financing|round|offering|placement|"
                       r"series [a-f]|funding)"),
}
_FILLER = r"(?:(?:the|its|a|an|US|U\.S\.|[A-Z][\w.’'-]*(?:’s|'s)|[\w-]+-based|[a-z]+)\s+){0,4}$"
_OBJECT_VERB = {
    "licensee": caseless(r"\b(?:grant(?:s|ed|ing)?|authori[sz](?:e|es|ed)|licen[sc](?:e|es|ed|ing)? [^.]{0,80}?\bto|"
                         r"license to|give|gives|giving)\s+" + _FILLER),
    "licensor": caseless(r"\b(?:licen[sc](?:e|es|ed|ing)?|rights|candidates?|drug|asset)\b[^.]{0,80}?\bfrom\s+"
                         + _FILLER + r"|\b(?:pay|pays|paid|paying|give|gives)\s+(?:to\s+)?$|"
                         r"\b(?:payments?|payable|paid|upfront|up-front|royalt(?:y|ies)|milestones?)\b[^.;]{0,60}?"
                         r"\bto\s+" + _FILLER),
    "acquired": caseless(r"\b(?:acquir(?:e|es|ed|ing)|acquisition of|buy|buys|bought|purchase of|merger with|"
                         r"takeover of)\s+" + _FILLER),
    "investor": caseless(r"\b(?:led by|include|includes|including|are|joined by|participation (?:from|of|by)|"
                         r"investors?|backed by|from|with|and)\s+" + _FILLER),
}
# "under a 2025 license from the drug's originator, Birch": the owner named in an apposition
_FROM_ORIGINATOR = caseless(r"\b(?:licen[sc]\w*|rights)\b[^.]{0,80}?\bfrom\s+(?:the\s+|its\s+)?(?:[\w-]+['’]s\s+)?"
                            r"(?:original\s+)?(?:originator|developer|discoverer|inventor|owner),\s+$")
_FROM_BEFORE = caseless(r"\b(?:licen[sc](?:e|es|ed|ing)?|rights)\b[^.]{0,80}?\bfrom\s+" + _FILLER)
# "Acme licensed Birch's drug …": in a licensing deal the owner of the drug is the licensor
_OWNS_DRUG = re.compile(
    r"^(?:['’]s?)\s+(?:(?!rights\b|licen|option|pipeline|portfolio)[\w-]+\s+){0,3}?(?:drugs?|therap(?:y|ies)|"
    r"candidates?|assets?|antibod(?:y|ies)|inhibitors?|molecules?|compounds?|programs?|programmes?|[A-Z]{1,6}-?\d{2,})"
    r"(?![\w-])")
_IN_LICENSED = re.compile(r"^(?:['’]s?)\s+(?:[\w-]+\s+){0,2}?in-licen[sc]ed\b", re.I)
_PASSIVE_BOUGHT = caseless(r"^\s*(?:,[^,]{0,60},\s*)?(?:(?:is|are|was|were|to|be|been|being|has|have|had|will|would|"
                           r"agreed|set|also|said|says|announced|that|it)\s+)+(?:acquired|bought|purchased|"
                           r"taken over)\s+by\b")
# "to be acquired by Acme", "a recommended cash acquisition by Acme of …", "ACQUISITION of BIRCH PLC by ACME, INC."
_BOUGHT_BY = caseless(r"\b(?:acquired|bought|purchased|taken over|(?:acquisition|takeover|purchase)(?:\s+of\s+"
                      r"[^.;]{1,60}?)?)\s+by\s+" + _FILLER)
_MONEY_AFTER = caseless(r"^\s*(?:an? )?(?:US\$|USD|\$|€|£|RMB|HK\$|upfront|up-front)")
_RIGHTS_AFTER = caseless(r"^\s*(?:the |an? )?(?:exclusive|global|worldwide|regional|commercial|rights|licen)")
_POSSESSIVE_AND_ASIDE = re.compile(r"(?:’s|'s)?\s*(?:\([^)]{0,80}\)\s*)?")  # "'s (NASDAQ: ACME) " after a name
_PAYS_BEFORE = re.compile(r"\b(?:pay|pays|paid|paying|give|gives|giving)\s+(?:to\s+)?$")
_ROUND_WORDS = caseless(r"\b(?:round|investors?|financing|led by|joining|joined|participat)")
# "Acme signed an agreement with Birch to acquire rights": the infinitive after an object of "with" is Acme's
_OBJECT_OF_WITH = caseless(r"\bwith\s+" + _FILLER)
_INFINITIVE = re.compile(r"to\s")
_RIGHTS_FROM = caseless(r"\b(?:rights|licen[cs]e)\b(?:(?!\b(?:receiv|payments?\b|upfront|paid\b))[^.]){0,80}\bfrom\s+"
                        + _FILLER)  # the rights named after the payment: the owner of the drug follows "from"
_PAY_FROM = caseless(r"\b(?:receiv\w*|payments?|upfront|paid)\b[^.]{0,80}\bfrom\s+" + _FILLER)


def mention_role(text: str, sentence: Sentence, start: int, end: int, kind: str) -> str | None:
    after = text[end : min(sentence.end, end + 160)]
    if kind == "licensing" and _IN_LICENSED.match(after):
        return "licensee"  # "Acme's in-licensed cough drug": the drug Acme took a licence to
    if kind == "licensing" and _OWNS_DRUG.match(after):
        return "licensor"
    aside = _POSSESSIVE_AND_ASIDE.match(after)
    after = after[aside.end() :] if aside else after
    before = text[max(sentence.start, start - 160) : start]
    low_after, low_before = after.lower(), before.lower()
    if kind == "licensing":
        if _PAYS_BEFORE.search(before):
            money_after = _MONEY_AFTER.match(after, low_after)
            return "licensor" if money_after or not _RIGHTS_AFTER.match(after, low_after) else "licensee"
        if _PAY_FROM.search(before, low_before) and not _RIGHTS_FROM.search(before, low_before):
            return "licensee"  # "receives $20m upfront from Birch"; not "pays upfront for rights to AB-1 from Birch"
        subject = not (_INFINITIVE.match(after) and _OBJECT_OF_WITH.search(before, low_before))
        for role in ("licensee", "licensor") if subject else ():
            if _SUBJECT_VERB[role].match(after, low_after):
                return role
        if _FROM_BEFORE.search(before, low_before) or _FROM_ORIGINATOR.search(before, low_before):
            return "licensor"  # "bought a license to AB-101 from Birch": the "to" is the drug's
        if _OBJECT_VERB["licensee"].search(before, low_before):
            return "licensor" if re.search(r"\bpay", before[-60:], re.I) else "licensee"
        if _OBJECT_VERB["licensor"].search(before, low_before):
            return "licensor"
        return None
    if kind == "acquisition":
        if _PASSIVE_BOUGHT.match(after, low_after):
            return "acquired"  # "Birch to be acquired by Acme"
        if _BOUGHT_BY.search(before, low_before):
            return "acquirer"
        if _SUBJECT_VERB["acquirer"].match(after, low_after):
            return "acquirer"
        if _OBJECT_VERB["acquired"].search(before, low_before):
            return "acquired"
        return None
    if kind == "financing":
        if _SUBJECT_VERB["issuer"].match(after, low_after):
            return "issuer"
        if _OBJECT_VERB["investor"].search(before, low_before) and _ROUND_WORDS.search(sentence.text):
            return "investor"
        return None
    return None


def role_at(index: EntityIndex, sentence: Sentence, start: int, end: int, kind: str) -> str | None:
    """`mention_role` in the article of `index`, worked out once per mention and kind (every event built asks)."""
    key = (sentence.start, sentence.end, start, end, kind)
    if key not in index.roles:
        index.roles[key] = mention_role(index.text, sentence, start, end, kind)
    return index.roles[key]


LISTED = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)(?=\S)")
_COUNTER = {"licensor": "licensee", "licensee": "licensor", "acquirer": "acquired", "acquired": "acquirer"}


def assign_roles(
    kind: str, candidates: list[Company], sentences: list[Sentence], index: EntityIndex, text: str,
    assets: list[Asset] | None = None,
) -> list[tuple[Company, str]]:
    """Roles for `candidates` (the companies of one event) in an event of type `kind`; `assets` (the event's
    drugs) settle a licensing deal that no verb or payment decides: the drug's owner licenses it out."""
    if kind in ("collaboration",):
        return [(c, "partner") for c in candidates]
    if kind in ("regulatory", "clinical"):
        return [(c, "sponsor") for c in candidates]
    votes: dict[int, Counter[str]] = {id(c): Counter() for c in candidates}
    for sentence in sentences:
        mentions = index.mentions_in(sentence.start, sentence.end)
        for number, (start, end, company) in enumerate(mentions):
            if id(company) not in votes:
                continue
            role = role_at(index, sentence, start, end, kind)
            if role is None and number:  # "acquire Birch and Cedar": a name listed after one takes its role
                p_start, p_end, _ = mentions[number - 1]
                if LISTED.fullmatch(text, p_end, start):
                    role = role_at(index, sentence, p_start, p_end, kind)
            if role:
                votes[id(company)][role] += 1
    roles: list[tuple[Company, str]] = []
    for company in candidates:
        tally = votes[id(company)]
        roles.append((company, tally.most_common(1)[0][0] if tally else ""))
    if kind == "licensing" and assets and len(candidates) >= 2 and not any(votes.values()):
        roles = _owner_is_licensor(roles, assets, index)
    if len(roles) == 2 and roles[0][1] == roles[1][1] in _COUNTER:
        roles = _one_per_side(roles, votes, assets or [], index)
    return _complete(kind, roles)


def _one_per_side(roles: list[tuple[Company, str]], votes: dict[int, Counter[str]], assets: list[Asset],
                  index: EntityIndex) -> list[tuple[Company, str]]:
    """Two parties voted to one side of a deal (both licensors): the one with more votes for the other side
    takes it, or else the other one than the owner of the deal's drug; with nothing to tell them apart, as voted."""
    role = roles[0][1]
    counter = _COUNTER[role]
    (a, _), (b, _) = roles
    lean_a, lean_b = votes[id(a)][counter] - votes[id(a)][role], votes[id(b)][counter] - votes[id(b)][role]
    if lean_a != lean_b:
        other = a if lean_a > lean_b else b
        return [(c, counter if c is other else role) for c, _ in roles]
    if role == "licensor":
        for asset in assets:
            owners = {id(o) for o in index.owners_of(asset)} & {id(a), id(b)}
            if len(owners) == 1:
                return [(c, "licensor" if id(c) in owners else "licensee") for c, _ in roles]
    return roles


def _owner_is_licensor(roles: list[tuple[Company, str]], assets: list[Asset], index: EntityIndex
                       ) -> list[tuple[Company, str]]:
    """"Birch's AB-101", "AB-101, developed by Birch": the one party that owns the licensed drug is the licensor."""
    parties = {id(c) for c, _ in roles}
    for asset in assets:
        owners = {id(o) for o in index.owners_of(asset)} & parties
        if len(owners) == 1:
            return [(c, "licensor" if id(c) in owners else "") for c, _ in roles]
    return roles


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
