"""The scorer's matching rules: aliases, legal suffixes, regions, money tolerance, unmatched events; and each
rule held equal to the judge's (`../shared/eval/score.py`) on generated values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dealwire.services.extract import evaluate
from dealwire.services.extract.evaluate import money_eq, name_match, score
from dealwire.shared.names import LEGAL_FORMS


def test_party_names_match_without_legal_suffixes_and_by_contained_words() -> None:
    assert name_match("Glenmark Specialty SA", ["Glenmark Specialty"], org=True)
    assert name_match("Novatim", ["Novatim Immune Therapeutics (Zhejiang) Co., Ltd."], org=True)
    assert not name_match("Roche", ["Novartis"], org=True)


def test_money_within_one_percent_and_currency_synonyms() -> None:
    assert money_eq({"amount": 1_000_000_000, "currency": "RMB"}, {"amount": 1_005_000_000, "currency": "CNY"})
    assert not money_eq({"amount": 1_000_000_000, "currency": "USD"}, {"amount": 1_000_000_000, "currency": "EUR"})


def test_an_unmatched_prediction_costs_precision_only() -> None:
    gold = {"a": [{"primary": True, "type": "licensing", "parties": [{"name": ["X Pharma"], "role": "licensor"}]}]}
    preds = {"a": [
        {"primary": True, "type": "licensing", "parties": [{"name": "X Pharma", "role": "licensor"}]},
        {"primary": True, "type": "financing", "parties": [{"name": "Y Bio", "role": "issuer"}]},
    ]}
    report = score(gold, preds, primary_only=True)
    assert report.fields.counts["parties"] == [1, 1, 0]
    assert report.events.counts["events"] == [1, 1, 0]


# --- every rule equal to the judge's (`../shared/eval/score.py`), on generated values ---------------------------

NAME_PARTS = ("Acme", "acme", " ", "  ", "&", " & ", "(", ")", "(Shanghai)", ",", ".", "-", "/", "Co", "Ltd.", "Inc",
              "A/S", "The", "the", "AG", "Holdings", "Group", "Pharma", "Therapeutics", "and", "Birch", "US", "u.s.",
              "EU", "Global", "PRC", "Greater China Region", "\u0130", "\u212a", "é", "Ō", "1", "2", "\n", "_")
names = st.lists(st.sampled_from(NAME_PARTS), max_size=10).map("".join)
amounts = st.one_of(st.none(), st.integers(-10**10, 10**10), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["12", "1e6", "x", ""]))
monies = st.one_of(st.none(), st.text(max_size=3), st.fixed_dictionaries(
    {"amount": amounts, "currency": st.sampled_from(["USD", "usd", "US$", "$", "RMB", "CNY", "€", "EUR", "euro", ""])}))
dates = st.sampled_from(["2025", "2025-09", "2025-09-11", "2025-09-1", "2024-09-11", "", "None"])


def test_the_vocabularies_are_the_judges(judge) -> None:
    assert frozenset(judge.LEGAL) == LEGAL_FORMS
    assert evaluate.REGION_SYNONYMS == judge.REGIONS
    assert (list(evaluate.SCALAR_FIELDS), list(evaluate.MONEY_FIELDS), list(evaluate.LIST_FIELDS)) == (
        judge.SCALAR, judge.MONEY, judge.LISTS)


@given(value=names)
def test_names_and_regions_normalise_as_the_judge_normalises_them(judge, value: str) -> None:
    assert evaluate.norm(value) == judge.norm(value)
    assert evaluate.norm_org(value) == judge.norm_org(value)
    assert evaluate.region(value) == judge.region(value)


@given(predicted=names, aliases=st.lists(names, max_size=3), org=st.booleans())
def test_names_match_as_the_judge_matches_them(judge, predicted: str, aliases: list[str], org: bool) -> None:
    assert name_match(predicted, aliases, org=org) == judge.name_match(predicted, aliases, org)


@given(p=monies, g=monies, p_date=dates, g_date=dates)
def test_money_dates_and_royalties_compare_as_the_judge_compares_them(judge, p, g, p_date: str, g_date: str) -> None:
    assert money_eq(p, g) == judge.money_eq(p, g)
    assert evaluate.royalty_eq(p, g) == judge.royalty_eq(p, g)
    assert evaluate.date_eq(p_date, g_date) == judge.date_eq(p_date, g_date)


events = st.fixed_dictionaries({
    "type": st.sampled_from(["licensing", "acquisition", "Licensing", None]),
    "assets": st.lists(names, max_size=2),
    "parties": st.lists(st.fixed_dictionaries({"name": names, "role": st.sampled_from(["licensor", "acquirer"])}),
                        max_size=2),
    "regulatory_action": st.sampled_from([None, "approved", "crl"]),
})


@given(p=events, g=events)
def test_events_pair_up_as_the_judge_pairs_them(judge, p, g) -> None:
    assert evaluate.similarity(p, g) == judge.similarity(p, g)
