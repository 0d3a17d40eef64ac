"""Which event an article is about (`primary.py`). Invented text."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_RESULTS = ("SAN DIEGO, Nov. 5, 2026 -- Halmere Biosciences, Inc. today reported financial results for the third "
            "quarter ended September 30, 2026.\n\n"
            "\"This quarter we brought in a strong regional partner,\" said Owen Carrow, Chief Executive Officer.\n\n"
            "Third Quarter Highlights\n"
            "- In September 2026, Halmere entered into an exclusive license agreement with Kyoma Pharmaceutical Co., "
            "Ltd., granting Kyoma rights to HM-12 in Japan for a $25 million upfront payment.\n"
            "- Halmere dosed the first patient in a Phase 2 trial of HM-31 in MASH in August 2026.\n\n"
            "Lumivra, which Halmere bought in 2021, generated $41.2 million in net product revenue.\n")


def test_the_periods_deal_is_the_headline_event_of_a_results_release() -> None:
    events = extract(_RESULTS, title="Halmere Biosciences Reports Third Quarter 2026 Financial Results",
                     published=dt.date(2026, 11, 5))
    primary = [(e.type, e.date) for e in events if e.primary]
    assert primary == [("licensing", "2026-09")], events
    assert "clinical" in [e.type for e in events if not e.primary]


def test_a_results_release_recalling_only_old_deals_has_no_headline_event() -> None:
    text = ("SAN DIEGO, Nov. 5, 2026 -- Halmere Biosciences, Inc. today reported financial results for the third "
            "quarter ended September 30, 2026.\n\n"
            "\"It was a steady quarter,\" said Owen Carrow, Chief Executive Officer.\n\n"
            "Revenue included royalties under the license agreement with Kyoma Pharmaceutical Co., Ltd. signed in "
            "March 2023.\n")
    events = extract(text, title="Halmere Biosciences Reports Third Quarter 2026 Financial Results",
                     published=dt.date(2026, 11, 5))
    assert not [e for e in events if e.primary], events


_DIGEST = ("September 18, 2026 | Dealmaking Digest\n\n"
           "Osprane Therapeutics licensed rights to its hemophilia A gene therapy OS-81 in the Asia-Pacific region to "
           "Meranto Health. Meranto will pay $45 million upfront and up to $120 million in milestones.\n\n"
           "Delmore Bio acquired privately held Ferrant Labs for $210 million, gaining a cell therapy.\n\n"
           "Norrvik Pharma paid $12 million upfront for the rights in Europe to Tessaro Bio's migraine drug TS-330.\n")


def test_a_digest_whose_headline_singles_out_one_deal_reports_the_others_in_passing() -> None:
    events = extract(_DIGEST, title="Deals of the week: Osprane's gene therapy pact leads a busy week",
                     published=dt.date(2026, 9, 18))
    assert [e.parties[0].name for e in events if e.primary] == ["Osprane Therapeutics"], events


def test_a_digest_under_a_headline_naming_no_deal_reports_each_licence() -> None:
    events = extract(_DIGEST, title="Deals of the week: a busy week for gene therapy licensing",
                     published=dt.date(2026, 9, 18))
    assert len([e for e in events if e.primary and e.type == "licensing"]) == 2, events


_FILING = ("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\nWashington, D.C. 20549\n\nFORM 8-K\n\nCURRENT REPORT\n"
           "Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934\n\n"
           "Date of Report (Date of earliest event reported): June 29, 2026\n\n"
           "Item 1.01 Entry into a Material Definitive Agreement.\n\n"
           "On June 29, 2026, Varnell Biosciences, Inc. (the \"Company\") entered into a License Agreement (the "
           "\"Agreement\") with Quorrin Pharmaceuticals plc (\"Quorrin\"), pursuant to which Quorrin granted the "
           "Company an exclusive, worldwide license to develop and commercialize QX-41, an antibody-drug conjugate.\n\n"
           "Under the Agreement, the Company will pay Quorrin an upfront payment of $18.0 million. Quorrin is eligible "
           "to receive milestone payments of up to $96.0 million.\n")


def test_a_filing_reporting_a_deal_signed_days_before_makes_it_the_headline_event() -> None:
    events = extract(_FILING, title="Varnell Biosciences, Inc. Form 8-K", published=dt.date(2026, 7, 1))
    primary = [e for e in events if e.primary]
    assert [(e.type, e.date, e.assets) for e in primary] == [("licensing", "2026-06-29", ["QX-41"])], events
    assert primary[0].upfront is not None and primary[0].upfront.amount == 18_000_000
    assert len(events) == 1, events


def test_a_headline_naming_two_deals_by_their_drugs_makes_both_headline_events() -> None:
    text = ("Hanbit Pharm said Wednesday it has licensed out global rights, excluding Korea, to its psoriasis drug "
            "HP-301 to U.S.-based Corrow Bio, in a deal worth up to $520 million.\n\n"
            "Hanbit will receive $20 million upfront and is eligible for up to $500 million in milestones. HP-301 has "
            "completed a Phase 1 trial in healthy volunteers.\n\n"
            "Separately, Hanbit said it signed a co-development agreement with Japan's Oshiro Pharmaceutical on April "
            "10 for HP-415, a bispecific antibody for solid tumors. HP-415 is in preclinical development.\n")
    events = extract(text, title="Hanbit Pharm inks two deals, out-licensing HP-301 to Corrow and co-developing "
                     "HP-415 with Oshiro", published=dt.date(2026, 4, 15))
    primary = sorted((e.type, e.assets) for e in events if e.primary)
    assert primary == [("collaboration", ["HP-415"]), ("licensing", ["HP-301"])], events


def test_a_round_up_that_tells_its_other_deals_after_the_first_without_headings_reports_only_the_first() -> None:
    title = ("Deals of the week: Morland Pharma licenses Tessaly antibody; Quarrel Bio buys Astley; "
             "Fenwright raises $50M")
    text = (f"{title}\n\nBy Ada Pell\nJune 19, 2025\n\n"
            "Morland Pharma will pay Tessaly Immunology $80 million upfront for exclusive global rights to TS-44, "
            "Tessaly Immunology's antibody for lupus.\n\n"
            "Elsewhere, Quarrel Bio agreed to acquire Astley Therapeutics for $300 million in cash.\n\n"
            "And Fenwright Medicines closed a $50 million Series B financing led by Drayton Ventures.\n")
    events = extract(text, title=title, published=dt.date(2025, 6, 20))
    assert [(e.primary, e.type) for e in events] == [(True, "licensing"), (False, "acquisition"),
                                                       (False, "financing")]


def test_a_headline_on_the_approval_of_an_in_licensed_drug_is_about_the_approval() -> None:
    title = "EC clears Norvane's in-licensed cough drug NV-12"
    text = (f"{title}\n\nBy Ada Pell Jun 3, 2026\n\nItaly's Norvane Pharma S.p.A. won European Commission approval on "
            "2 June 2026 for NV-12, the oral P2X3 receptor antagonist it in-licensed from Japan's Keisho "
            "Pharmaceutical Co., Ltd., for adults with refractory chronic cough.\n\n"
            "Norvane took European rights to NV-12 in a 2024 deal that cost it €30 million upfront.\n")
    events = extract(text, title=title, published=dt.date(2026, 6, 3))
    assert [(e.primary, e.type) for e in events] == [(True, "regulatory"), (False, "licensing")]
    assert [p.name for p in events[0].parties] == ["Norvane Pharma S.p.A."]  # Europe is the licensee's
