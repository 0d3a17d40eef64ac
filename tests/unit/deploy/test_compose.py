"""docker-compose.yml validates, and each service is configured the way its settings class reads it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from dealwire.shared.settings import SETTINGS_FOR
from tests.conftest import REPO

SERVICES_FROM_OUR_IMAGES = {"ingest", "extract", "store", "store-api", "topics", "migrate"}
LONG_RUNNING = {"kafka", "postgres", "ingest", "extract", "store", "store-api"}
ONE_SHOT = {"topics", "migrate"}
SETTINGS_CLASS = SETTINGS_FOR  # which settings class reads each service's environment


def compose_config(compose_file: Path = REPO / "docker-compose.yml") -> subprocess.CompletedProcess:
    assert shutil.which("docker-compose"), "docker-compose is missing: `make tools` installs Debian's package"
    return subprocess.run(
        ["docker-compose", "--env-file", str(REPO / ".env.example"), "-f", str(compose_file),
         "--project-directory", str(REPO), "config"],
        capture_output=True, text=True, timeout=60,
    )


@pytest.fixture(scope="module")
def resolved() -> dict:
    """The compose file as docker-compose resolves it: anchors merged, .env.example interpolated."""
    result = compose_config()
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_the_compose_file_validates(resolved: dict) -> None:
    assert set(resolved["services"]) == LONG_RUNNING | ONE_SHOT


def test_a_misspelt_key_fails_validation(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    original = (REPO / "docker-compose.yml").read_text()
    broken.write_text(original.replace("restart: unless-stopped", "restrat: always", 1))

    result = compose_config(broken)

    assert result.returncode != 0
    assert "restrat" in result.stderr


@pytest.mark.parametrize("service", sorted(SERVICES_FROM_OUR_IMAGES))
def test_every_variable_is_a_setting_and_every_value_is_valid(resolved: dict, service: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    settings_class = SETTINGS_CLASS[service]
    prefix = settings_class.model_config["env_prefix"]
    environment = resolved["services"][service].get("environment", {})
    unknown = [name for name in environment
               if not name.startswith(prefix) or name[len(prefix):].lower() not in settings_class.model_fields]
    assert unknown == [], f"{service}: not read by {settings_class.__name__}: {unknown}"

    for name in list(os.environ):
        if name.startswith(prefix):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, str(value))
    try:
        settings_class()
    except ValidationError as error:
        pytest.fail(f"{service}: {error}")


@pytest.mark.parametrize("service", sorted(LONG_RUNNING))
def test_long_running_services_have_a_healthcheck_and_a_restart_policy(resolved: dict, service: str) -> None:
    spec = resolved["services"][service]
    assert spec["healthcheck"]["test"]
    assert spec["restart"] == "unless-stopped"


def test_one_shot_jobs_run_once(resolved: dict) -> None:
    for job in ONE_SHOT:
        assert resolved["services"][job]["restart"] == "no"
        assert "healthcheck" not in resolved["services"][job]


def test_services_start_only_after_what_they_need_is_healthy_or_done(resolved: dict) -> None:
    services = resolved["services"]
    for name, spec in services.items():
        for dependency, condition in spec.get("depends_on", {}).items():
            wanted = "service_completed_successfully" if dependency in ONE_SHOT else "service_healthy"
            assert condition["condition"] == wanted, (name, dependency)
    assert set(services["store"]["depends_on"]) == {"kafka", "postgres", "topics", "migrate"}
    assert set(services["extract"]["depends_on"]) == {"kafka", "topics"}
    assert set(services["ingest"]["depends_on"]) == {"kafka", "topics"}
    assert set(services["store-api"]["depends_on"]) == {"postgres", "migrate"}


def test_kafka_is_apache_kafka_in_kraft_mode_and_keeps_history(resolved: dict) -> None:
    kafka = resolved["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_extract_scales_by_replicas(resolved: dict) -> None:
    extract = resolved["services"]["extract"]
    assert extract["deploy"]["replicas"] >= 1
    assert "container_name" not in extract and "ports" not in extract


def test_the_store_writes_as_the_writer_role_and_postgres_creates_both_roles(resolved: dict) -> None:
    store_url = resolved["services"]["store"]["environment"]["DEALWIRE_DATABASE_URL"]
    assert store_url.startswith("postgresql+asyncpg://dealwire_writer:")
    postgres = resolved["services"]["postgres"]
    volumes = [volume.split(":") for volume in postgres["volumes"]]  # source:target[:mode]
    assert ["postgres-data", "/var/lib/postgresql"] in [v[:2] for v in volumes]
    init = [source for source, target, *_ in volumes if target.startswith("/docker-entrypoint-initdb.d/")]
    assert [Path(source).relative_to(REPO) for source in init] == [Path("deploy/postgres/init-roles.sh")]
    assert {"DEALWIRE_DB_WRITER_PASSWORD", "DEALWIRE_DB_READER_PASSWORD"} <= set(postgres["environment"])
    reader_url = resolved["services"]["store-api"]["environment"]["DEALWIRE_READ_DATABASE_URL"]
    assert reader_url.startswith("postgresql+asyncpg://dealwire_reader:")


def test_every_secret_comes_from_the_env_file_and_the_example_names_them_all() -> None:
    example = {line.split("=", 1)[0] for line in (REPO / ".env.example").read_text().splitlines()
               if line and not line.startswith("#")}
    required = {"POSTGRES_PASSWORD", "DEALWIRE_DB_WRITER_PASSWORD", "DEALWIRE_DB_READER_PASSWORD",
                "DEALWIRE_API_KEY_HASHES"}
    assert required <= example
    text = (REPO / "docker-compose.yml").read_text()
    for name in required:
        assert f"${{{name}:?" in text, f"{name} must be required, with a message, not defaulted"
