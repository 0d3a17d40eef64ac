"""Field-level scoring of predictions against gold labels: dealwire's one implementation of the judge's rules.

The judge is `../shared/eval/score.py`, outside this repository and not shipped; this module counts exactly
what it counts (tests/unit/extract/test_extract_evaluate.py holds every rule equal to the judge's, and
test_extract_dev_score.py the whole report on the dev corpus). Events pair up on type plus an asset or
party in common (similarity >= 3, greedy, best first); a matched pair scores each field; an unmatched
prediction costs precision on every non-empty field, an unmatched gold event costs recall on every one.
Names compare by `dealwire.shared.names`: its words, "&" read as "and", and for companies its legal forms dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dealwire.shared.names import LEGAL_FORMS, name_words

SCALAR_FIELDS = ("type", "regulator", "regulatory_action", "stage", "date")
MONEY_FIELDS = ("upfront", "milestones", "total_value", "equity")
LIST_FIELDS = ("assets", "modality", "targets", "indications")
REGION_SYNONYMS = {
    "global": "worldwide", "world": "worldwide", "around the world": "worldwide", "all markets": "worldwide",
    "us": "united states", "usa": "united states", "u s": "united states", "eu": "european union",
    "uk": "united kingdom", "greater china region": "greater china", "prc": "china",
}
CURRENCY_SYNONYMS = {"RMB": "CNY", "US$": "USD", "$": "USD", "€": "EUR", "EURO": "EUR"}


def norm(value: object) -> str:
    """Any value as the judge compares it: the words of `dealwire.shared.names.name_words`, "&" read as "and"."""
    return " ".join(name_words(str(value).replace("&", " and ")))


def norm_org(value: object) -> str:
    """A company name as the judge compares it: legal forms dropped (industry nouns kept, unlike ids)."""
    return " ".join(w for w in norm(value).split() if w not in LEGAL_FORMS)


def _contains(inner: str, outer: str) -> bool:
    return bool(inner) and f" {inner} " in f" {outer} "


def name_match(predicted: str, gold_aliases: list[str], org: bool = False) -> bool:
    normalise = norm_org if org else norm
    p = normalise(predicted)
    if not p:
        return False
    for alias in gold_aliases:
        g = normalise(alias)
        if g and (p == g or _contains(p, g) or _contains(g, p)):
            return True
    return False


def as_aliases(value: Any) -> list[str]:
    return [str(x) for x in value] if isinstance(value, list) else [str(value)]


def money_eq(p: Any, g: Any) -> bool:
    if not isinstance(p, dict) or not isinstance(g, dict):
        return False
    try:
        pa, ga = float(p.get("amount")), float(g.get("amount"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False

    def code(m: dict[str, Any]) -> str:
        raw = str(m.get("currency", "")).upper()
        return CURRENCY_SYNONYMS.get(raw, raw)

    return code(p) == code(g) and abs(pa - ga) <= 0.01 * max(abs(ga), 1.0)


def date_eq(p: Any, g: Any) -> bool:
    p, g = str(p), str(g)
    return p == g or (p.startswith(g) and len(g) >= 7)  # a finer date than gold is fine


def royalty_eq(p: Any, g: Any) -> bool:
    if isinstance(g, dict):
        return money_eq(p, g)
    return bool(p)


def region(value: object) -> str:
    n = norm(value)
    return REGION_SYNONYMS.get(n, n)


@dataclass
class Tally:
    counts: dict[str, list[int]] = field(default_factory=dict)

    def add(self, name: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        row = self.counts.setdefault(name, [0, 0, 0])
        row[0] += tp
        row[1] += fp
        row[2] += fn

    def prf(self, name: str | None = None) -> tuple[float, float, float, int]:
        rows = [self.counts.get(name, [0, 0, 0])] if name else list(self.counts.values())
        tp, fp, fn = (sum(r[i] for r in rows) for i in range(3))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn


def _empty(value: Any) -> bool:
    return value in (None, "", [])


def _scalar(tally: Tally, name: str, p: Any, g: Any, eq: Callable[[Any, Any], bool]) -> None:
    if _empty(g):
        if not _empty(p):
            tally.add(name, fp=1)
        return
    if _empty(p):
        tally.add(name, fn=1)
    elif eq(p, g):
        tally.add(name, tp=1)
    else:
        tally.add(name, fp=1, fn=1)


def _list(tally: Tally, name: str, pred: Iterable[Any] | None, gold: Iterable[Any] | None) -> None:
    pred_items, gold_items = list(pred or []), list(gold or [])
    if name == "territory":
        pred_items, gold_items = [region(p) for p in pred_items], [region(g) for g in gold_items]
    gold_aliases = [as_aliases(g) for g in gold_items]
    used: set[int] = set()
    for p in pred_items:
        hit = next((i for i, g in enumerate(gold_aliases) if i not in used and name_match(p, g)), None)
        if hit is None:
            tally.add(name, fp=1)
        else:
            used.add(hit)
            tally.add(name, tp=1)
    tally.add(name, fn=len(gold_aliases) - len(used))


def _parties(tally: Tally, pred: list[dict[str, Any]] | None, gold: list[dict[str, Any]] | None) -> None:
    gold_parties = [(as_aliases(x.get("name")), norm(x.get("role"))) for x in gold or []]
    used: set[int] = set()
    for party in pred or []:
        role = norm(party.get("role"))
        hit = next((i for i, (names, r) in enumerate(gold_parties) if i not in used and r == role
                    and name_match(str(party.get("name", "")), names, org=True)), None)
        if hit is None:
            tally.add("parties", fp=1)
        else:
            used.add(hit)
            tally.add("parties", tp=1)
    tally.add("parties", fn=len(gold_parties) - len(used))


def score_event(tally: Tally, p: Mapping[str, Any], g: Mapping[str, Any]) -> None:
    for name in SCALAR_FIELDS:
        eq = date_eq if name == "date" else (lambda a, b: norm(a) == norm(b))
        _scalar(tally, name, p.get(name), g.get(name), eq)
    for name in MONEY_FIELDS:
        _scalar(tally, name, p.get(name), g.get(name), money_eq)
    _scalar(tally, "royalties", p.get("royalties"), g.get("royalties"), royalty_eq)
    for name in LIST_FIELDS:
        _list(tally, name, p.get(name), g.get(name))
    _parties(tally, p.get("parties"), g.get("parties"))
    terr_p, terr_g = p.get("territory") or {}, g.get("territory") or {}
    for side in ("include", "exclude"):
        _list(tally, "territory", terr_p.get(side) or [], terr_g.get(side) or [])


def similarity(p: Mapping[str, Any], g: Mapping[str, Any]) -> float:
    score = 0.0
    if norm(p.get("type")) == norm(g.get("type")):
        score += 2
    if any(name_match(a, as_aliases(ga)) for a in p.get("assets") or [] for ga in g.get("assets") or []):
        score += 2
    gold_names = [as_aliases(x.get("name")) for x in g.get("parties") or []]
    if any(name_match(str(x.get("name", "")), names, org=True) for x in p.get("parties") or [] for names in gold_names):
        score += 1
    if p.get("regulatory_action") and norm(p.get("regulatory_action")) == norm(g.get("regulatory_action")):
        score += 1
    return score


@dataclass
class Report:
    fields: Tally
    events: Tally


def score(gold: Mapping[str, list[dict[str, Any]]], preds: Mapping[str, list[dict[str, Any]]],
          primary_only: bool) -> Report:
    """`gold` and `preds` map article id to its events (gold-format dicts)."""
    fields, events = Tally(), Tally()
    for article_id in sorted(gold):
        g_ev = [e for e in gold[article_id] if e.get("primary") or not primary_only]
        p_ev = [e for e in preds.get(article_id, []) if e.get("primary") or not primary_only]
        pairs = sorted(((similarity(p, g), i, j) for i, p in enumerate(p_ev) for j, g in enumerate(g_ev)),
                       reverse=True)
        matched_p: set[int] = set()
        matched_g: set[int] = set()
        for sim, i, j in pairs:
            if sim >= 3 and i not in matched_p and j not in matched_g:
                matched_p.add(i)
                matched_g.add(j)
                score_event(fields, p_ev[i], g_ev[j])
                events.add("events", tp=1)
        for i, p in enumerate(p_ev):
            if i not in matched_p:
                score_event(fields, p, dict.fromkeys(p))
                events.add("events", fp=1)
        for j, g in enumerate(g_ev):
            if j not in matched_g:
                score_event(fields, {}, g)
                events.add("events", fn=1)
    return Report(fields, events)


def micro_f1(report: Report) -> float:
    return report.fields.prf()[2]


def judge_report(gold: Mapping[str, list[dict[str, Any]]],
                 preds: Mapping[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Primary and all events, each as the judge's `--json` prints it: events, fields and micro P / R / F1 / n."""
    out: dict[str, dict[str, Any]] = {}
    for label, primary_only in (("primary", True), ("all", False)):
        report = score(gold, preds, primary_only)
        out[label] = {
            "events": dict(zip("prfn", report.events.prf("events"), strict=True)),
            "fields": {name: dict(zip("prfn", report.fields.prf(name), strict=True))
                       for name in sorted(report.fields.counts)},
            "micro": dict(zip("prfn", report.fields.prf(), strict=True)),
        }
    return out
