"""Extraction engine speed over the dev corpus: engines side by side, CPU time, passes interleaved.

usage: python bench/extract.py [--rounds R] [--passes N] [--tree LABEL=PATH ...]

Each engine runs in a worker process of its own: this tree's compiled engine (if built: `make engine`), this
tree's pure-Python engine (`DEALWIRE_ENGINE=pure`), and the engine of each `--tree` (another checkout, e.g. a
worktree of 0.2.0: `git worktree add /tmp/wt-020 70f68fd`, then `--tree 0.2.0=/tmp/wt-020`), imported from that
tree's folders. Every worker reads every article of ../shared/corpus/seeds and ../shared/corpus/dev (relative to
the repository root, or $DEALWIRE_CORPUS) and extracts them once to warm up; then R rounds, in each of which
every worker in turn (the order rotating from round to round) times N passes over the corpus in CPU time
(`time.process_time`, which another job on a shared machine disturbs less than wall time). Reported per engine:
the best and the median pass in µs per article, and each engine's median over the first engine's in the same
rounds (the median of the per-round ratios: a slow phase of the machine hits both sides of a ratio).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from importlib.machinery import ModuleSpec
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


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


class _TreeFinder:
    """`dealwire`, `dealwire.services` and `dealwire.shared` from one checkout's folders (as its editable install
    maps them), ahead of whatever this interpreter has installed."""

    def __init__(self, tree: Path) -> None:
        self.folders = {"dealwire": tree / "dealwire", "dealwire.services": tree / "services",
                        "dealwire.shared": tree / "shared"}

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        folder = self.folders.get(fullname)
        if folder is None:
            return None
        return importlib.util.spec_from_file_location(fullname, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])


def worker(tree: Path) -> int:
    """Extract the corpus once, say which engine runs, then time the passes asked for on stdin."""
    sys.meta_path.insert(0, _TreeFinder(tree))
    sys.path.insert(0, str(tree))  # a tree before the `dealwire` namespace (0.2.0) imports `services.…`, `shared.…`
    import dealwire.services.extract.engine as engine

    articles = load_articles(corpus_root())
    for text, title, published in articles:  # warm-up: caches, regex compilation
        engine.extract(text, title=title, published=published)
    print(json.dumps({"articles": len(articles), "engine": getattr(engine, "ENGINE_BUILD", "pure"),
                      "version": engine.EXTRACTOR_VERSION}), flush=True)
    for line in sys.stdin:
        times = []
        for _ in range(int(line)):
            start = time.process_time()
            for text, title, published in articles:
                engine.extract(text, title=title, published=published)
            times.append((time.process_time() - start) / len(articles))
        print(json.dumps(times), flush=True)
    return 0


def start(label: str, tree: Path, pure: bool) -> tuple[str, subprocess.Popen[str], dict[str, object]]:
    env = dict(os.environ)
    if pure:
        env["DEALWIRE_ENGINE"] = "pure"
    else:
        env.pop("DEALWIRE_ENGINE", None)
    process = subprocess.Popen([sys.executable, __file__, "--worker", str(tree)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    hello = json.loads(process.stdout.readline())
    return label, process, hello


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--passes", type=int, default=3, help="passes each engine times per round")
    parser.add_argument("--tree", action="append", default=[], metavar="LABEL=PATH",
                        help="another checkout's engine, first in the report (the reference of the ratios)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    if not load_articles(corpus_root()):
        print(f"no articles under {corpus_root()}", file=sys.stderr)
        return 2
    workers = []
    for spec in args.tree:
        label, _, path = spec.partition("=")
        workers.append(start(label, Path(path).resolve(), pure=False))
    workers.append(start("this tree, pure", REPO, pure=True))
    compiled = start("this tree, compiled", REPO, pure=False)
    if str(compiled[2]["engine"]).startswith("compiled"):
        workers.append(compiled)
    else:
        print(f"no compiled engine here ({compiled[2]['engine']}): `make engine` builds it", file=sys.stderr)
        compiled[1].kill()
    times: dict[str, list[list[float]]] = {label: [] for label, _, _ in workers}
    for round_ in range(args.rounds):
        shift = round_ % len(workers)
        for label, process, _ in workers[shift:] + workers[:shift]:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(f"{args.passes}\n")
            process.stdin.flush()
            times[label].append(json.loads(process.stdout.readline()))
    for _, process, _ in workers:
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    reference = workers[0][0]
    first = workers[0][2]
    print(f"{first['articles']} articles, {args.rounds} rounds of {args.passes} passes per engine, CPU time, "
          f"µs per article (ratio: the median over the rounds of median / {reference}'s median)")
    for label, _, hello in workers:
        passes = [t for per_round in times[label] for t in per_round]
        ratios = [statistics.median(mine) / statistics.median(theirs)
                  for mine, theirs in zip(times[label], times[reference], strict=True)]
        print(f"  {label:<24} {hello['version']:<7} best {min(passes) * 1e6:7,.0f}  median "
              f"{statistics.median(passes) * 1e6:7,.0f}  ratio {statistics.median(ratios):.3f} "
              f"({min(ratios):.3f}–{max(ratios):.3f})  [{hello['engine']}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
