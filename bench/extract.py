"""Extraction engine throughput over the dev corpus, in one process on one core.

usage: python bench/extract.py [--passes N]

Reads every article of ../shared/corpus/seeds and ../shared/corpus/dev (relative to the repository
root, or $DEALWIRE_CORPUS), warms up once, then times N passes and reports the best pass as
articles per second and microseconds per article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dealwire.services.extract.engine import extract  # noqa: E402


def corpus_root() -> Path:
    return Path(os.environ.get("DEALWIRE_CORPUS", REPO.parent / "shared" / "corpus"))


def load_articles(root: Path) -> list[tuple[str, str | None, dt.date | None]]:
    articles = []
    for folder in ("seeds", "dev"):
        for path in sorted((root / folder).glob("*.txt")):
            meta_path = path.with_suffix(".json")
            meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
            published = str(meta.get("published") or "")
            date = dt.date.fromisoformat(published) if len(published) == 10 else None
            articles.append((path.read_text(encoding="utf-8"), meta.get("title"), date))
    return articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=20)
    args = parser.parse_args()
    articles = load_articles(corpus_root())
    if not articles:
        print(f"no articles under {corpus_root()}", file=sys.stderr)
        return 2
    for text, title, published in articles:  # warm-up: caches, regex compilation
        extract(text, title=title, published=published)
    best = float("inf")
    for _ in range(args.passes):
        start = time.perf_counter()
        for text, title, published in articles:
            extract(text, title=title, published=published)
        best = min(best, time.perf_counter() - start)
    per_article = best / len(articles)
    print(f"{len(articles)} articles, best of {args.passes} passes: "
          f"{1 / per_article:,.0f} articles/s, {per_article * 1e6:,.0f} µs/article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
