"""An event's targets are those of its own drug: not another drug's named beside it in a headline."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

PUBLISHED = dt.date(2026, 3, 4)


def _events(text: str, title: str) -> list:
    return extract(text, title=title, published=PUBLISHED)


def test_a_headline_naming_two_drugs_targets_gives_each_event_its_own() -> None:
    title = "Corbel Bio licenses OX40 antibody from Tansy Immunology; separately wins fast track for NLRP3 pill"
    text = (f"{title}\n\nSAN DIEGO, March 4, 2026 -- Corbel Bio, Inc. today announced that it has entered into an "
            "exclusive worldwide license agreement with Tansy Immunology Ltd. for TNS-410, a monoclonal antibody "
            "targeting OX40. Corbel will pay Tansy $20 million upfront. Separately, Corbel announced that the U.S. "
            "Food and Drug Administration (FDA) has granted Fast Track designation to CRB-22, its oral NLRP3 "
            "inhibitor, for recurrent pericarditis.")
    events = _events(text, title)
    licence = next(e for e in events if e.type == "licensing")
    assert licence.targets == ["OX40"]
    designation = next(e for e in events if e.type == "regulatory")
    assert designation.targets == ["NLRP3"]


def test_a_family_named_beside_the_member_the_drug_targets_is_dropped() -> None:
    text = ("Corbel Bio has granted Tansy Pharma exclusive rights to TNS-410 in Japan for $20 million upfront. "
            "TNS-410 is a monoclonal antibody against FGFR2b, a splice variant of FGFR2 of the FGFR family, "
            "in gastric cancer.")
    event = next(e for e in _events(text, "Corbel Bio licenses TNS-410 to Tansy Pharma") if e.primary)
    assert event.targets == ["FGFR2b"]


def test_cd3_beside_cd30_is_a_target_of_its_own() -> None:
    text = ("Corbel Bio has granted Tansy Pharma exclusive rights to TNS-410 in Japan for $20 million upfront. "
            "TNS-410 is a bispecific antibody that binds CD30 and CD3, in Hodgkin lymphoma.")
    event = next(e for e in _events(text, "Corbel Bio licenses TNS-410 to Tansy Pharma") if e.primary)
    assert sorted(event.targets) == ["CD3", "CD30"]


def test_the_receptor_of_a_peptide_named_by_its_symbol_is_the_target() -> None:
    text = ("Corbel Bio has granted Tansy Pharma exclusive rights to Velmara (corbenumab) in Japan for $20 million "
            "upfront. Velmara, a monoclonal antibody against the PACAP receptor PAC1, is approved in the United "
            "States for the preventive treatment of migraine.")
    event = next(e for e in _events(text, "Corbel Bio licenses Velmara to Tansy Pharma") if e.primary)
    assert event.targets == ["PAC1"]


def test_the_metabolite_a_drug_binds_with_is_no_target() -> None:
    text = ("Corbel Bio has granted Tansy Pharma exclusive rights to TNS-410 in Japan for $20 million upfront. "
            "TNS-410 is an oral, MTA-cooperative inhibitor of protein arginine methyltransferase 5 (PRMT5) for "
            "MTAP-deleted solid tumors.")
    event = next(e for e in _events(text, "Corbel Bio licenses TNS-410 to Tansy Pharma") if e.primary)
    assert event.targets == ["PRMT5"]
