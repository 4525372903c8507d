"""docker-compose.yml, Dockerfile and .dockerignore: parsed and checked for coherence, never run.

The point is that the distributed form cannot drift from the program: every SOHOA_* variable the
compose file sets must be a field of `pipeline.config.Settings`, with a value that setting accepts;
URLs must point at services that exist, with the credentials those services are given.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from pipeline.config import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

REQUIRED_SERVICES = {"redis", "minio", "minio-init", "postgres", "worker", "watcher", "web", "flower"}
APP_SERVICES = {"worker", "watcher", "web", "flower"}
# Services whose code reads or writes the shared data directory (inbox, spool, work dir).
FILE_SERVICES = {"worker", "watcher", "web"}
SETTINGS_ENV = {f"SOHOA_{name.upper()}" for name in Settings.model_fields}
REQUIRED_APP_ENV = {
    "SOHOA_DATA_DIR",
    "SOHOA_REDIS_URL",
    "SOHOA_DATABASE_URL",
    "SOHOA_S3_ENDPOINT",
    "SOHOA_S3_ACCESS_KEY",
    "SOHOA_S3_SECRET_KEY",
    "SOHOA_S3_BUCKET",
}

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message}; `$$` is a literal `$`.
_INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """What compose makes of a string given `env` (the `.env` file): defaults where unset."""

    def one(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m.group("name"), m.group("op"), m.group("arg")
        current = env.get(name)
        # With a colon an empty value counts as unset; without, only an absent one does.
        unset = not current if op and op.startswith(":") else current is None
        if unset and op in (":?", "?"):
            raise AssertionError(f"${{{name}}} is required: {arg}")
        if unset and op in (":-", "-"):
            return arg
        return current or ""

    return _INTERPOLATION.sub(one, value)


def _walk(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [_walk(n, env) for n in node]
    if isinstance(node, dict):
        return {k: _walk(v, env) for k, v in node.items()}
    return node


def _variables(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        for m in _INTERPOLATION.finditer(node):
            if m.group("name"):
                yield m.group("name")
    elif isinstance(node, list):
        for n in node:
            yield from _variables(n)
    elif isinstance(node, dict):
        for v in node.values():
            yield from _variables(v)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    doc = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


@pytest.fixture(scope="module")
def compose(raw: dict[str, Any]) -> dict[str, Any]:
    """The compose file as it runs with no `.env`: every default applied."""
    resolved = _walk(raw, {})
    assert isinstance(resolved, dict)
    return resolved


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    svcs = compose["services"]
    assert isinstance(svcs, dict)
    return svcs


def env_of(service: Mapping[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def command_of(service: Mapping[str, Any], key: str = "command") -> list[str]:
    cmd = service.get(key) or []
    return cmd.split() if isinstance(cmd, str) else [str(c) for c in cmd]


def depends_of(service: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        # The short form means `service_started`: it waits for nothing to be ready.
        return {d: {"condition": "service_started"} for d in deps}
    return {str(k): dict(v or {}) for k, v in deps.items()}


# --- services -----------------------------------------------------------------------------------


def test_required_services_exist(services: dict[str, Any]) -> None:
    assert services.keys() >= REQUIRED_SERVICES, REQUIRED_SERVICES - services.keys()


def test_app_services_share_one_image(services: dict[str, Any]) -> None:
    first = services["worker"]
    assert first.get("build"), "the worker is built from the Dockerfile"
    build = first["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    assert (ROOT / context / dockerfile).resolve() == DOCKERFILE
    for name in APP_SERVICES:
        svc = services[name]
        assert (svc.get("build"), svc.get("image")) == (first.get("build"), first.get("image")), name
    # No other service may claim the app's image name (it would be pulled or overwritten).
    for name, svc in services.items():
        if name not in APP_SERVICES and first.get("image"):
            assert svc.get("image") != first["image"], name
            assert not svc.get("build"), f"{name} builds an image of its own"


def test_app_env_vars_are_settings(raw: dict[str, Any], services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        env = env_of(services[name])
        sohoa = {k for k in env if k.startswith("SOHOA_")}
        assert sohoa <= SETTINGS_ENV, f"{name}: not in pipeline.config.Settings: {sohoa - SETTINGS_ENV}"
        assert env.keys() >= REQUIRED_APP_ENV, f"{name} lacks {REQUIRED_APP_ENV - env.keys()}"
    # Also `${SOHOA_…}` read from .env anywhere in the file: the same names, the same meaning.
    read = {v for v in _variables(raw) if v.startswith("SOHOA_")}
    assert read <= SETTINGS_ENV, f"not in pipeline.config.Settings: {read - SETTINGS_ENV}"


def test_app_env_values_are_accepted_by_settings(services: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in APP_SERVICES:
        with monkeypatch.context() as m:
            for var in list(os.environ):
                if var.startswith("SOHOA_"):
                    m.delenv(var)
            for var, value in env_of(services[name]).items():
                m.setenv(var, value)
            settings = Settings(_env_file=None)  # type: ignore[call-arg]
        assert str(settings.data_dir) == "/data", name
        assert settings.s3_endpoint and settings.redis_url and settings.database_url, name


def test_database_url_matches_postgres(services: dict[str, Any]) -> None:
    pg = env_of(services["postgres"])
    for name in APP_SERVICES:
        url = urlsplit(env_of(services[name])["SOHOA_DATABASE_URL"])
        assert url.scheme == "postgresql+psycopg", name
        assert url.hostname == "postgres" and url.hostname in services
        assert url.port in (None, 5432)
        assert url.username == pg["POSTGRES_USER"]
        assert url.password == pg["POSTGRES_PASSWORD"]
        assert url.path.lstrip("/") == pg.get("POSTGRES_DB", pg["POSTGRES_USER"])


def test_database_url_follows_env_overrides(raw: dict[str, Any]) -> None:
    # The same check with a `.env` that changes every credential: nothing is hard-coded on one side.
    env = {"POSTGRES_USER": "u1", "POSTGRES_PASSWORD": "p1", "POSTGRES_DB": "d1"}
    svcs = _walk(raw, env)["services"]
    url = urlsplit(env_of(svcs["worker"])["SOHOA_DATABASE_URL"])
    pg = env_of(svcs["postgres"])
    assert (url.username, url.password, url.path.lstrip("/")) == ("u1", "p1", "d1")
    assert (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"]) == ("u1", "p1", "d1")


def test_s3_settings_match_minio(raw: dict[str, Any]) -> None:
    env = {"SOHOA_S3_ACCESS_KEY": "ak", "SOHOA_S3_SECRET_KEY": "sk-12345678", "SOHOA_S3_BUCKET": "b1"}
    for svcs in (_walk(raw, {})["services"], _walk(raw, env)["services"]):
        minio = env_of(svcs["minio"])
        init = svcs["minio-init"]
        for name in APP_SERVICES:
            app = env_of(svcs[name])
            host, _, port = app["SOHOA_S3_ENDPOINT"].partition(":")
            assert host == "minio" and port == "9000", name
            assert app["SOHOA_S3_ACCESS_KEY"] == minio["MINIO_ROOT_USER"]
            assert app["SOHOA_S3_SECRET_KEY"] == minio["MINIO_ROOT_PASSWORD"]
            assert app["SOHOA_S3_BUCKET"] == env_of(init)["BUCKET"]
        assert len(minio["MINIO_ROOT_PASSWORD"]) >= 8, "MinIO refuses a root password under 8 characters"
        script = " ".join(command_of(init, "entrypoint") + command_of(init))
        assert "mc mb" in script and "anonymous set none" in script


def test_redis_is_persistent_and_never_evicts(services: dict[str, Any]) -> None:
    redis = services["redis"]
    cmd = " ".join(command_of(redis))
    assert re.search(r"--appendonly\s+yes", cmd)
    assert re.search(r"--maxmemory-policy\s+noeviction", cmd)
    for name in APP_SERVICES:
        url = urlsplit(env_of(services[name])["SOHOA_REDIS_URL"])
        assert url.scheme == "redis" and url.hostname == "redis", name
    flower = " ".join(command_of(services["flower"], "entrypoint") + command_of(services["flower"]))
    assert "redis://redis:6379" in flower


def test_depends_on_targets_exist_and_wait_for_health(services: dict[str, Any]) -> None:
    for name, svc in services.items():
        for target, spec in depends_of(svc).items():
            assert target in services, f"{name} depends on unknown service {target}"
            condition = spec.get("condition", "service_started")
            if "healthcheck" in services[target]:
                assert condition == "service_healthy", f"{name} -> {target}: {condition}"
            elif target == "minio-init":
                assert condition == "service_completed_successfully", f"{name} -> {target}"
    for name in APP_SERVICES:
        deps = depends_of(services[name])
        assert {"redis", "postgres", "minio-init"} <= deps.keys(), name
    assert depends_of(services["minio-init"])["minio"]["condition"] == "service_healthy"


def test_healthchecks(services: dict[str, Any]) -> None:
    for name in ("redis", "minio", "postgres", "web"):
        assert services[name].get("healthcheck", {}).get("test"), name
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_worker_can_scale(services: dict[str, Any]) -> None:
    worker = services["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker
    assert command_of(worker)[0] == "worker"
    assert env_of(worker)["OMP_THREAD_LIMIT"] == "1"


def test_app_commands(services: dict[str, Any]) -> None:
    assert command_of(services["watcher"])[0] == "watch"
    assert command_of(services["web"])[0] == "web"
    assert env_of(services["web"])["SOHOA_WEB_HOST"] == "0.0.0.0"
    assert any(str(p).split(":")[-1] == "8640" for p in services["web"]["ports"])
    flower = command_of(services["flower"], "entrypoint") + command_of(services["flower"])
    assert flower[0] == "celery" and "flower" in flower and "--port=5555" in flower
    assert flower[flower.index("-A") + 1] == "workers.app"
    assert any(str(p).split(":")[-1] == "5555" for p in services["flower"]["ports"])


def test_volumes(compose: dict[str, Any], services: dict[str, Any]) -> None:
    declared = set((compose.get("volumes") or {}).keys())
    for name, svc in services.items():
        for vol in svc.get("volumes") or []:
            source = vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
            if source and not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} uses undeclared volume {source}"
    for name in ("redis", "minio", "postgres"):
        assert services[name].get("volumes"), f"{name} keeps its data in a volume"
    # Every service that touches files sees the same data volume at SOHOA_DATA_DIR.
    data_mounts = set()
    for name in FILE_SERVICES:
        data_dir = env_of(services[name])["SOHOA_DATA_DIR"]
        mounts = {v.split(":")[0] for v in services[name]["volumes"] if v.split(":")[1] == data_dir}
        assert len(mounts) == 1, f"{name} does not mount a volume at {data_dir}"
        data_mounts |= mounts
    assert len(data_mounts) == 1, f"file services mount different data volumes: {data_mounts}"


# --- the image ----------------------------------------------------------------------------------


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8")
    logical, current = [], ""
    for line in text.splitlines():
        if line.strip().startswith("#"):  # Docker drops comment lines, inside continuations too
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip():
            op, _, args = current.strip().partition(" ")
            logical.append((op.upper(), args.strip()))
        current = ""
    return logical


def test_dockerfile() -> None:
    instructions = _dockerfile_instructions()
    ops = dict(instructions)  # the last of each kind, as Docker uses it
    assert instructions[0] == ("FROM", "python:3.11-slim-bookworm")
    runs = " ".join(args for op, args in instructions if op == "RUN")
    apt = re.search(r"apt-get install ([^&]*)", runs)
    assert apt, "packages are installed with apt-get"
    packages = set(apt.group(1).split())
    assert "--no-install-recommends" in packages
    assert {"tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-osd", "fonts-liberation2", "poppler-utils"} <= packages
    assert "rm -rf /var/lib/apt/lists" in runs
    assert re.search(r"pip install [^&]*\.(\s|$)", runs), "the project itself is pip-installed"
    assert json.loads(ops["ENTRYPOINT"]) == ["sohoa"]
    assert ops.get("USER") not in (None, "root", "0"), "the image runs as an unprivileged user"


def test_dockerignore_keeps_secrets_and_junk_out() -> None:
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".env", "sohoa-data"} <= patterns
    # What `pip install .` needs must stay in the context.
    for needed in ("pyproject.toml", "pipeline", "workers", "schemas", "web", "sohoa", "README.md"):
        assert needed not in patterns


# --- the real parser, where there is one ---------------------------------------------------------


def test_docker_compose_config_validates() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker client on PATH")
    version = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=60)
    if version.returncode != 0:
        pytest.skip(f"docker client without the compose plugin: {version.stderr.strip() or version.stdout.strip()}")
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"docker compose config rejects the file:\n{result.stderr}"
