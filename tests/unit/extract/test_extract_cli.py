"""`dealwire extract` and `dealwire eval` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dealwire.cli import app

runner = CliRunner()
ARTICLE = ("Orvane Pharma licenses OR-118 to Talon Therapeutics\n\nOrvane Pharma has granted Talon Therapeutics "
           "exclusive rights to OR-118 worldwide. Talon Therapeutics will pay Orvane Pharma an upfront payment "
           "of US$50 million.\n")


def test_extract_prints_one_json_line_per_article(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Nothing to see here.\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["events"] == []
    [event] = rows[1]["events"]
    assert event["type"] == "licensing"
    assert event["upfront"] == {"amount": 50000000, "currency": "USD"}
    assert {p["role"] for p in event["parties"]} == {"licensor", "licensee"}


def test_sidecar_title_and_published_are_used(tmp_path: Path) -> None:
    body = ("On Wednesday, Orvane Pharma announced it has granted Talon Therapeutics exclusive rights to OR-118. "
            "Talon Therapeutics will pay Orvane Pharma $5 million upfront.\n")
    (tmp_path / "x.txt").write_text(body, encoding="utf-8")
    (tmp_path / "x.json").write_text(json.dumps({"title": "Orvane licenses OR-118", "published": "2025-06-04",
                                                 "events": [{"type": "acquisition"}]}), encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "x.txt")])
    [event] = json.loads(result.stdout)["events"]
    assert event["type"] == "licensing"
    assert event["date"] == "2025-06-04"


def test_table_format(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "table"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "licensing" in result.stdout


def test_missing_path_is_a_one_line_error_with_exit_code_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "nope.txt" in result.output
    result = runner.invoke(app, ["eval", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_eval_prints_primary_and_all_event_scores(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    gold = {"id": "b", "events": [{"primary": True, "type": "licensing", "parties": [
        {"name": ["Orvane Pharma"], "role": "licensor"}, {"name": ["Talon Therapeutics"], "role": "licensee"}],
        "assets": [["OR-118"]], "upfront": {"amount": 50000000, "currency": "USD"}}]}
    (tmp_path / "b.json").write_text(json.dumps(gold), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "primary events" in result.stdout and "all events" in result.stdout
    assert "MICRO" in result.stdout
