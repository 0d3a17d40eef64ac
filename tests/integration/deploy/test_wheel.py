"""`pip install .` as a user runs it: one `dealwire` namespace in site-packages (the folders shared/ and
services/ install as dealwire.shared and dealwire.services), with every data file the code reads.

Builds the wheel (a few seconds, hence not in the unit tier) and installs it into a directory of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

# tracked files of shared/ and services/ that are not part of the installed package
NOT_INSTALLED = {"services/Dockerfile"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the tracked files, as on a clean clone (no stale build/ of an earlier layout)."""
    source = tmp_path_factory.mktemp("source")
    for name in git_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
    [built] = out.glob("dealwire-*.whl")
    return built


@pytest.fixture(scope="module")
def site_packages(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    return target


def git_files(*folders: str) -> list[str]:
    """Tracked files (of the working tree: deleted ones left out)."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", *folders],
                            check=True, capture_output=True, text=True).stdout.splitlines()
    return [name for name in listed if (REPO / name).is_file()]


def tracked_package_files() -> list[str]:
    return [name for name in git_files("shared", "services", "dealwire") if name not in NOT_INSTALLED]


def test_the_only_top_level_package_is_dealwire(site_packages: Path) -> None:
    top_level = {p.name for p in site_packages.iterdir() if not p.name.endswith(".dist-info") and p.name != "bin"}
    assert top_level == {"dealwire"}


def test_every_module_and_data_file_lands_under_the_namespace(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {name if name.startswith("dealwire/") else f"dealwire/{name}" for name in tracked_package_files()}
    assert sorted(expected - names) == []


def test_the_installed_copy_extracts_and_finds_its_web_page_and_migrations(site_packages: Path) -> None:
    probe = """
import sys
from importlib.resources import files
import dealwire.services.extract.engine as engine
from dealwire.services.extract.engine.vocab import VOCAB_DIR
assert engine.__file__.startswith(sys.argv[1]), engine.__file__
[event] = engine.extract("Acme Therapeutics Inc. will acquire Zentrix Bio AG for $1.2 billion in cash, the "
                         "companies said on Monday.", title="Acme Therapeutics to acquire Zentrix Bio")
assert event.type == "acquisition" and event.total_value.amount == 1_200_000_000, event
assert VOCAB_DIR.is_relative_to(sys.argv[1]) and len(list(VOCAB_DIR.glob("*.tsv"))) >= 10, VOCAB_DIR
store = files("dealwire.services.store")
assert (store / "web" / "index.html").is_file() and (store / "migrations" / "env.py").is_file()
print("ok")
"""
    run = subprocess.run([sys.executable, "-c", probe, str(site_packages)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(site_packages), "PATH": "/usr/bin:/bin"}, cwd=site_packages)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"
