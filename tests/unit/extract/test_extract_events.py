"""Headline versus history: the event an article is about is primary; earlier ones it recalls are not."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract


def test_regulatory_headline_and_an_earlier_designation() -> None:
    text = ("Arden Therapeutics Inc. announced today that the U.S. Food and Drug Administration (FDA) has issued a "
            "complete response letter (CRL) for the New Drug Application for velirazole in spinocerebellar ataxia.\n"
            "Velirazole had been granted Priority Review in February 2025.")
    events = extract(text, title="Arden receives complete response letter for velirazole",
                     published=dt.date(2025, 11, 4))
    assert [(e.primary, e.regulatory_action) for e in events] == [(True, "crl"), (False, "priority_review")]
    headline, history = events
    assert headline.regulator == "FDA"
    assert [p.name for p in headline.parties] == ["Arden Therapeutics Inc."]
    assert headline.date == "2025-11-04"
    assert history.date == "2025-02"


def test_an_earlier_deal_of_the_same_partners_is_not_the_headline() -> None:
    text = ("Corlan Pharma and Belmont Biosciences today announced an expansion of their co-development agreement "
            "to include BB-220. Belmont Biosciences will pay Corlan Pharma an upfront payment of $170 million.\n"
            "The companies originally entered into the collaboration in October 2023, with Belmont Biosciences "
            "paying $400 million upfront.")
    events = extract(text, title="Corlan Pharma and Belmont Biosciences expand collaboration",
                     published=dt.date(2025, 8, 1))
    assert [(e.primary, e.type) for e in events] == [(True, "collaboration"), (False, "collaboration")]
    assert events[0].upfront is not None and events[0].upfront.amount == 170_000_000
    assert events[1].upfront is not None and events[1].upfront.amount == 400_000_000
    assert events[1].date == "2023-10"


def test_a_partys_cash_balance_at_an_earlier_date_is_no_earlier_deal() -> None:
    text = ("Corlan Pharma and Belmont Biosciences today announced a research collaboration on BB-310. Belmont "
            "Biosciences will pay Corlan Pharma $30 million upfront.\n"
            "Cash and cash equivalents of Corlan Pharma were $402.7 million as of June 30, 2025.")
    events = extract(text, title="Corlan Pharma and Belmont Biosciences enter collaboration",
                     published=dt.date(2025, 8, 1))
    assert [(e.primary, e.type) for e in events] == [(True, "collaboration")]


def test_an_earlier_approval_told_with_the_drugs_sales_is_an_event() -> None:
    text = ("Birch Dermatology will pay Acme Pharma $20 million upfront for exclusive rights to AC-515 outside the "
            "United States.\n"
            "AC-515 won FDA approval for acne vulgaris in March 2025 and brought in $31 million in U.S. sales last "
            "year.")
    events = extract(text, title="Acme Pharma licenses AC-515 to Birch Dermatology", published=dt.date(2026, 4, 29))
    assert [(e.primary, e.type, e.regulatory_action) for e in events] == [
        (True, "licensing", None), (False, "regulatory", "approved")]
    assert (events[1].regulator, events[1].date) == ("FDA", "2025-03")


def test_an_earlier_deal_does_not_take_the_headline_drugs_description_told_after_it() -> None:
    text = ("Marbrook SA has agreed to acquire Tellis Biologics and its drug TB-204 for EUR 900 million upfront. "
            "The deal is Marbrook's largest since it bought the generics maker Gennaro Generics for EUR 2.4 billion "
            "in 2019. It gives Marbrook TB-204, a monoclonal antibody against TL1A in Phase II trials in ulcerative "
            "colitis.")
    events = extract(text, title="Marbrook to buy Tellis Biologics for EUR 900 million", published=dt.date(2026, 9, 29))
    headline, earlier = events
    assert (headline.assets, headline.targets) == (["TB-204"], ["TL1A"])
    assert [p.name for p in earlier.parties][-1] == "Gennaro Generics"
    assert (earlier.targets, earlier.modality) == ([], [])


def test_a_trial_of_the_bought_companys_drug_is_sponsored_by_that_company() -> None:
    text = ("Birch Pharma is buying Acme Bio for $1.4 billion in cash. The prize is AC-55, an oral small molecule "
            "for obesity. A second Phase 2 study of the drug in type 2 diabetes began in January 2026.")
    events = extract(text, title="Birch Pharma snaps up Acme Bio for $1.4B", published=dt.date(2026, 6, 9))
    trial = next(e for e in events if e.type == "clinical")
    assert [(p.name, p.role) for p in trial.parties] == [("Acme Bio", "sponsor")]


def test_the_stated_total_beats_an_equity_value() -> None:
    text = ("Sarnel has agreed to acquire Quorra Medicines Corporation for $129 per share in cash, or an equity value "
            "of approximately $9.1 billion, the drugmaker said. The total potential value of the deal is about "
            "$9.5 billion.")
    [event] = extract(text, title="Sarnel to buy Quorra Medicines for up to $9.5 billion")
    assert event.type == "acquisition"
    assert event.total_value is not None and event.total_value.amount == 9_500_000_000


def test_a_possessive_names_the_sponsor() -> None:
    text = ("The U.S. Food and Drug Administration on Thursday approved Harlow's Zentrava (belrotamab) for patients "
            "with head and neck squamous cell carcinoma.")
    [event] = extract(text, title="FDA approves Harlow's Zentrava", published=dt.date(2025, 6, 12))
    assert (event.type, event.regulatory_action, event.regulator) == ("regulatory", "approved", "FDA")
    assert [p.name for p in event.parties] == ["Harlow"]
    assert event.date == "2025-06-12"


def test_a_denied_report_of_a_takeover_is_no_event() -> None:
    text = ("Velmora Pharma denied a newspaper report that Quillon Bio was ready to pay $4 billion to take over the "
            "company. Velmora said it is not in talks with Quillon Bio about any such transaction.")
    assert extract(text, title="Velmora Denies Takeover Talks with Quillon", published=dt.date(2025, 3, 2)) == []


def test_an_expanded_contract_of_an_earlier_date_is_an_event_of_its_own() -> None:
    text = ("Acme Pharma granted Birch Bio exclusive rights to AC-101 on May 3. Before then, Acme Pharma in June "
            "expanded an April 2020 licence agreement with Cedar Therapeutics by granting rights to AC-55.")
    events = extract(text, title="Acme Pharma licenses AC-101 to Birch Bio", published=dt.date(2025, 7, 1))
    cedar = sorted(e.date for e in events if "Cedar Therapeutics" in {p.name for p in e.parties})
    assert cedar == ["2020-04", "2025-06"]


def test_an_earnings_story_is_not_about_the_deal_it_recalls() -> None:
    text = ("Velmora Pharma Inc. reported third-quarter revenue of $1.2 billion. The company said it expects to "
            "complete its acquisition of Quorra Bio in the fourth quarter.")
    events = extract(text, title="Velmora Pharma reports third-quarter revenue of $1.2 billion, up 14%",
                     published=dt.date(2025, 10, 30))
    assert [(e.type, e.primary) for e in events] == [("acquisition", False)]


def test_a_deal_of_an_earlier_year_is_history_not_another_headline() -> None:
    text = ("Velmora Pharma will buy Quill Therapeutics for $5.2 billion in cash, the companies said. Velmora "
            "Pharma has been active in acquisitions, including a 2011 acquisition of its Swiss rival Ostrander "
            "for €9.6 billion.")
    events = extract(text, title="Velmora Pharma to acquire Quill Therapeutics", published=dt.date(2017, 1, 10))
    assert [(e.primary, sorted(p.name for p in e.parties)) for e in events] == [
        (True, ["Quill Therapeutics", "Velmora Pharma"]), (False, ["Ostrander", "Velmora Pharma"])]


def test_an_article_that_leads_with_history_takes_the_headline_deal_s_money() -> None:
    text = ("Pellham Bio's first venture into Europe was not a happy one. In 2021 it paid $30m upfront to license a "
            "kinase inhibitor from a Hamburg company, only to hand the rights back a year later.\n"
            "On 3 June, Tarrow Oncology Co., Ltd. granted Pellham Bio an exclusive licence to TR-515 outside Greater "
            "China. Pellham will pay $70m upfront and up to $900m in milestones.")
    events = extract(text, title="Pellham Bio licenses TR-515 from Tarrow Oncology", published=dt.date(2025, 6, 20))
    headline = next(e for e in events if e.primary)
    assert headline.upfront is not None and headline.upfront.amount == 70_000_000


def test_a_deal_counted_among_others_is_no_second_deal() -> None:
    text = ("Brannock Bio has granted Ostley Pharma exclusive rights to BR-221 outside Japan for $40 million upfront. "
            "The deal is the fourth out-licensing agreement by a Japanese biotech this year.")
    events = extract(text, title="Brannock Bio licenses BR-221 to Ostley Pharma", published=dt.date(2025, 6, 20))
    assert [(e.primary, e.type) for e in events] == [(True, "licensing")]


def test_each_deal_a_round_up_headline_lists_is_a_headline_event() -> None:
    title = ("Deals of the week: Morland Pharma licenses Tessaly antibody; Quarrel Bio and Astley team up; "
             "Fenwright raises $50M")
    text = (f"{title}\n\n"
            "Morland Pharma licenses Tessaly antibody\nMorland Pharma will pay Tessaly Immunology $80 million upfront "
            "for exclusive global rights to TS-44, Tessaly Immunology's antibody for lupus.\n\n"
            "Quarrel Bio and Astley team up\nQuarrel Bio and Astley Therapeutics will jointly develop QA-9 in lung "
            "cancer, sharing costs and profits equally.\n\n"
            "Fenwright closes Series B\nFenwright Medicines closed a $50 million Series B financing led by Drayton "
            "Ventures.")
    events = extract(text, title=title, published=dt.date(2025, 6, 20))
    assert sorted(e.type for e in events if e.primary) == ["collaboration", "financing", "licensing"]


def test_a_second_part_of_the_headline_about_the_same_company_adds_no_headline_event() -> None:
    title = "Harlow Pharma names new CEO; signs cancer drug deal with Brenton Bio"
    text = (f"{title}\n\nHarlow Pharma has granted Brenton Bio exclusive rights to HP-12 in Europe for $20 million "
            "upfront. In 2019 Harlow Pharma had acquired Cressing Labs for $300 million.")
    events = extract(text, title=title, published=dt.date(2025, 6, 20))
    assert [(e.primary, e.type) for e in events] == [(True, "licensing"), (False, "acquisition")]


def test_one_licensor_granting_one_drug_to_two_regional_partners_makes_two_deals() -> None:
    text = ("Tessaly Biopharma Co., Ltd. has licensed its oral peptide TS-404 to Norvane AG for Europe and to "
            "Kirishima Yakuhin Co., Ltd. for Japan, the company said on Monday.\n"
            "Norvane will pay €20 million upfront and up to €140 million in milestones for exclusive rights to TS-404 "
            "in the European Union. Kirishima Yakuhin will pay ¥3 billion upfront for exclusive rights in Japan.")
    events = extract(text, title="Tessaly licenses TS-404 to two regional partners", published=dt.date(2025, 9, 1))
    deals = [(e.primary, [(p.name, p.role) for p in e.parties], e.assets) for e in events if e.type == "licensing"]
    assert deals == [
        (True, [("Tessaly Biopharma Co., Ltd.", "licensor"), ("Norvane AG", "licensee")], ["TS-404"]),
        (True, [("Kirishima Yakuhin Co., Ltd.", "licensee"), ("Tessaly Biopharma Co., Ltd.", "licensor")], ["TS-404"]),
    ]
    europe, japan = events[:2]
    assert europe.upfront is not None and (europe.upfront.amount, europe.upfront.currency) == (20_000_000, "EUR")
    assert japan.upfront is not None and (japan.upfront.amount, japan.upfront.currency) == (3_000_000_000, "JPY")
    assert europe.territory is not None and europe.territory.include == ["European Union"]
    assert japan.territory is not None and japan.territory.include == ["Japan"]


def test_two_drugs_to_two_licensees_in_one_sentence_stay_apart() -> None:
    text = ("Acme Biotherapeutics Inc. licensed AB-101 to Birch Pharma Ltd. for Europe and AB-202 to Cedar "
            "Therapeutics Co. for Japan.")
    events = extract(text, title="Acme licenses two drugs", published=dt.date(2025, 6, 3))
    assert [([p.name for p in e.parties], e.assets) for e in events] == [
        (["Acme Biotherapeutics Inc.", "Birch Pharma Ltd."], ["AB-101"]),
        (["Acme Biotherapeutics Inc.", "Cedar Therapeutics Co."], ["AB-202"]),
    ]


def test_two_licences_joined_by_while_keep_their_own_parties_and_money() -> None:
    text = ("Halvor Bio Inc. licensed HV-110 to Marlo Pharma Ltd. for $25 million upfront, while Ostrel "
            "Therapeutics Corp. out-licensed OT-520 to Wendell Biosciences Inc. for $12 million upfront and up to "
            "$150 million in milestones.")
    first, second = extract(text, title="Two licensing deals", published=dt.date(2025, 6, 3))
    assert [(p.name, p.role) for p in first.parties] == [("Halvor Bio Inc.", "licensor"),
                                                         ("Marlo Pharma Ltd.", "licensee")]
    assert [(p.name, p.role) for p in second.parties] == [("Ostrel Therapeutics Corp.", "licensor"),
                                                          ("Wendell Biosciences Inc.", "licensee")]
    assert first.upfront is not None and first.upfront.amount == 25_000_000 and first.milestones is None
    assert second.upfront is not None and second.upfront.amount == 12_000_000
    assert second.milestones is not None and second.milestones.amount == 150_000_000


def test_the_signing_date_beats_the_day_the_deal_is_announced() -> None:
    text = ("Pellam Therapeutics Inc. today announced that it has granted Rusk Biologics Ltd. exclusive rights to "
            "PL-330 in Greater China. Under the agreement, Rusk will pay Pellam $20 million upfront. Pellam is also "
            "eligible to receive up to $200 million in milestones. The agreement was signed on March 3, 2025.")
    [event] = extract(text, title="Pellam licenses PL-330 to Rusk", published=dt.date(2025, 6, 3))
    assert event.date == "2025-03-03"


def test_a_roundup_deal_takes_the_signing_date_of_the_line_after_it() -> None:
    text = ("Weekly deals\n\nOsk Bio AG agreed to pay $300 million upfront for exclusive global rights to OS-330, "
            "Tamber Immunology's antibody for lupus. OS-330 is in a Phase II trial. The deal was signed on October 6."
            "\n\nVarn Bio raised $90 million in a Series C financing led by Greyhill Capital.")
    events = extract(text, title="Deals of the week: Osk pays $300M for OS-330; Varn raises $90M",
                     published=dt.date(2026, 10, 9))
    dates = {e.type: e.date for e in events}
    assert dates["licensing"] == "2026-10-06"
    assert dates["financing"] is None


def test_one_buyer_of_several_companies_each_at_its_own_price_makes_one_acquisition_each() -> None:
    text = ("Garnet Pharma Inc. said on May 5, 2025 it had agreed to acquire Helio Bio Ltd. for $300 million, Quell "
            "Biosciences Inc. for $1.2 billion and Vexa Genetics AG for $85 million.")
    events = extract(text, title="Garnet Pharma buys three biotechs", published=dt.date(2025, 5, 6))
    assert [(e.primary, [(p.name, p.role) for p in e.parties], e.total_value.amount if e.total_value else None)
            for e in events] == [
        (True, [("Garnet Pharma Inc.", "acquirer"), ("Helio Bio Ltd.", "acquired")], 300_000_000),
        (True, [("Garnet Pharma Inc.", "acquirer"), ("Quell Biosciences Inc.", "acquired")], 1_200_000_000),
        (True, [("Garnet Pharma Inc.", "acquirer"), ("Vexa Genetics AG", "acquired")], 85_000_000),
    ]


def test_one_deal_told_over_several_sentences_stays_one_event() -> None:
    text = ("Sorrel Biotech Inc. has signed an exclusive licence agreement with Pine Pharma Co., Ltd. for SR-401 in "
            "Greater China. Pine will pay Sorrel $15 million upfront. Sorrel is eligible for up to $180 million in "
            "milestones. Pine will also make a $5 million equity investment in Sorrel.")
    [event] = extract(text, title="Sorrel licenses SR-401 to Pine", published=dt.date(2025, 6, 3))
    assert [(p.name, p.role) for p in event.parties] == [("Sorrel Biotech Inc.", "licensor"),
                                                         ("Pine Pharma Co., Ltd.", "licensee")]
    assert (event.upfront.amount if event.upfront else None, event.equity.amount if event.equity else None) == (
        15_000_000, 5_000_000)
    assert event.milestones is not None and event.milestones.amount == 180_000_000


def test_two_regulators_deciding_on_two_drugs_in_one_sentence_make_two_events() -> None:
    text = ("The FDA approved Lumara Inc.'s LM-220 for psoriasis on May 2, 2025, and the EMA approved Corvo AG's "
            "CV-18 for asthma on May 5, 2025.")
    events = extract(text, title="Regulators approve two drugs", published=dt.date(2025, 6, 3))
    assert [(e.regulator, e.assets, [p.name for p in e.parties], e.date) for e in events] == [
        ("FDA", ["LM-220"], ["Lumara Inc."], "2025-05-02"),
        ("EMA", ["CV-18"], ["Corvo AG"], "2025-05-05"),
    ]


def test_a_headline_naming_two_designations_makes_both_headline_events() -> None:
    text = ("Tollan Biosciences Corp. said the FDA has granted Breakthrough Therapy Designation to TB-550 for "
            "relapsed osteosarcoma. The agency separately granted TB-550 Orphan Drug Designation on July 2, 2026.")
    events = extract(text, title="Tollan's TB-550 wins FDA breakthrough therapy and orphan drug designations",
                     published=dt.date(2026, 7, 9))
    assert [(e.primary, e.regulatory_action) for e in events] == [
        (True, "breakthrough_designation"), (True, "orphan_designation")]
    assert events[1].date == "2026-07-02"


def test_a_second_financing_told_in_the_lead_shares_the_headline_day_and_drug() -> None:
    text = ("BOSTON, April 7, 2026 -- Corrigan Pharma, Inc. (NASDAQ: CRGN) today announced that it has entered into "
            "a term loan facility of up to $200 million with Hollins Credit Partners. Corrigan also announced a "
            "$50 million private placement of common stock with Ashdown Capital and Brantley Investors.\n"
            "The financing fully funds the commercial launch of VELTRA (corivatide), which is under FDA review.")
    events = extract(text, title="Corrigan secures $200 million loan and $50 million private placement",
                     published=dt.date(2026, 4, 7))
    assert [(e.primary, e.type, e.total_value.amount if e.total_value else None, e.date, e.assets) for e in events] == [
        (True, "financing", 200_000_000, "2026-04-07", ["VELTRA"]),
        (True, "financing", 50_000_000, "2026-04-07", ["VELTRA"]),
    ]


def test_a_heading_in_capitals_makes_no_deal_of_garbled_names() -> None:
    text = ("VOLUNTARY ANNOUNCEMENT\nGRANT OF AN EXCLUSIVE LICENCE TO BIRCH THERAPEUTICS FOR AC-5150\n"
            "The board of Acme Biopharma Co., Ltd. is pleased to announce that the Company has granted Birch "
            "Therapeutics, Inc. an exclusive licence to develop and commercialise AC-5150 outside Greater China for "
            "an upfront payment of US$18 million.")
    events = extract(text, title="Acme Biopharma Co., Ltd. announcement", published=dt.date(2025, 9, 1))
    assert [(e.type, sorted((p.name, p.role) for p in e.parties)) for e in events] == [
        ("licensing", [("Acme Biopharma Co., Ltd.", "licensor"), ("Birch Therapeutics, Inc.", "licensee")])]


def test_another_company_s_event_told_with_its_does_not_take_the_headline_drug() -> None:
    text = ("Quendra Bio licensed exclusive rights to QDB-71, its oral TYK2 inhibitor for psoriasis, to Marrow "
            "Pharma for an upfront payment of $30 million.\n"
            "Separately, Tollis Genomics closed a $45 million Series A led by Ardent Peak Capital to advance its "
            "gene editing platform for hemophilia A.\n"
            "Also this week, Pevely Biologics received NMPA approval for its adalimumab biosimilar.")
    events = extract(text, title="Quendra licenses QDB-71 to Marrow", published=dt.date(2026, 4, 2))
    by_type = {e.type: e for e in events}
    assert by_type["licensing"].assets == ["QDB-71"]
    assert by_type["financing"].assets == []
    assert "TYK2" not in by_type["financing"].targets
    assert by_type["regulatory"].assets != ["QDB-71"]


def test_a_headline_that_words_the_body_s_licence_as_a_purchase_is_the_same_one_licence() -> None:
    text = ("Osterby Pharma AG and Vantor Bio, Inc. today announced an exclusive license agreement granting Osterby "
            "rights to develop and commercialize VTB-12 outside the United States. Vantor keeps all U.S. rights.")
    events = extract(text, title="Osterby Acquires Ex-U.S. Rights to Vantor Bio's Sleep Drug in $430 Million Deal",
                     published=dt.date(2026, 5, 4))
    assert [(e.primary, e.type) for e in events] == [(True, "licensing")]
    licence = events[0]
    roles = {p.name: p.role for p in licence.parties}
    assert roles == {"Osterby Pharma AG": "licensee", "Vantor Bio, Inc.": "licensor"}
    assert licence.territory is not None and licence.territory.exclude == ["United States"]



def test_an_earlier_purchase_told_with_it_as_the_buyer_does_not_take_the_headline_drug() -> None:
    text = ("Corbel Pharma said it would acquire Ansty Therapeutics for about $1.2 billion, adding AN-220, an oral "
            "NLRP3 inhibitor for gout.\n"
            "The deal is Corbel's second in rheumatology after it bought Pellow Bio for $300 million in 2023.")
    events = extract(text, title="Corbel to buy Ansty Therapeutics for $1.2 billion", published=dt.date(2026, 6, 3))
    history = next(e for e in events if not e.primary)
    assert [p.name for p in history.parties if p.role == "acquired"] == ["Pellow Bio"]
    assert history.assets == []
    assert history.targets == []


def test_a_year_told_after_a_plan_is_no_history() -> None:
    text = ("Corbel Pharma said it would buy all of Ansty Therapeutics' shares for $18 each in cash, valuing the "
            "company at $900 million.\n"
            "Corbel's shares fell 2 percent in early trading.\n"
            "Analysts said the price was fair.\n"
            "Ansty has a key product called ostrivimab that treats rare bone disorders, and it hopes to get full "
            "regulatory approval for the medicine in 2024.")
    events = extract(text, title="Corbel to buy Ansty Therapeutics", published=None)
    [deal] = [e for e in events if e.primary]
    assert deal.assets == ["ostrivimab"]
    assert deal.indications == ["rare bone disorders"]


def test_the_one_deal_of_an_article_that_opens_with_history_is_its_headline() -> None:
    text = ("For a decade, Tarrow Oncology struggled to find a partner for its antibody work.\n"
            "Its shares have fallen by half since 2021.\n"
            "On Monday Tarrow Oncology said it had granted Pellham Bio exclusive rights to TR-515 in Europe for "
            "$40 million upfront.")
    events = extract(text, title="After a decade of waiting, a partner at last", published=dt.date(2025, 6, 20))
    assert [(e.primary, e.type, e.assets) for e in events] == [(True, "licensing", ["TR-515"])]


def test_the_one_deal_of_an_article_told_as_history_after_its_lead_stays_history() -> None:
    text = ("Tarrow Oncology reported quarterly revenue of $12 million, up 8% from a year earlier.\n"
            "Its shares have fallen by half since 2021.\n"
            "In March 2023 Tarrow Oncology granted Pellham Bio exclusive rights to TR-515 in Europe for "
            "$40 million upfront.")
    events = extract(text, title="After a decade of waiting, results at last", published=dt.date(2025, 6, 20))
    assert [e.primary for e in events] == [False]
