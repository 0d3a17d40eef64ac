"""Acceptance: field micro-F1 over the labelled seeds and dev articles, scored like the project's judge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from services.extract.evaluate import micro_f1, score

PRIMARY_THRESHOLD = 0.90
ALL_EVENTS_THRESHOLD = 0.75


def _gold(labelled: dict[str, tuple[Path, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {article_id: label.get("events", []) for article_id, (_, label) in labelled.items()}


def test_primary_events_field_micro_f1(labelled, predictions) -> None:
    f1 = micro_f1(score(_gold(labelled), predictions, primary_only=True))
    assert f1 >= PRIMARY_THRESHOLD, f"primary-event field micro-F1 {f1:.3f} < {PRIMARY_THRESHOLD}"


def test_all_events_field_micro_f1(labelled, predictions) -> None:
    f1 = micro_f1(score(_gold(labelled), predictions, primary_only=False))
    assert f1 >= ALL_EVENTS_THRESHOLD, f"all-events field micro-F1 {f1:.3f} < {ALL_EVENTS_THRESHOLD}"


def test_articles_without_an_event_stay_empty(labelled, predictions) -> None:
    for article_id, (_, label) in labelled.items():
        if not label.get("events"):
            assert predictions[article_id] == [], article_id
