"""The labelled articles in ../shared/corpus (read at run time, never copied into the repository)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from dealwire.extract_commands import extract_file

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


def read_labelled(folders: list[Path]) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Article id -> (text path, gold label) for every `<id>.json` of the folders; none is a failure."""
    out: dict[str, tuple[Path, dict[str, Any]]] = {}
    for folder in folders:
        for label in sorted(folder.glob("*.json")):
            out[label.stem] = (label.with_suffix(".txt"), json.loads(label.read_text(encoding="utf-8")))
    if not out:
        pytest.fail(f"no gold labels under {[str(f) for f in folders]}")
    return out


def gold_events(labelled: dict[str, tuple[Path, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Article id -> its gold events, as `services/extract/evaluate.score` takes them."""
    return {article_id: label.get("events", []) for article_id, (_, label) in labelled.items()}


def engine_events(labelled: dict[str, tuple[Path, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The engine's events for every labelled article, in gold format, as `dealwire extract` prints them."""
    return {article_id: extract_file(path)["events"] for article_id, (path, _) in labelled.items()}
