"""A seedable generator of distinct, realistic biopharma news articles, built from sentence templates.

Every company, asset and person is invented (syllables and a serial number), so nothing here is text
from the labelled corpus; the domain words (targets, modalities, indications, regulators) are the
ordinary vocabulary any such article uses. The same (seed, index) always gives the same article,
and no two indexes give the same text: the asset code carries the index.

    python -m bench.articles 3 --seed 7      # print three articles
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass

from dealwire.services.ingest.normalise import normalise_text
from dealwire.shared.ids import article_id_for
from dealwire.shared.schemas import RawArticle

_SYLLABLES = ("ar", "bel", "cor", "dex", "el", "fen", "gal", "hal", "ix", "jun", "kel", "lum", "mer", "nov",
              "or", "pel", "quin", "rav", "sol", "tor", "ul", "ver", "xan", "yel", "zen", "ta", "vi", "mo")
_COMPANY_KINDS = ("Therapeutics", "Biosciences", "Pharmaceuticals", "Bio", "Medicines", "Oncology",
                  "Biotherapeutics", "Life Sciences")
_LEGAL = ("Inc.", "Co., Ltd.", "AG", "plc", "LLC", "Corp.", "")
_CITIES = ("Boston", "Cambridge, Mass.", "San Diego", "South San Francisco", "Shanghai", "Suzhou", "Basel",
           "Tokyo", "Seoul", "London", "Hangzhou", "Princeton, N.J.", "Copenhagen", "Munich")
_TARGETS = ("BCMA", "CD19", "HER2", "EGFR", "TROP2", "Claudin 18.2", "PD-1", "PD-L1", "KRAS G12C", "GLP-1",
            "CD20", "B7-H3", "GPRC5D", "FGFR2", "IL-23", "TSLP")
_MODALITIES = ("antibody-drug conjugate", "bispecific antibody", "CAR-T cell therapy", "small molecule inhibitor",
               "siRNA therapy", "monoclonal antibody", "mRNA vaccine", "gene therapy")
_INDICATIONS = ("non-small cell lung cancer", "multiple myeloma", "breast cancer", "gastric cancer",
                "ulcerative colitis", "obesity", "type 2 diabetes", "atopic dermatitis", "psoriasis",
                "colorectal cancer", "acute myeloid leukemia", "asthma", "hepatocellular carcinoma")
_MODALITY_PLURALS = ("antibody-drug conjugates", "bispecific antibodies", "cell therapies", "small molecules",
                     "RNA medicines", "gene therapies")
_PHASES = ("Phase 1", "Phase 1b", "Phase 2", "Phase 2b", "Phase 3", "preclinical")
_TERRITORIES = ("Greater China", "the United States", "Japan", "Europe", "Asia excluding Japan")
_REGULATORS = (("FDA", "U.S. Food and Drug Administration"), ("NMPA", "China's National Medical Products "
               "Administration"), ("EMA", "European Medicines Agency"))
_INVESTORS = ("Capital", "Ventures", "Partners", "Health Fund", "Growth Equity")


@dataclass(frozen=True)
class GeneratedArticle:
    title: str
    text: str
    published: dt.date

    def as_raw(self, received_at: dt.datetime) -> RawArticle:
        """The article as ingest would publish it on `articles.raw.v1`."""
        text = normalise_text(self.text)
        return RawArticle(article_id=article_id_for(text), source="bench-generator", title=self.title,
                          published=self.published, text=text, received_at=received_at)

    def as_post(self) -> dict[str, str]:
        """The body of `POST /v1/articles`."""
        return {"title": self.title, "text": self.text, "published": self.published.isoformat(),
                "source": "bench-generator"}


def generate_articles(count: int, seed: int = 0, *, extra_paragraphs: int = 3, start: int = 0
                      ) -> list[GeneratedArticle]:
    """`count` distinct articles; `extra_paragraphs` of company background make them longer."""
    return [generate_article(index, seed, extra_paragraphs=extra_paragraphs) for index in range(start, start + count)]


SYNDICATED_SHARE = 0.1  # articles that retell an earlier article's deal (another article, the same deal)


def generate_article(index: int, seed: int = 0, *, extra_paragraphs: int = 3) -> GeneratedArticle:
    own = random.Random(f"{seed}:{index}")
    story_index = index - own.randrange(1, 50) if index >= 50 and own.random() < SYNDICATED_SHARE else index
    rng = random.Random(f"{seed}:{story_index}")
    story = rng.choice((_licensing, _licensing, _collaboration, _acquisition, _financing, _regulatory, _clinical))
    published = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1000))
    title, paragraphs = story(rng, story_index, published)
    if story_index != index:
        paragraphs.append(f"This story was first published by another outlet; reference {index}.")
    if own.random() < 0.4:
        paragraphs.append(_history(own, index))
    paragraphs += [_background(own) for _ in range(extra_paragraphs)]
    return GeneratedArticle(title, "\n\n".join(paragraphs), published)


def _history(rng: random.Random, index: int) -> str:
    """An earlier deal mentioned in passing (a secondary event)."""
    (licensor, _), (licensee, _) = _company(rng), _company(rng)
    asset = f"{_asset(rng, index)[:-4]}{rng.randrange(100, 999)}"
    upfront, _ = _money(rng, 5, 100)
    return (f"In {rng.randrange(2015, 2022)}, {licensor} licensed {asset} to {licensee} for an upfront payment "
            f"of {upfront}.")


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()
    return f"{word} {rng.choice(_COMPANY_KINDS)}"


def _company(rng: random.Random) -> tuple[str, str]:
    """(full legal name, the short name the article uses later)."""
    short = _name(rng)
    legal = rng.choice(_LEGAL)
    return (f"{short} {legal}".strip(), short.split()[0])


def _asset(rng: random.Random, index: int) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTVXYZ") for _ in range(rng.choice((2, 3))))
    return f"{letters}-{index + 1000}"


def _money(rng: random.Random, low: int, high: int) -> tuple[str, int]:
    millions = rng.randrange(low, high)
    return (f"${millions / 1000:.2f} billion" if millions >= 1000 else f"${millions} million"), millions


def _dateline(rng: random.Random, published: dt.date) -> str:
    return f"{rng.choice(_CITIES)}, {published:%B} {published.day}, {published.year} --"


def _drug(rng: random.Random, asset: str) -> tuple[str, str, str]:
    target, modality, indication = rng.choice(_TARGETS), rng.choice(_MODALITIES), rng.choice(_INDICATIONS)
    return f"{asset}, a {target}-targeting {modality}", indication, target


def _licensing(rng: random.Random, index: int, published: dt.date) -> tuple[str, list[str]]:
    (licensor, licensor_short), (licensee, licensee_short) = _company(rng), _company(rng)
    asset = _asset(rng, index)
    drug, indication, _ = _drug(rng, asset)
    upfront, _ = _money(rng, 5, 300)
    milestones, _ = _money(rng, 300, 3000)
    territory = rng.choice(_TERRITORIES)
    title = f"{licensor_short} and {licensee_short} Enter Exclusive License Agreement for {asset}"
    return title, [
        f"{_dateline(rng, published)} {licensor} today announced that it has entered into an exclusive license "
        f"agreement with {licensee} for {drug}, currently in {rng.choice(_PHASES)} development for {indication}.",
        f"Under the terms of the agreement, {licensee_short} will receive exclusive rights to develop and "
        f"commercialize {asset} worldwide, excluding {territory}. {licensor_short} will receive an upfront "
        f"payment of {upfront} and is eligible to receive up to {milestones} in development, regulatory and "
        f"commercial milestone payments, as well as tiered royalties on net sales.",
        f"\"This agreement validates our platform,\" said {_person(rng)}, Chief Executive Officer of "
        f"{licensor_short}. \"{licensee_short} brings the global reach to bring {asset} to patients.\"",
    ]


def _collaboration(rng: random.Random, index: int, published: dt.date) -> tuple[str, list[str]]:
    (first, first_short), (second, second_short) = _company(rng), _company(rng)
    asset = _asset(rng, index)
    drug, indication, target = _drug(rng, asset)
    upfront, _ = _money(rng, 10, 200)
    total, _ = _money(rng, 500, 4000)
    title = f"{first_short} and {second_short} Announce Strategic Research Collaboration on {target} Programs"
    return title, [
        f"{_dateline(rng, published)} {first} and {second} today announced a strategic research collaboration "
        f"to discover and develop novel therapies against {target}, including {drug} for {indication}.",
        f"{second_short} will pay {first_short} {upfront} upfront, and the total deal value could reach {total} "
        f"including milestones. The companies will share development costs for {asset} equally.",
    ]


def _acquisition(rng: random.Random, index: int, published: dt.date) -> tuple[str, list[str]]:
    (acquirer, acquirer_short), (target_company, target_short) = _company(rng), _company(rng)
    asset = _asset(rng, index)
    drug, indication, _ = _drug(rng, asset)
    price, _ = _money(rng, 200, 9000)
    title = f"{acquirer_short} to Acquire {target_short} for {price}"
    return title, [
        f"{_dateline(rng, published)} {acquirer} and {target_company} today announced a definitive agreement "
        f"under which {acquirer_short} will acquire {target_short} for {price} in cash.",
        f"The acquisition adds {drug} in {rng.choice(_PHASES)} development for {indication} to the pipeline of "
        f"{acquirer_short}. The transaction is expected to close in the second half of {published.year}.",
    ]


def _financing(rng: random.Random, index: int, published: dt.date) -> tuple[str, list[str]]:
    issuer, issuer_short = _company(rng)
    lead = f"{''.join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()} {rng.choice(_INVESTORS)}"
    amount, _ = _money(rng, 20, 400)
    asset = _asset(rng, index)
    drug, indication, _ = _drug(rng, asset)
    series = rng.choice(("Series A", "Series B", "Series C"))
    title = f"{issuer_short} Raises {amount} {series} Financing to Advance {asset}"
    return title, [
        f"{_dateline(rng, published)} {issuer} today announced the close of an oversubscribed {amount} {series} "
        f"financing led by {lead}, with participation from existing investors.",
        f"Proceeds will fund clinical development of {drug} for {indication} through {rng.choice(_PHASES)} data.",
    ]


def _regulatory(rng: random.Random, index: int, published: dt.date) -> tuple[str, list[str]]:
    sponsor, sponsor_short = _company(rng)
    asset = _asset(rng, index)
    drug, indication, _ = _drug(rng, asset)
    (regulator, regulator_long), action = rng.choice(_REGULATORS), rng.choice(
        ("approved", "accepted the New Drug Application for", "granted Breakthrough Therapy Designation to"))
    title = f"{regulator} {'Approves' if action == 'approved' else 'Action on'} {sponsor_short}'s {asset} for " \
            f"{indication.title()}"
    return title, [
        f"{_dateline(rng, published)} {sponsor} today announced that the {regulator_long} ({regulator}) has "
        f"{action} {drug} for the treatment of adult patients with {indication}.",
        f"The decision is based on results from a pivotal {rng.choice(_PHASES)} study in which {asset} met its "
        f"primary endpoint.",
    ]


def _clinical(rng: random.Random, index: int, published: dt.date) -> tuple[str, list[str]]:
    sponsor, sponsor_short = _company(rng)
    asset = _asset(rng, index)
    drug, indication, _ = _drug(rng, asset)
    phase = rng.choice(_PHASES[:5])
    rate = rng.randrange(20, 80)
    title = f"{sponsor_short} Reports Positive {phase} Results for {asset} in {indication.title()}"
    return title, [
        f"{_dateline(rng, published)} {sponsor} today reported positive topline results from its {phase} trial "
        f"of {drug} in patients with {indication}.",
        f"The objective response rate was {rate}% and the safety profile was consistent with earlier studies. "
        f"{sponsor_short} plans to start a registrational study next year.",
    ]


def _person(rng: random.Random) -> str:
    first = "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
    last = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
    return f"{first} {last}, Ph.D."


def _background(rng: random.Random) -> str:
    name, short = _company(rng)
    return (f"About {short}: {name} is a clinical-stage biotechnology company headquartered in {rng.choice(_CITIES)} "
            f"focused on {rng.choice(_MODALITY_PLURALS)} for {rng.choice(_INDICATIONS)} and other serious diseases. "
            f"Its pipeline includes {rng.randrange(2, 9)} programs, {rng.randrange(1, 4)} of them in clinical "
            f"development. Forward-looking statements in this release involve risks and uncertainties.")


def main() -> None:
    parser = argparse.ArgumentParser(description="print generated articles")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for article in generate_articles(args.count, args.seed):
        print(f"# {article.title} ({article.published})\n\n{article.text}\n")


if __name__ == "__main__":
    main()
