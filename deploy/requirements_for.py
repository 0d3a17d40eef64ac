"""Print the requirements of one of pyproject.toml's extras, its `dealwire[...]` references resolved:

    python requirements_for.py pyproject.toml ingest > requirements.txt

The images install a service's dependencies from these lines before any code is copied (a cached layer),
so the image build never installs the project itself (services/Dockerfile).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

SELF = re.compile(r"^dealwire\[(?P<extras>[^\]]+)\]$")


def requirements(project: dict, extra: str) -> list[str]:
    """The project's own dependencies plus the extra's, with self-references expanded, in order, once each."""
    extras = project["optional-dependencies"]
    if extra not in extras:
        raise SystemExit(f"no extra {extra!r} in pyproject.toml (extras: {', '.join(sorted(extras))})")
    seen: list[str] = []

    def add(requirement: str) -> None:
        if match := SELF.match(requirement):
            for name in match.group("extras").split(","):
                for inner in extras[name.strip()]:
                    add(inner)
        elif requirement not in seen:
            seen.append(requirement)

    for requirement in [*project["dependencies"], *extras[extra]]:
        add(requirement)
    return seen


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit("usage: python requirements_for.py PYPROJECT EXTRA")
    project = tomllib.loads(Path(argv[1]).read_text())["project"]
    print("\n".join(requirements(project, argv[2])))


if __name__ == "__main__":
    main(sys.argv)
