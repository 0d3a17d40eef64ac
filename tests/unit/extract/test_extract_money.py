"""Money as news writes it: symbols, codes, words, scales, normalised to exact whole units and ISO codes;
what each figure is; the money fields of one deal. All names and figures are invented."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dealwire.services.extract.engine import extract
from dealwire.services.extract.engine.money import MoneyMention, classify, deal_money, find_money
from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import load
from dealwire.services.extract.gold_format import to_gold


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("eligible to receive up to US$1.093 billion in milestones", 1_093_000_000, "USD"),
        ("a milestone payment of USD 15 million", 15_000_000, "USD"),
        ("an upfront payment of $18.5M", 18_500_000, "USD"),
        ("a deal valued at RMB 1 billion", 1_000_000_000, "CNY"),
        ("will pay around RMB315 million upfront", 315_000_000, "CNY"),
        ("a deal worth 3.2 billion yuan", 3_200_000_000, "CNY"),
        ("raised €50m in a series B", 50_000_000, "EUR"),
        ("a £3.9bn takeover", 3_900_000_000, "GBP"),
        ("a placing of HK$1.58 billion", 1_580_000_000, "HKD"),
        ("a placing that raised HK$531.3 million", 531_300_000, "HKD"),
        ("worth 1.2 billion yen", 1_200_000_000, "JPY"),
        ("an acquisition for ¥95 billion", 95_000_000_000, "JPY"),
        ("an investment of 90 billion won", 90_000_000_000, "KRW"),
        ("a 1.2tn won acquisition", 1_200_000_000_000, "KRW"),
        ("transfers that exceeded 7 trillion won this year", 7_000_000_000_000, "KRW"),
        ("an upfront payment of ₩12.6 billion", 12_600_000_000, "KRW"),
        ("a KRW 45 billion convertible bond", 45_000_000_000, "KRW"),
        ("6.5 million euros upfront", 6_500_000, "EUR"),
        ("CHF 250 million in milestones", 250_000_000, "CHF"),
        ("an upfront payment of USD80 million", 80_000_000, "USD"),
        ("a private placement of A$64.5 million", 64_500_000, "AUD"),
        ("a S$40 million facility", 40_000_000, "SGD"),
        ("an offering of NT$2.5 billion", 2_500_000_000, "TWD"),
        ("a C$75 million financing", 75_000_000, "CAD"),
        ("SEK 300 million upfront", 300_000_000, "SEK"),
        ("DKK 1.2 billion in milestones", 1_200_000_000, "DKK"),
        ("a NOK 450 million rights issue", 450_000_000, "NOK"),
        ("a deal worth Rs 500 crore", 5_000_000_000, "INR"),
        ("an outlay of Rs. 1,200 crore", 12_000_000_000, "INR"),
        ("an order book of ₹2 lakh crore", 2_000_000_000_000, "INR"),
        ("INR 300 crore upfront", 3_000_000_000, "INR"),
        ("a grant of 80 lakh rupees", 8_000_000, "INR"),
    ],
)
def test_money_wording_and_currencies(text: str, amount: int, currency: str) -> None:
    [mention] = find_money(text)
    assert (mention.amount, mention.currency) == (amount, currency)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("US$1.093 billion", 1_093_000_000), ("HK$531.3 million", 531_300_000), ("$0.3 billion", 300_000_000),
     ("€12.345678 million", 12_345_678), ("1.1 trillion won", 1_100_000_000_000)],
)
def test_amounts_are_exact_integers(text: str, amount: int) -> None:
    [mention] = find_money(text)
    assert type(mention.amount) is int
    assert mention.amount == amount


def test_every_currency_converts_to_us_dollars_at_a_dated_rate() -> None:
    vocab = load()
    assert vocab.fx["as_of"]
    for currency, _ in vocab.currencies:
        assert MoneyMention(1_000_000_000, currency, 0, 0).amount_usd, currency


def test_amount_usd_is_whole_dollars() -> None:
    [mention] = find_money("RMB 1 billion")
    assert type(mention.amount_usd) is int
    assert 100_000_000 < mention.amount_usd < 200_000_000
    [dollars] = find_money("$1.093 billion")
    assert dollars.amount_usd == 1_093_000_000


def test_up_to_is_recorded() -> None:
    [mention] = find_money("eligible to receive up to USD 1.32 billion")
    assert mention.up_to


@pytest.mark.parametrize(
    "text",
    ["an upfront payment of $200 million (~€183 million) and more",
     "an upfront payment of $200 million (about €183 million) and more",
     "an upfront payment of $200 million, or about €183 million, and more"],
)
def test_a_conversion_is_not_a_second_amount(text: str) -> None:
    [mention] = find_money(text)
    assert (mention.amount, mention.currency) == (200_000_000, "USD")
    assert mention.converted == (183_000_000, "EUR")


def test_the_local_figure_written_first_is_kept_as_written() -> None:
    [mention] = find_money("Kestrel will acquire Lumen for ¥120 billion (US$800 million).")
    assert (mention.amount, mention.currency) == (120_000_000_000, "JPY")


def test_a_bracketed_figure_in_the_same_currency_is_a_figure_of_its_own() -> None:
    mentions = find_money("a deal worth $1 billion ($50 million upfront)")
    assert [m.amount for m in mentions] == [1_000_000_000, 50_000_000]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("a price of $2.00 per ordinary share in cash", []),
        ("Birch will buy Orvane for US$18.00 (€16.60) per share, in a cash deal worth US$2.1 billion.",
         [2_100_000_000]),
        ("a tender offer with an offer price of ¥4,100 per share", []),
        ("Birch will pay ₩52,000 per share, valuing Orvane at ₩1.1 trillion", [1_100_000_000_000]),
        ("Birch offered $31 each in cash, or about $900 million in all", [900_000_000]),
        ("shares priced at US$11.50 per ADS", []),
    ],
)
def test_per_share_prices_are_not_deal_money(text: str, kept: list[int]) -> None:
    assert [m.amount for m in find_money(text)] == kept


def _kinds(sentence: str) -> list[str | None]:
    kinds, previous = [], 0
    for mention in find_money(sentence):
        kinds.append(classify(sentence, mention, 0, previous))
        previous = mention.end
    return kinds


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Per the deal, Birch will give Orvane $85 million upfront with the possibility of up to "
         "$1.485 billion in success-based milestones.", ["upfront", "milestones"]),
        ("Kestrel will receive a near-term development milestone payment of USD 15 million, and will be "
         "eligible to receive up to USD 1.32 billion in development, regulatory, and commercial milestone "
         "payments.", ["upfront", "milestones"]),
        ("Kestrel will be entitled to up to USD 800 million in tiered sales-based royalties.", ["royalties"]),
        ("The company acquires the biotech in a $525 million deal.", ["total_value"]),
        ("Birch made an equity investment of approximately $105 million.", ["equity"]),
        ("The upfront cash portion represents a transaction value of approximately $1.0bn.", ["upfront"]),
        ("Combined, the upfront and potential contingent value payments represent a transaction value of "
         "approximately $1.2bn.", ["total_value"]),
        ("Lumen will receive 6.5 million euros upfront payment and 10 million euros research payments.",
         ["upfront", None]),
        # a royalty word right after a figure, without "in", is the next item of the list, not a royalty cap
        ("Should Birch exercise its option, approval and sales-based payments of up to CHF400 million "
         "($500 million) tiered royalties on future sales would be added.", ["milestones"]),
        ("Contingent payments of up to $2.2 billion were agreed.", ["milestones"]),
        # one figure for the upfront and research payments together is the upfront
        ("Under the terms, Orvane is entitled to upfront and short-term research payments of CHF4 million, "
         "the company said.", ["upfront"]),
        ("Under the agreement, the company will receive upfront and potential milestone payments worth up "
         "to 900 billion won, payable on certain achievements, and royalties on net sales.", ["total_value"]),
        ("An official said the company will receive up to 20.5 billion won from Birch soon for upfront fees "
         "and near-term milestones.", ["upfront"]),
        ("Birch will buy all outstanding shares of Orvane for US$18.00 per share, in a cash deal worth "
         "US$2.1 billion.", ["total_value"]),
        ("Acme raised $40 million in a Series A round to fund the trial.", ["raised"]),
        # "totaling" / "worth" sums the phrase before it: one payment kind is that kind, several are the total
        ("Birch intends to make an equity investment in Orvane totaling €105 million, representing 30% of "
         "its shares.", ["equity"]),
        ("Orvane is eligible for milestone payments totaling $300 million.", ["milestones"]),
        ("Kestrel exercised its option to acquire Lumen for a pre-negotiated upfront payment as well as "
         "potential development and regulatory milestones totaling up to $525 million.", ["total_value"]),
        ("Orvane would receive up to $1.2 billion in milestones, plus tiered royalties on net sales (bringing "
         "the total potential deal value to $1.3 billion).", ["milestones", "total_value"]),
        # an acquisition's contingent payments: value rights, and a figure the words after it tie to milestones
        ("Kestrel will acquire Lumen for $260 million upfront plus up to $140 million in contingent value "
         "rights.", ["upfront", "milestones"]),
        ("Kestrel will pay $30 million at closing, with up to $45 million more tied to clinical and regulatory "
         "milestones.", ["upfront", "milestones"]),
        ("Lumen shareholders will also get a contingent value right worth up to $300 million in total.",
         ["milestones"]),
        ("The deal is worth $1.2 billion in total.", ["total_value"]),
        # what a figure pays for, listed before the milestone word: not the cue before it
        ("Kestrel will receive a $15 million equity investment, plus research funding, and is eligible for up to "
         "$1.9 billion in discovery, development, regulatory and commercial milestones.", ["equity", "milestones"]),
        # milestones told as goals to meet; a total told with its conditions stays the total
        ("Orvane will get $20 million upfront and as much as $500 million more if the drug hits certain goals.",
         ["upfront", "milestones"]),
        ("Orvane could receive up to $500 million if development and commercial goals are met.", ["milestones"]),
        ("The upfront represents $1.0 billion, with the total value being about $1.2 billion if the milestone is "
         "achieved.", ["upfront", "total_value"]),
        # a total its breakdown follows, or an including phrase with commas precedes
        ("The total deal size reaches 620 billion won including upfront and milestones.", ["total_value"]),
        ("The deal's total value, including upfront and milestones, is $1 billion.", ["total_value"]),
        # the upfront told as paid at signing
        ("Birch will pay Orvane $20 million in cash at signing.", ["upfront"]),
        ("Birch will pay $20 million upon execution of the agreement.", ["upfront"]),
        ("Birch will make a one-time payment of $20 million.", ["upfront"]),
        # a price told as a ceiling: "to buy X for up to €1.35 billion"
        ("Kestrel to buy antibody maker Lumen for up to €1.35 billion", ["total_value"]),
        # a round named by its series, a rights issue: money raised
        ("The company emerged from stealth in 2024 with a $40 million Series A.", ["raised"]),
        ("Kestrel raised 400 million Swedish crowns in a rights issue last year.", ["raised"]),
    ],
)
def test_payment_kinds(sentence: str, expected: list[str | None]) -> None:
    assert _kinds(sentence) == expected


@dataclass
class _Facts:
    sentence: Sentence
    money: list[MoneyMention] = field(default_factory=list)


def _facts(*texts: str) -> list[_Facts]:
    out, start = [], 0
    for index, text in enumerate(texts):
        out.append(_Facts(Sentence(text, start, start + len(text), index, index), find_money(text, start)))
        start += len(text) + 1
    return out


def _amounts(facts: list[_Facts], deal_type: str = "licensing") -> dict[str, tuple[int, str]]:
    return {kind: (m.amount, m.currency) for kind, (m, _) in deal_money(facts, deal_type).items()}


def test_milestones_paying_for_different_things_are_summed_across_sentences() -> None:
    facts = _facts("Birch will pay Orvane $20 million upfront and up to $210 million in development and "
                   "regulatory milestones.",
                   "If OR-5 is commercialised, Orvane could receive up to $180 million in sales milestones.")
    assert _amounts(facts)["milestones"] == (390_000_000, "USD")


def test_a_milestone_total_restated_later_is_not_summed() -> None:
    facts = _facts("Orvane is eligible for up to $1.5 billion in development, regulatory and sales milestones.",
                   "These include up to $400 million in development milestones.")
    assert _amounts(facts)["milestones"] == (1_500_000_000, "USD")


def test_a_total_followed_by_its_breakdown_is_not_summed_with_its_parts() -> None:
    facts = _facts("Contingent payments of up to $2.2 billion include $1.5 billion for regulatory milestones "
                   "and other contingencies, as well as sales-related milestones of up to $700 million.")
    assert _amounts(facts)["milestones"] == (2_200_000_000, "USD")


def test_parts_of_one_sentence_are_summed() -> None:
    facts = _facts("Orvane may receive $100 million in development milestones and $250 million in sales "
                   "milestones.")
    assert _amounts(facts)["milestones"] == (350_000_000, "USD")


def test_a_headline_deal_figure_equal_to_the_upfront_is_the_upfront() -> None:
    facts = _facts("Orvane grants Birch global rights to OR-7 in $300 million deal",
                   "Birch will pay $300 million upfront.",
                   "Orvane could earn up to $4 billion in milestone payments.")
    amounts = _amounts(facts)
    assert amounts["upfront"] == (300_000_000, "USD")
    assert "total_value" not in amounts


def test_the_article_s_own_currency_beats_the_headline_conversion() -> None:
    facts = _facts("Kestrel to acquire Lumen for $800M",
                   "Kestrel will acquire Lumen for ¥120 billion (US$800 million).")
    assert _amounts(facts, "acquisition")["total_value"] == (120_000_000_000, "JPY")


def test_a_total_told_with_the_deal_s_payments_beats_one_told_without() -> None:
    facts = _facts("Licensing deals by the country's biotechs this year already exceed $9 billion.",
                   "Under the agreement, Orvane will receive upfront and potential milestone payments worth up to "
                   "900 billion won.")
    assert _amounts(facts)["total_value"] == (900_000_000_000, "KRW")


def test_the_stake_bought_is_the_price_of_an_acquisition() -> None:
    facts = _facts("Acme will pay RMB 1.2 billion to acquire a 70% stake in Birch.",
                   "Acme plans to raise RMB 4 billion in a private placement to pay for the acquisition.")
    assert _amounts(facts, "acquisition") == {"total_value": (1_200_000_000, "CNY")}


def test_money_raised_is_the_value_of_a_financing_only() -> None:
    facts = _facts("Acme raised $40 million in a Series A round.")
    assert _amounts(facts, "financing") == {"total_value": (40_000_000, "USD")}
    assert _amounts(facts, "licensing") == {}


def test_an_acquisition_keeps_its_contingent_milestone_payments() -> None:
    facts = _facts("Kestrel will pay $1 billion upfront and up to $200 million in milestones.")
    assert _amounts(facts, "acquisition")["milestones"] == (200_000_000, "USD")


def test_the_engine_reports_exact_amounts() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to develop OR-118 in Asia. Talon "
            "Therapeutics will pay Orvane Pharma an upfront payment of HK$531.3 million and up to US$1.093 "
            "billion in milestones.")
    [event] = extract(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics")
    assert event.upfront is not None and event.milestones is not None
    assert (event.upfront.amount, event.upfront.currency) == (531_300_000, "HKD")
    assert type(event.upfront.amount_usd) is int
    assert (event.milestones.amount, event.milestones.amount_usd) == (1_093_000_000, 1_093_000_000)
    gold = to_gold(event)
    assert gold["upfront"] == {"amount": 531_300_000, "currency": "HKD"}
    assert '"amount":531300000,' in event.model_dump_json()


def test_a_figure_after_a_converted_upfront_is_read_by_its_own_words() -> None:
    text = ("Darnell will pay Osgood $30 million (about ₩43.2 billion) upfront and up to $610 million in development "
            "and sales milestones.")
    previous_end, kinds = 0, []
    for mention in find_money(text):
        kinds.append(classify(text, mention, 0, previous_end))
        previous_end = mention.end
    assert kinds == ["upfront", "milestones"]


def test_shares_bought_at_a_premium_are_the_deal_s_equity_and_no_acquisition() -> None:
    text = ("Pellam Pharma AG and Quist Bio, Inc. today announced an exclusive license agreement for QB-4 in Europe. "
            "Pellam will pay $35 million upfront and buy $20 million of Quist common stock at a 30% premium.")
    events = extract(text)
    assert [e.type for e in events] == ["licensing"]
    licence = events[0]
    assert licence.equity is not None and licence.equity.amount == 20_000_000
    assert licence.upfront is not None and licence.upfront.amount == 35_000_000


def test_milestones_split_into_their_kinds_are_not_counted_twice() -> None:
    text = ("Pellam Pharma AG licensed QB-4 from Quist Bio, Inc., which is eligible for up to $500 million in "
            "milestones, split into $120 million in development milestones and $380 million in sales milestones.")
    licence = extract(text)[0]
    assert licence.milestones is not None and licence.milestones.amount == 500_000_000


def test_a_total_whose_parts_an_including_phrase_lists_is_the_total_value() -> None:
    text = ("Hanul Bio said it signed a technology transfer contract with Birchway Oncology for HNB-77. Hanul will "
            "receive an upfront payment of 15 billion won (approximately $11 million), and the total contract size "
            "including development and commercial milestones reaches up to 480 billion won (approximately $350 "
            "million).")
    [event] = extract(text, title="Hanul Bio out-licenses HNB-77 to Birchway Oncology")
    assert event.total_value is not None and event.total_value.amount == 480_000_000_000
    assert event.milestones is None


def test_money_raised_in_a_named_series_is_the_value_of_an_earlier_financing() -> None:
    facts = _facts("The company closed a $60 million Series B led by Orvane Capital.")
    assert _amounts(facts, "financing") == {"total_value": (60_000_000, "USD")}


def test_crowns_are_the_scandinavian_currencies() -> None:
    assert [(m.amount, m.currency) for m in find_money("raised 400 million Swedish crowns and 20 million Danish "
                                                       "crowns")] == [(400_000_000, "SEK"), (20_000_000, "DKK")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Birch will pay Orvane $85 million upfront and $15 million on near-term milestones, with up to $1.19 billion "
        "in further development, regulatory and commercial milestones.",
        "Birch will pay Orvane $85 million upfront. Orvane is eligible for a $15 million near-term milestone and up "
        "to $1.19 billion in development and commercial milestones.",
    ],
)
def test_a_near_term_milestone_beside_an_upfront_is_part_of_the_milestones(sentence: str) -> None:
    amounts = _amounts(_facts(*sentence.split(". ")))
    assert (amounts["upfront"], amounts["milestones"]) == ((85_000_000, "USD"), (1_205_000_000, "USD"))


def test_a_near_term_milestone_told_with_no_upfront_is_the_upfront() -> None:
    facts = _facts("Orvane will receive a near-term development milestone payment of $15 million and up to $1.3 "
                   "billion in regulatory and commercial milestones.")
    amounts = _amounts(facts)
    assert (amounts["upfront"], amounts["milestones"]) == ((15_000_000, "USD"), (1_300_000_000, "USD"))


def test_a_near_term_milestone_a_total_includes_is_not_added_again() -> None:
    facts = _facts("Birch will pay Orvane $40 million upfront, and Orvane is eligible for up to $515 million in "
                   "milestones, including $20 million in near-term milestones.")
    assert _amounts(facts)["milestones"] == (515_000_000, "USD")


def test_an_upfront_before_and_milestones_tied_to_is_the_upfront() -> None:
    facts = _facts("Corvel will pay Marlin an upfront fee of Rs 42 crore and milestones tied to regulatory approvals "
                   "and sales targets of up to Rs 180 crore.")
    assert _amounts(facts) == {"upfront": (420_000_000, "INR"), "milestones": (1_800_000_000, "INR")}


def test_milestones_tied_to_listed_goals_totaling_a_figure_are_the_milestones() -> None:
    facts = _facts("Ardenne will pay Tolva an upfront payment of US$50 million and milestones tied to development, "
                   "regulatory and commercial goals totaling up to US$880 million.")
    assert _amounts(facts) == {"upfront": (50_000_000, "USD"), "milestones": (880_000_000, "USD")}


def test_the_value_of_the_entire_share_capital_is_the_takeover_s_total() -> None:
    facts = _facts("The Acquisition values the entire issued and to be issued ordinary share capital of Pollard at "
                   "approximately £412 million on a fully diluted basis.")
    assert _amounts(facts, "acquisition") == {"total_value": (412_000_000, "GBP")}


def test_a_stake_bought_beside_a_licence_is_its_equity_and_no_takeover() -> None:
    text = ("Orvane Pharma has licensed OR-77 to Talon Therapeutics for South Korea. Talon Therapeutics will pay "
            "₩12 billion upfront. Talon Therapeutics will also buy a 4.9 percent stake in Orvane Pharma for "
            "₩20 billion.")
    events = extract(text, title="Talon Therapeutics licenses OR-77 from Orvane Pharma")
    assert [e.type for e in events] == ["licensing"]
    assert events[0].equity is not None and (events[0].equity.amount, events[0].equity.currency) == (
        20_000_000_000, "KRW")


def test_cash_paid_when_the_deal_closes_is_the_upfront() -> None:
    facts = _facts("Halwick will pay $410 million in cash when the deal closes, with up to $230 million more tied to "
                   "a contingent value right payable on regulatory milestones.")
    assert _amounts(facts, "acquisition") == {"upfront": (410_000_000, "USD"), "milestones": (230_000_000, "USD")}


def test_milestones_in_aggregate_are_the_milestones_not_a_total() -> None:
    facts = _facts("Parvane shall pay the Company an upfront payment of EUR20 million and milestone payments of up to "
                   "EUR65 million in aggregate.")
    assert _amounts(facts) == {"upfront": (20_000_000, "EUR"), "milestones": (65_000_000, "EUR")}


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Corvane signed two separate export deals with a combined value of up to 1.9 trillion won.", None),
     ("Corvane signs two out-licensing deals worth 1.9 trillion won in one day", None),
     ("Corvane signs an out-licensing deal worth 1.2 trillion won", "total_value")],
)
def test_several_deals_summed_are_no_deals_value(text: str, kind: str | None) -> None:
    [mention] = find_money(text)
    assert classify(text, mention, 0, 0) == kind
