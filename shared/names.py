"""Company names reduced to the words that tell one company from another: the one normaliser.

`name_words` is the one way a name becomes words: lower case, parenthesised asides dropped, every run of
characters other than a-z and 0-9 a word break. `company_key` drops the words that name no company in
particular (legal forms and a few industry nouns, `company_words.tsv`). Its callers:

- company ids and deal keys (`dealwire.shared.ids`, the store's `companies` table and its look-ups): `company_key`.
  Ids derive from it, so its rule and its vocabulary are frozen: a change re-keys stored companies and deals.
- the evaluation (`services/extract/evaluate.py`): `name_words` after "&" becomes "and", minus `LEGAL_FORMS`
  only, as the judge's scorer compares names (a test holds the two equal).

The extraction engine keeps its own key (`services/extract/engine/companies.py: core`), and says why there.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_VOCABULARY = Path(__file__).with_name("company_words.tsv")
_ASIDE = re.compile(r"\(.*?\)")
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")


def _read_vocabulary(path: Path) -> dict[str, frozenset[str]]:
    kinds: dict[str, frozenset[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, words = line.split("\t")
            kinds[kind] = frozenset(words.split("|"))
    return kinds


_KINDS = _read_vocabulary(_VOCABULARY)
LEGAL_FORMS: frozenset[str] = _KINDS["legal"]
SECTOR_WORDS: frozenset[str] = _KINDS["sector"]
_NOT_DISTINCTIVE = LEGAL_FORMS | SECTOR_WORDS


def name_words(name: str) -> list[str]:
    """'Acme-Bio (Shanghai) Co., Ltd.' -> ['acme', 'bio', 'co', 'ltd']."""
    return _NOT_A_WORD.sub(" ", _ASIDE.sub(" ", name.lower())).split()


@functools.lru_cache(maxsize=65_536)  # company names repeat across events; this runs for every party
def company_key(name: str) -> str:
    """A company name reduced to its distinctive words: 'ERIGEN LLC' and 'Erigen' agree.

    A name of nothing but such words ('The Company Ltd') keeps them all rather than becoming empty.
    """
    words = name_words(name)
    return " ".join(w for w in words if w not in _NOT_DISTINCTIVE) or " ".join(words)
