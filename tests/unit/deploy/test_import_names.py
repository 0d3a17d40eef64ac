"""Code imports the installed names (dealwire.shared, dealwire.services): a bare `shared` or `services`
import works from a checkout, where the folders sit on sys.path, and breaks once the wheel is installed."""

from __future__ import annotations

import re

from tests.conftest import REPO

BARE_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:shared|services)\b", re.MULTILINE)
MODULE_RUN = re.compile(r"-m\W+(?:shared|services)\.")


def test_no_module_imports_the_folders_by_their_bare_names() -> None:
    offenders = [str(path.relative_to(REPO)) for path in REPO.rglob("*.py")
                 if ".venv" not in path.parts and BARE_IMPORT.search(path.read_text())]
    assert offenders == []


def test_no_command_runs_a_service_by_its_bare_module_name() -> None:
    places = [REPO / "Makefile", REPO / "docker-compose.yml", REPO / "services" / "Dockerfile", REPO / "README.md",
              *REPO.glob("dealwire/*.py"), *REPO.glob("bench/*.py")]
    assert [str(p.relative_to(REPO)) for p in places if MODULE_RUN.search(p.read_text())] == []
