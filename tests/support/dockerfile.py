"""services/Dockerfile read as the tests need it: instructions per stage, and what a stage's COPY lines
put where (no Docker engine needed)."""

from __future__ import annotations

import fnmatch
import re
import shlex
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "services" / "Dockerfile"


def stages() -> dict[str, list[str]]:
    """Instructions per stage name (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    result: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if match := re.match(r"FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE):
            current = match.group(1) or f"stage{len(result)}"
            result[current] = [line]
        elif current:
            result[current].append(line)
    return result


def dockerignore() -> list[str]:
    return [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def copy_like_the_image(stage_names: list[str], root: Path) -> None:
    """Copy what the stages' COPY lines take from the build context (not --from) to `root`, the image's
    WORKDIR, leaving out what .dockerignore keeps from the context."""
    ignored = dockerignore()

    def excluded(relative: str) -> bool:  # as Docker: a pattern that matches a folder leaves out all it holds
        paths = [relative, *(str(parent) for parent in Path(relative).parents if parent != Path())]
        return any(fnmatch.fnmatch(path, pattern.removeprefix("**/")) or path == pattern
                   or fnmatch.fnmatch(Path(path).name, pattern.removeprefix("**/"))
                   for pattern in ignored for path in paths)

    for line in (line for name in stage_names for line in stages()[name]):
        if not line.startswith("COPY ") or "--from=" in line:
            continue
        *sources, destination = shlex.split(line)[1:]
        for source in sources:
            files = [REPO / source] if (REPO / source).is_file() else sorted((REPO / source).rglob("*"))
            for path in (p for p in files if p.is_file()):
                relative = str(path.relative_to(REPO))
                if excluded(relative) or any(part == "__pycache__" for part in path.parts):
                    continue
                inside = path.relative_to(REPO / source) if (REPO / source).is_dir() else Path()
                target = root / destination / inside if inside != Path() else root / destination
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
