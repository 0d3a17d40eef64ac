"""Each image's code, laid out as services/Dockerfile copies it (its service, `shared/`, nothing of the
CLI or the evaluation tools), imports from that tree alone: every entry point the image runs resolves,
with no module taken from the checkout. Runs without a Docker engine; the dependencies are this venv's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.dockerfile import copy_like_the_image

pytestmark = pytest.mark.slow

# what each image runs: its CMD, its HEALTHCHECK, and for the store the read API and the migrate job
ENTRY_POINTS = {
    "ingest": ["dealwire.services.ingest.app", "dealwire.shared.health"],
    # the engine too: the service process leaves it to its worker processes
    "extract": ["dealwire.services.extract.app", "dealwire.services.extract.engine", "dealwire.shared.health"],
    "store": ["dealwire.services.store.app", "dealwire.services.store.api", "dealwire.services.store.migrate",
              "dealwire.shared.health", "dealwire.shared.create_topics"],
}

PROBE = """
import importlib, sys
root = sys.argv[1]
for name in sys.argv[2:]:
    importlib.import_module(name)
outside = sorted(n for n, m in sys.modules.items()
                 if n.split(".")[0] == "dealwire" and getattr(m, "__file__", None) and not m.__file__.startswith(root))
print("outside:", outside)
"""


@pytest.mark.parametrize("service", sorted(ENTRY_POINTS))
def test_the_image_imports_only_what_it_copied(service: str, tmp_path: Path) -> None:
    app = tmp_path / "app"
    copy_like_the_image(["runtime", service], app)

    run = subprocess.run([sys.executable, "-c", PROBE, str(app), *ENTRY_POINTS[service]], cwd=tmp_path,
                         env={"PYTHONPATH": str(app), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                         timeout=120)

    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "outside: []"
    assert not (app / "dealwire" / "services" / "extract" / "evaluate.py").exists()
    others = {"ingest", "extract", "store"} - {service}
    assert not [other for other in others if (app / "dealwire" / "services" / other).exists()]
