"""Company names and the ids derived from them: the same name gives the same key and deal key as before
the normaliser moved to `dealwire.shared.names` (values pinned from `dealwire.shared.ids.org_key` as it was)."""

from __future__ import annotations

import pytest

from dealwire.shared.ids import deal_key_for
from dealwire.shared.names import LEGAL_FORMS, SECTOR_WORDS, company_key, name_words
from dealwire.shared.schemas import DealPayload, Party


@pytest.mark.parametrize(("name", "key"), [
    ("ERIGEN LLC", "erigen"),
    ("Johnson & Johnson", "johnson johnson"),
    ("Acme Pharma Co., Ltd.", "acme"),
    ("Novatim Immune Therapeutics (Zhejiang) Co., Ltd.", "novatim immune"),
    ("The Company Ltd", "the company ltd"),
    ("Hengrui-Pharma AG", "hengrui"),
    ("Ōno Yakuhin K.K.", "no yakuhin k k"),
    ("Birch Biotech Holdings Group", "birch"),
    ("3SBio Inc.", "3sbio"),
])
def test_a_company_name_keeps_the_key_it_always_had(name: str, key: str) -> None:
    assert company_key(name) == key


def test_spellings_of_one_company_share_a_key() -> None:
    assert company_key("ERIGEN LLC") == company_key("Erigen") == company_key("erigen, inc. (NASDAQ: ERG)")


def test_a_name_is_split_into_words_without_its_asides() -> None:
    assert name_words("Acme-Bio (Shanghai) Co., Ltd.") == ["acme", "bio", "co", "ltd"]


def test_the_vocabulary_is_read_from_its_data_file() -> None:
    assert {"inc", "ltd", "gmbh", "the"} <= LEGAL_FORMS
    assert {"pharma", "therapeutics"} <= SECTOR_WORDS
    assert not LEGAL_FORMS & SECTOR_WORDS


@pytest.mark.parametrize(("deal", "deal_key"), [
    (DealPayload(primary=True, type="licensing", assets=["AC-101 (pharma)", "AC-102"], parties=[
        Party(name="Acme Pharma Co., Ltd.", role="licensor"), Party(name="Birch Therapeutics, Inc.", role="licensee")]),
     "deal_5e8c93c5fd8e063ab41ea8e0"),
    (DealPayload(primary=True, type="acquisition", parties=[
        Party(name="Johnson & Johnson", role="acquirer"), Party(name="ERIGEN LLC", role="acquired")]),
     "deal_378993504b2ca01cfb6dc3d3"),
    (DealPayload(primary=False, type="regulatory", assets=["onozumab"], regulator="FDA",
                 regulatory_action="approved", parties=[Party(name="Ōno Yakuhin K.K.", role="sponsor")]),
     "deal_d6273f8b4f1dcb2997378ab1"),
], ids=["licensing", "acquisition", "regulatory"])
def test_a_deal_keeps_the_deal_key_it_always_had(deal: DealPayload, deal_key: str) -> None:
    assert deal_key_for(deal) == deal_key
