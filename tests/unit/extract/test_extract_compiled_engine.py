"""The compiled engine (services/extract/engine_build.py): output byte-identical to the pure-Python engine's, used
only when built from exactly the sources on disk, and present under `make test`.

`make test` builds it first (`make engine`) and sets DEALWIRE_COMPILED_ENGINE=required: a missing or failed
build is then a failure here, not a skip. Elsewhere (`make unit`, a bare `pytest`) the comparison runs where a
build is up to date and is skipped where none is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dealwire.services.extract.engine as engine
from dealwire.services.extract import engine_build
from tests.support.corpus import REPO

REQUIRED = os.environ.get("DEALWIRE_COMPILED_ENGINE") == "required"
FRESH = REPO / "tests" / "fixtures" / "fresh"

# Every payload of every article of a set, evidence included, as JSON: one line per article, keyed by its id.
_DUMP = """
import json, sys
from pathlib import Path
import dealwire.services.extract.engine as engine
from dealwire.extract_commands import article_metadata
out = {"engine": engine.ENGINE_BUILD, "articles": {}}
for folder in sys.argv[1:]:
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        title, published = article_metadata(path, text)
        payloads = engine.extract(text, title=title, published=published)
        out["articles"][f"{Path(folder).name}/{path.stem}"] = [p.model_dump_json() for p in payloads]
print(json.dumps(out))
"""


def _built() -> bool:
    files = engine_build.sources()
    folder = engine_build.compiled_root() / engine_build.source_key(files)
    return folder.is_dir()


def _need_build() -> None:
    if not _built():
        if REQUIRED:
            pytest.fail("no compiled engine for these sources under `make test` (its build failed: see "
                        f"{engine_build.compiled_root() / 'build.log'}; `make engine` builds it)")
        pytest.skip("no compiled engine built for these sources (`make engine` builds it)")


def _dump(folders: list[Path], pure: bool) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != engine_build.SWITCH}
    if pure:
        env[engine_build.SWITCH] = "pure"
    done = subprocess.run([sys.executable, "-c", _DUMP, *map(str, folders)], cwd=REPO, env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_make_test_runs_the_compiled_engine() -> None:
    if not REQUIRED:
        pytest.skip("DEALWIRE_COMPILED_ENGINE=required is set by `make test` only")
    assert engine.ENGINE_BUILD.startswith("compiled"), (
        f"`make test` should run the compiled engine, but this one is {engine.ENGINE_BUILD!r}; "
        f"see {engine_build.compiled_root() / 'build.log'}")
    assert engine.analysis.__file__.endswith(engine_build._SUFFIX)  # the C extension, not analysis.py


def test_compiled_output_is_byte_identical_to_pure(corpus: Path) -> None:
    """Seeds, dev and every fresh set: the same payloads, evidence included, byte for byte (only the ids of
    differing articles are printed: the output on the untouched fresh sets is not to be read)."""
    _need_build()
    folders = [corpus / "seeds", corpus / "dev", *sorted(p for p in FRESH.iterdir() if p.is_dir())]
    compiled = _dump(folders, pure=False)
    pure = _dump(folders, pure=True)
    assert str(compiled["engine"]).startswith("compiled") and str(pure["engine"]).startswith("pure")
    compiled_articles, pure_articles = compiled["articles"], pure["articles"]
    assert isinstance(compiled_articles, dict) and isinstance(pure_articles, dict)
    assert len(pure_articles) >= 250 and compiled_articles.keys() == pure_articles.keys()
    differ = sorted(k for k in pure_articles if compiled_articles[k] != pure_articles[k])
    assert not differ, f"the compiled engine's output differs on {len(differ)} articles: {differ}"


def _engine_copy(tmp_path: Path) -> Path:
    """The engine's sources, and its compiled folder, copied beside each other as `use_compiled` finds them."""
    copy = tmp_path / "services" / "extract" / "engine"
    copy.mkdir(parents=True)
    for path in engine_build.ENGINE_DIR.glob("*.py"):
        shutil.copy2(path, copy)
    (tmp_path / "shared").mkdir()
    shutil.copy2(REPO / "shared" / "schemas.py", tmp_path / "shared")
    key = engine_build.source_key(engine_build.sources())
    shutil.copytree(engine_build.compiled_root() / key, engine_build.compiled_root(copy) / key, symlinks=True)
    return copy


def test_a_stale_build_falls_back_to_the_pure_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine source edited after the build: its compiled folder is not used, the .py modules are."""
    _need_build()
    monkeypatch.delenv(engine_build.SWITCH, raising=False)
    copy = _engine_copy(tmp_path)
    path = [str(copy)]
    assert engine_build.use_compiled(path).startswith("compiled")  # the sources it was built from
    assert path[0].startswith(str(engine_build.compiled_root(copy)))
    with (copy / "money.py").open("a", encoding="utf-8") as source:
        source.write("\n# an edit\n")
    path = [str(copy)]
    assert engine_build.use_compiled(path).startswith("pure")
    assert path == [str(copy)]  # the package imports money.py as written


def test_a_schema_edit_makes_the_build_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled modules were type-checked against shared/schemas.py: an edit of it is an edit of theirs."""
    _need_build()
    monkeypatch.delenv(engine_build.SWITCH, raising=False)
    copy = _engine_copy(tmp_path)
    (tmp_path / "shared" / "schemas.py").write_text("# another schema\n", encoding="utf-8")
    path = [str(copy)]
    assert engine_build.use_compiled(path).startswith("pure") and path == [str(copy)]


def test_pure_by_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine_build.SWITCH, "pure")
    path = [str(engine_build.ENGINE_DIR)]
    assert engine_build.use_compiled(path) == "pure (DEALWIRE_ENGINE=pure)" and len(path) == 1


def test_the_version_says_which_engine_runs() -> None:
    done = subprocess.run([sys.executable, "-m", "dealwire", "extract", "--version"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"{engine.EXTRACTOR_NAME} {engine.EXTRACTOR_VERSION}, engine {engine.ENGINE_BUILD}"


def test_a_build_missing_a_module_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Half a build (a module's extension gone): the .py modules run, the engine still imports."""
    _need_build()
    monkeypatch.delenv(engine_build.SWITCH, raising=False)
    copy = _engine_copy(tmp_path)
    key = engine_build.source_key(engine_build.sources(copy))
    modules = engine_build.compiled_root(copy) / key / "dealwire" / "services" / "extract" / "engine"
    (modules / f"money{engine_build._SUFFIX}").unlink()
    path = [str(copy)]
    assert engine_build.use_compiled(path).startswith("pure") and path == [str(copy)]
