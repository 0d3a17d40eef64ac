"""Shared fixtures of the extraction tests: the labelled corpus and the engine's output in gold format."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.corpus import engine_events, read_labelled

REPO = Path(__file__).resolve().parents[3]


def corpus_root() -> Path:
    return Path(os.environ.get("DEALWIRE_CORPUS", REPO.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The labelled corpus (seeds/ and dev/); its absence is a failure, not a skip."""
    root = corpus_root()
    if not (root / "seeds").is_dir() or not (root / "dev").is_dir():
        pytest.fail(f"labelled corpus not found at {root} (expected seeds/ and dev/; set DEALWIRE_CORPUS)")
    return root


@pytest.fixture(scope="session")
def labelled(corpus: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Article id -> (text path, gold label) for every labelled article of seeds/ and dev/."""
    return read_labelled([corpus / "seeds", corpus / "dev"])


@pytest.fixture(scope="session")
def predictions(labelled: dict[str, tuple[Path, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The engine's events for every labelled article, in gold format, as `dealwire extract` prints them."""
    return engine_events(labelled)


@pytest.fixture(scope="session")
def judge(corpus: Path) -> ModuleType:
    """The scorer extraction is judged with (`../shared/eval/score.py`, read only, not shipped), loaded
    from beside the corpus at run time: what `services/extract/evaluate.py` is held equal to."""
    path = corpus.parent / "eval" / "score.py"
    if not path.is_file():
        pytest.fail(f"the judge's scorer is missing at {path}")
    spec = importlib.util.spec_from_file_location("dealwire_judge_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def gold_dir(labelled: dict[str, tuple[Path, dict[str, Any]]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every labelled article of seeds/ and dev/ in one folder (links), as `dealwire eval` and the judge read it."""
    folder = tmp_path_factory.mktemp("gold")
    for text_path, _ in labelled.values():
        for path in (text_path, text_path.with_suffix(".json")):
            (folder / path.name).symlink_to(path)
    return folder
