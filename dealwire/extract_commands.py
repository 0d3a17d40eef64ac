"""`dealwire extract` and `dealwire eval`: the extraction engine over article files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table

from dealwire.services.extract.engine import ENGINE_BUILD, EXTRACTOR_NAME, EXTRACTOR_VERSION, extract
from dealwire.services.extract.evaluate import judge_report
from dealwire.services.extract.gold_format import to_gold

OutputFormat = Literal["jsonl", "table"]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def article_files(paths: list[Path]) -> Iterator[Path]:
    """The `.txt` files named, and every `.txt` inside the directories named (sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.txt"))
        else:
            yield path


def article_metadata(path: Path, text: str) -> tuple[str | None, dt.date | None]:
    """Title and published date from a sibling `<stem>.json` (only those two keys), else the first line."""
    title: str | None = None
    published: dt.date | None = None
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            meta = {}
        if isinstance(meta, dict):
            title = str(meta["title"]) if meta.get("title") else None
            published = parse_published(meta.get("published"))
    if title is None:
        title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return title, published


def parse_published(value: object) -> dt.date | None:
    """'2025-09-11', or '2025-09' (month precision: taken as the month's last day, so that dates
    in the article up to then resolve to that year)."""
    text = str(value or "").strip()
    try:
        if len(text) >= 10:
            return dt.date.fromisoformat(text[:10])
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            next_month = dt.date(year + month // 12, month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
    except ValueError:
        return None
    return None


def extract_file(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8", errors="replace")
    title, published = article_metadata(path, text)
    events = extract(text, title=title, published=published)
    return {"id": path.stem, "events": [to_gold(e) for e in events]}


def _check_exists(paths: list[Path]) -> None:
    for path in paths:
        if not path.exists():
            _fail(f"no such file or directory: {path}")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}, engine {ENGINE_BUILD}")
        raise typer.Exit()


def extract_command(
    paths: Annotated[list[Path], typer.Argument(help="article .txt files or directories of them")],
    format: Annotated[OutputFormat, typer.Option("--format", help="jsonl (one line per article) or table")] = "jsonl",
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="the engine's version, and whether its compiled modules run")] = False,
) -> None:
    """Extract deal events from article text files."""
    _check_exists(paths)
    rows = [extract_file(path) for path in article_files(paths)]
    if format == "jsonl":
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table(title="dealwire extract")
    for column in ("article", "primary", "type", "parties", "assets", "money", "regulatory", "date"):
        table.add_column(column)
    for row in rows:
        for event in row["events"]:
            table.add_row(row["id"], "yes" if event["primary"] else "", event["type"], _parties_cell(event),
                          ", ".join(event["assets"]), _money_cell(event), _regulatory_cell(event),
                          event["date"] or "")
    Console().print(table)


def _parties_cell(event: dict[str, Any]) -> str:
    return "\n".join(f"{p['name']} ({p['role']})" for p in event["parties"])


def _money_cell(event: dict[str, Any]) -> str:
    parts = []
    for key in ("upfront", "milestones", "total_value", "equity"):
        if event[key]:
            parts.append(f"{key}: {event[key]['amount']:,.0f} {event[key]['currency']}")
    return "\n".join(parts)


def _regulatory_cell(event: dict[str, Any]) -> str:
    return " ".join(x for x in (event["regulator"], event["regulatory_action"], event["stage"]) if x)


def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="directory of <id>.txt articles with <id>.json gold labels")],
    as_json: Annotated[bool, typer.Option("--json", help="the report as the judge's `score.py --json` prints it")]
    = False,
) -> None:
    """Score the engine against gold labels: per-field precision / recall / F1, primary and all events."""
    _check_exists([gold_dir])
    if not gold_dir.is_dir():
        _fail(f"not a directory: {gold_dir}")
    gold: dict[str, list[dict[str, Any]]] = {}
    preds: dict[str, list[dict[str, Any]]] = {}
    for label in sorted(gold_dir.glob("*.json")):
        article = label.with_suffix(".txt")
        if not article.exists():
            continue
        gold[label.stem] = json.loads(label.read_text(encoding="utf-8")).get("events", [])
        preds[label.stem] = extract_file(article)["events"]
    report = judge_report(gold, preds)
    if as_json:
        typer.echo(json.dumps(report, indent=1))
        return
    console = Console()
    for name, counts in report.items():
        console.print(_report_table(f"{name} events ({len(gold)} articles)", counts))


def _report_table(title: str, counts: dict[str, Any]) -> Table:
    table = Table(title=title)
    for column in ("field", "P", "R", "F1", "gold"):
        table.add_column(column, justify="right" if column != "field" else "left")
    for name, m in counts["fields"].items():
        table.add_row(name, f"{m['p']:.2f}", f"{m['r']:.2f}", f"{m['f']:.2f}", str(m["n"]))
    m = counts["events"]
    table.add_row("event detection", f"{m['p']:.2f}", f"{m['r']:.2f}", f"{m['f']:.2f}", str(m["n"]))
    m = counts["micro"]
    table.add_row("MICRO (fields)", f"{m['p']:.2f}", f"{m['r']:.2f}", f"{m['f']:.3f}", str(m["n"]), style="bold")
    return table
