"""The labelled articles in ../shared/corpus (read at run time, never copied into the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def corpus_root() -> Path:
    return Path(os.environ.get("DEALWIRE_CORPUS", REPO.parent / "shared" / "corpus"))


def article_files(*folders: str) -> list[Path]:
    """The article texts (not the labels) of the corpus folders; missing is a failure, not a skip."""
    root = corpus_root()
    found = [path for folder in folders for path in sorted((root / folder).glob("*.txt"))]
    if not found:
        pytest.fail(f"no articles under {root} in {folders} (set DEALWIRE_CORPUS)")
    return found
