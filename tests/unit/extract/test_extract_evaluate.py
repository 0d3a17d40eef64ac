"""The scorer's matching rules: aliases, legal suffixes, regions, money tolerance, unmatched events."""

from __future__ import annotations

from services.extract.evaluate import money_eq, name_match, score


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
