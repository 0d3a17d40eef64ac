from __future__ import annotations

import json
from pathlib import Path

from dealwire.services.ingest.client import collect


def test_files_and_directories_expand_to_one_item_per_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("plain article")
    (tmp_path / "b.html").write_text("<p>html article</p>")
    (tmp_path / "c.json").write_text(json.dumps([{"text": "one"}, {"html": "<p>two</p>"}]))
    (tmp_path / "d.ndjson").write_text('{"text": "x"}\n\n{"text": "y", "title": "T"}\n')
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")

    items = collect([tmp_path])

    assert [i.body for i in items] == [
        {"text": "plain article"}, {"html": "<p>html article</p>"}, {"text": "one"}, {"html": "<p>two</p>"},
        {"text": "x"}, {"text": "y", "title": "T"},
    ]
    assert all(i.error is None for i in items)
    assert items[5].label.endswith("d.ndjson:3")


def test_each_bad_input_is_reported_and_the_rest_still_go(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("fine")
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "lines.ndjson").write_text('{"text": "ok"}\n[1, 2]\n')
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "notes.md").write_text("# md")

    items = collect([tmp_path / "good.txt", tmp_path / "broken.json", tmp_path / "lines.ndjson",
                     tmp_path / "binary.txt", tmp_path / "notes.md", tmp_path / "missing.txt"])

    errors = {Path(i.label.split(":")[0]).name: i.error for i in items if i.error}
    assert set(errors) == {"broken.json", "lines.ndjson", "binary.txt", "notes.md", "missing.txt"}
    assert "invalid JSON" in errors["broken.json"]
    assert "no such file" in errors["missing.txt"]
    assert "unsupported file type .md" in errors["notes.md"]
    assert [i.body for i in items if i.body] == [{"text": "fine"}, {"text": "ok"}]
