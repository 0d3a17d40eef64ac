"""Secondary deals told in passing whose counterparty goes unnamed ("licensed a drug from another biotech")."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_PUBLISHED = dt.date(2026, 5, 4)
_HEADLINE = ("Quintarra Biopharma Ltd. has paid Fennick Therapeutics $20 million upfront for an exclusive licence "
             "to FNK-210, a small-molecule inhibitor, in Asia. Fennick is eligible for up to $150 million in "
             "milestones. ")


def _secondary(text: str, title: str) -> list[tuple[str, list[tuple[str, str]]]]:
    events = extract(text, title=title, published=_PUBLISHED)
    return [(e.type, [(p.name, p.role) for p in e.parties]) for e in events if not e.primary]


def test_a_past_licence_from_an_unnamed_biotech_is_an_event_of_its_own() -> None:
    text = _HEADLINE + ("Quintarra, based in Singapore, said the company licensed a kinase inhibitor from another "
                        "U.S. biotech in 2024.")
    secondary = _secondary(text, "Quintarra licenses Fennick's FNK-210 in Asia")
    assert any(kind == "licensing" and [n for n, _ in parties] == ["Quintarra Biopharma Ltd."]
               for kind, parties in secondary)


def test_a_separate_deal_with_an_unnamed_startup_is_reported_with_its_one_named_party() -> None:
    text = _HEADLINE + ("Quintarra struck a separate $30 million research collaboration with a gene editing "
                        "startup in January.")
    secondary = _secondary(text, "Quintarra licenses Fennick's FNK-210 in Asia")
    assert any(kind == "collaboration" and [n for n, _ in parties] == ["Quintarra Biopharma Ltd."]
               for kind, parties in secondary)


def test_an_unnamed_partner_of_the_present_deal_is_no_event() -> None:
    text = _HEADLINE + "Quintarra also signed a supply agreement with a contract manufacturer."
    secondary = _secondary(text, "Quintarra licenses Fennick's FNK-210 in Asia")
    assert not any(len(parties) == 1 and kind != "financing" for kind, parties in secondary)


def test_a_merger_with_a_blank_check_company_names_no_unnamed_partner() -> None:
    text = _HEADLINE + "Fennick went public in 2021 after it merged with a blank-check company."
    secondary = _secondary(text, "Quintarra licenses Fennick's FNK-210 in Asia")
    assert not any(len(parties) == 1 and kind != "financing" for kind, parties in secondary)


_APPROVAL = ("Velmora Therapeutics, Inc. announced today that the U.S. Food and Drug Administration approved Zentrivo "
             "(dorvelimab), a monoclonal antibody that blocks IL-13, for adults with moderate-to-severe atopic "
             "dermatitis. In two Phase 3 trials Zentrivo outperformed placebo and dupixamab, a TNF inhibitor. ")


def _others(text: str, title: str) -> list[tuple[str, list[str], list[str]]]:
    events = extract(text, title=title, published=_PUBLISHED)
    return [(e.type, e.modality, e.targets) for e in events if not e.primary]


def test_an_earlier_event_on_the_drug_takes_its_kind_from_the_sentence_that_tells_what_it_is() -> None:
    text = _APPROVAL + "Velmora licensed dorvelimab from Harlowe Biologics in 2022 for $40 million upfront."
    others = _others(text, "FDA approves Velmora's Zentrivo for atopic dermatitis")
    assert ("licensing", ["monoclonal antibody"], ["IL-13"]) in others


def test_a_comparator_told_beside_the_drug_lends_an_earlier_event_no_target() -> None:
    text = _APPROVAL + "The European Medicines Agency accepted Velmora's application for Zentrivo in March 2026."
    others = _others(text, "FDA approves Velmora's Zentrivo for atopic dermatitis")
    assert [t for kind, _, t in others if kind == "regulatory"] == [["IL-13"]]


def _other_assets(text: str, title: str) -> list[tuple[str, list[str]]]:
    events = extract(text, title=title, published=_PUBLISHED)
    return [(e.type, e.assets) for e in events if not e.primary]


def test_its_in_an_earlier_deal_names_a_company_not_the_headline_drug() -> None:
    text = _HEADLINE + "Quintarra acquired Dovecote Labs in 2024 for its work in gout."
    assert ("acquisition", []) in _other_assets(text, "Quintarra licenses Fennick's FNK-210 in Asia")


def test_it_in_an_earlier_round_names_an_investor_not_the_headline_drug() -> None:
    text = (_HEADLINE + "Larchmont Capital backed Fennick early on. It previously invested in Fennick in a $12 million "
            "seed round in 2021.")
    assert ("financing", []) in _other_assets(text, "Quintarra licenses Fennick's FNK-210 in Asia")


def test_it_in_an_earlier_regulatory_decision_still_names_the_headline_drug() -> None:
    text = _HEADLINE + "The FDA granted it Fast Track designation in 2025."
    assert ("regulatory", ["FNK-210"]) in _other_assets(text, "Quintarra licenses Fennick's FNK-210 in Asia")


def test_a_drug_described_as_approved_for_a_use_is_no_regulatory_event() -> None:
    text = ("Quintarra Biopharma Ltd. has agreed to acquire the rights to Velmora in Canada from Fennick "
            "Therapeutics for $40 million. Velmora is a marketed injectable peptide and is approved for the "
            "long-term treatment of acromegaly.")
    secondary = _secondary(text, "Quintarra acquires Canadian rights to Velmora")
    assert not any(kind == "regulatory" for kind, _ in secondary)


def test_a_dated_approval_of_the_drug_is_still_an_event() -> None:
    text = ("Quintarra Biopharma Ltd. has agreed to acquire the rights to Velmora in Canada from Fennick "
            "Therapeutics for $40 million. Velmora was approved for the treatment of acromegaly in March 2024.")
    secondary = _secondary(text, "Quintarra acquires Canadian rights to Velmora")
    assert any(kind == "regulatory" for kind, _ in secondary)
