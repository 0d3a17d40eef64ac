"""The compiled extraction engine: the engine's modules compiled by mypyc, used only while they match the sources.

`python -m dealwire.services.extract.engine_build` (`make engine`; the venv stamp, `make test`, `make demo` and
`make bench` run it) compiles every module of `services/extract/engine/` but its `__init__.py` into one C extension
(mypyc's default: one C file for the group, so calls between the modules are C calls) under
`services/extract/engine/_compiled/<key>/`, where the key is a hash of the compiled sources (the engine's modules
and the `shared/` modules they import, `shared/schemas.py` today) and of the Python build. Up to date, it does
nothing.

At import the engine package (`engine/__init__.py`) calls `use_compiled`: it hashes the sources on disk and puts
the compiled folder of that key first on the package's `__path__` only if it exists, so an edited `.py` file runs
as written (the pure-Python modules) until the next build. The compiled modules read the same vocabulary files:
the compiled folder's `vocab` is a link to `engine/vocab/`, where their `__file__` points. `DEALWIRE_ENGINE=pure`
turns the compiled modules off. Which engine runs: `dealwire.services.extract.engine.ENGINE_BUILD`, printed by
`dealwire extract --version`.

No compiler, no mypy, or a failed build: the pure-Python engine runs, and the build says so (once, here).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ENGINE_DIR = Path(__file__).resolve().parent / "engine"
PACKAGE = "dealwire.services.extract.engine"
GROUP = "dealwire_engine"  # the C extension of all the modules: `dealwire_engine__mypyc`
SWITCH = "DEALWIRE_ENGINE"  # "pure": never the compiled modules
_LIB = f"{GROUP}__mypyc"
_SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]  # ".cpython-311-x86_64-linux-gnu.so"
_SHARED_IMPORT = re.compile(  # what a module imports of `shared/`
    rb"^\s*(?:from|import) dealwire\.shared\.(\w+)|^\s*from dealwire\.shared import ([\w, ]+)", re.M)
_MYPY_CONFIG = "[mypy]\npython_version = 3.11\n\n[mypy-ahocorasick]\nignore_missing_imports = True\n"


def compiled_root(engine_dir: Path = ENGINE_DIR) -> Path:
    return engine_dir / "_compiled"


def _modules_in(build: Path) -> Path:
    """Where a build keeps the compiled modules: laid out as the package, so their names are the engine's."""
    return build / "dealwire" / "services" / "extract" / "engine"


def sources(engine_dir: Path = ENGINE_DIR) -> dict[str, bytes]:
    """What the compiled modules are made of, by path under the repository root (the engine's `__init__.py`
    is not compiled: it stays Python, and changing it needs no build)."""
    found = {f"services/extract/engine/{p.name}": p.read_bytes()
             for p in sorted(engine_dir.glob("*.py")) if p.name != "__init__.py"}
    shared = engine_dir.parents[2] / "shared"
    wanted = list(found.values())
    while wanted:  # the shared modules the engine imports, and those they import
        for match in _SHARED_IMPORT.finditer(wanted.pop()):
            names = match.group(1) or match.group(2)
            for name in names.decode().replace(" ", "").split(","):
                path = shared / f"{name}.py"
                if name and f"shared/{name}.py" not in found and path.exists():
                    found[f"shared/{name}.py"] = path.read_bytes()
                    wanted.append(found[f"shared/{name}.py"])
    return found


def source_key(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256(f"{sys.implementation.cache_tag} {sys.version} {_SUFFIX}\n".encode())
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:20]


def use_compiled(package_path: list[str]) -> str:
    """Put the compiled modules first on the engine package's `__path__` if they were built from exactly the
    sources on disk; what runs: "compiled <key>" or "pure" (with why)."""
    if os.environ.get(SWITCH, "") == "pure":
        return f"pure ({SWITCH}=pure)"
    engine_dir = Path(package_path[0])
    files = sources(engine_dir)
    key = source_key(files)
    folder = compiled_root(engine_dir) / key
    lib = folder / f"{_LIB}{_SUFFIX}"
    modules = _modules_in(folder)
    shims = [modules / (Path(name).stem + _SUFFIX) for name in files if name.startswith("services/")]
    if not lib.exists() or not all(shim.exists() for shim in shims):
        return "pure (no compiled build of these sources)"
    if _LIB not in sys.modules:  # the shims of the modules import it by this name
        try:
            spec = importlib.util.spec_from_file_location(_LIB, lib)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        except (ImportError, OSError) as error:  # a damaged build: the engine still imports
            return f"pure (the compiled build does not load: {error})"
        sys.modules[_LIB] = module
    package_path.insert(0, str(modules))
    return f"compiled {key}"


def build(engine_dir: Path = ENGINE_DIR) -> str:
    """Compile the engine if its build for the sources on disk is missing; what happened, in one line."""
    files = sources(engine_dir)
    key = source_key(files)
    root = compiled_root(engine_dir)
    target = root / key
    if (target / f"{_LIB}{_SUFFIX}").exists():
        return f"compiled engine up to date ({key})"
    if importlib.util.find_spec("mypyc") is None:
        return "compiled engine not built: mypy is not installed (the dev extra pins it); the pure-Python engine runs"
    root.mkdir(exist_ok=True)
    log = root / "build.log"
    with tempfile.TemporaryDirectory(prefix="dealwire-engine-") as tmp:
        stage = Path(tmp)
        modules = _stage(stage, files, engine_dir)
        setup = stage / "setup.py"
        setup.write_text(
            "from setuptools import setup\nfrom mypyc.build import mypycify\n"
            f"setup(name={GROUP!r}, ext_modules=mypycify(['--config-file', 'mypy.ini', *{modules!r}],"
            f" opt_level='3', debug_level='0', group_name={GROUP!r}))\n", encoding="utf-8")
        with log.open("w", encoding="utf-8") as out:
            done = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=stage, stdout=out,
                                  stderr=subprocess.STDOUT, check=False)
        if done.returncode != 0:
            return f"compiled engine build FAILED (see {log}); the pure-Python engine runs"
        partial = root / f".{key}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        engine_out = _modules_in(partial)
        engine_out.mkdir(parents=True)
        shutil.copy2(stage / f"{_LIB}{_SUFFIX}", partial)
        for name in modules:
            shutil.copy2(stage / (name.removesuffix(".py") + _SUFFIX), engine_out)
        (engine_out / "vocab").symlink_to(os.path.relpath(engine_dir / "vocab", engine_out))
        try:
            partial.rename(target)  # whole or not at all: `use_compiled` never sees half a build
        except OSError:  # another build of the same sources got there first
            shutil.rmtree(partial, ignore_errors=True)
    for old in root.iterdir():  # builds of other sources: never used again
        if old.is_dir() and old != target:
            shutil.rmtree(old, ignore_errors=True)
    return f"compiled engine built ({key})"


def _stage(stage: Path, files: dict[str, bytes], engine_dir: Path) -> list[str]:
    """The sources laid out as the `dealwire` package (as the editable install maps it), for mypy to name them;
    the bytes hashed for the key are the ones compiled."""
    package = stage / "dealwire" / "services" / "extract" / "engine"
    package.mkdir(parents=True)
    for init in (stage / "dealwire", stage / "dealwire/services", stage / "dealwire/services/extract", package):
        (init / "__init__.py").write_text("", encoding="utf-8")
    (stage / "dealwire" / "shared").mkdir()
    (stage / "dealwire" / "shared" / "__init__.py").write_text("", encoding="utf-8")
    modules = []
    for name, data in files.items():
        folder, _, filename = name.rpartition("/")
        if folder == "services/extract/engine":
            (package / filename).write_bytes(data)
            modules.append(f"dealwire/services/extract/engine/{filename}")
        else:
            (stage / "dealwire" / "shared" / filename).write_bytes(data)
    (stage / "mypy.ini").write_text(_MYPY_CONFIG, encoding="utf-8")
    return modules


def main() -> int:
    print(build())
    return 0  # a failed build is no failed make: the pure engine runs (`make test` then fails its compiled test)


if __name__ == "__main__":
    sys.exit(main())
