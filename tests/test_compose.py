"""docker-compose.yml, Dockerfile and .dockerignore: parsed and checked for coherence, never run.

The point is that the distributed form cannot drift from the program: every SOHOA_* variable the
compose file sets must be a field of `pipeline.config.Settings`, with a value that setting accepts;
URLs must point at services that exist, with the credentials those services are given. Every secret
comes from `.env` (made from `.env.example` by scripts/make_env.py), none is written in the file.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import stat
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
ENV_EXAMPLE = ROOT / ".env.example"
POLICY = ROOT / "deploy" / "minio-app-policy.json"
INIT_SCRIPT = ROOT / "deploy" / "minio-init.sh"


def _load_make_env() -> Any:
    spec = importlib.util.spec_from_file_location("make_env", ROOT / "scripts" / "make_env.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_env = _load_make_env()

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


def dotenv() -> dict[str, str]:
    """A `.env` as `make env` makes it from `.env.example`: fresh random secrets each call."""
    text, _ = make_env.render(ENV_EXAMPLE, {})
    values = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {k: v for k, v in values.items() if v}


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    return dotenv()


@pytest.fixture(scope="module")
def compose(raw: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """The compose file as it runs with the `.env` that `make env` makes."""
    resolved = _walk(raw, env)
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


def test_database_url_follows_env_overrides(raw: dict[str, Any], env: dict[str, str]) -> None:
    # The same check with a `.env` that changes every credential: nothing is hard-coded on one side.
    env = {**env, "POSTGRES_USER": "u1", "POSTGRES_PASSWORD": "p1", "POSTGRES_DB": "d1"}
    svcs = _walk(raw, env)["services"]
    url = urlsplit(env_of(svcs["worker"])["SOHOA_DATABASE_URL"])
    pg = env_of(svcs["postgres"])
    assert (url.username, url.password, url.path.lstrip("/")) == ("u1", "p1", "d1")
    assert (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"]) == ("u1", "p1", "d1")


def test_s3_settings_match_minio(raw: dict[str, Any], env: dict[str, str]) -> None:
    other = {**env, "SOHOA_S3_ACCESS_KEY": "ak", "SOHOA_S3_SECRET_KEY": "sk-12345678", "SOHOA_S3_BUCKET": "b1"}
    for svcs in (_walk(raw, env)["services"], _walk(raw, other)["services"]):
        minio = env_of(svcs["minio"])
        init = env_of(svcs["minio-init"])
        for name in APP_SERVICES:
            app = env_of(svcs[name])
            host, _, port = app["SOHOA_S3_ENDPOINT"].partition(":")
            assert host == "minio" and port == "9000", name
            # The app's own user, the one minio-init makes; never MinIO's root account.
            assert app["SOHOA_S3_ACCESS_KEY"] == init["APP_ACCESS_KEY"], name
            assert app["SOHOA_S3_SECRET_KEY"] == init["APP_SECRET_KEY"], name
            assert app["SOHOA_S3_ACCESS_KEY"] != minio["MINIO_ROOT_USER"], name
            assert app["SOHOA_S3_SECRET_KEY"] != minio["MINIO_ROOT_PASSWORD"], name
            assert app["SOHOA_S3_BUCKET"] == init["BUCKET"]
        assert (init["MINIO_ROOT_USER"], init["MINIO_ROOT_PASSWORD"]) == (minio["MINIO_ROOT_USER"],
                                                                          minio["MINIO_ROOT_PASSWORD"])
        assert len(minio["MINIO_ROOT_PASSWORD"]) >= 8, "MinIO refuses a root password under 8 characters"
        assert len(init["APP_SECRET_KEY"]) >= 8, "MinIO refuses a secret key under 8 characters"


def test_only_minio_init_sees_the_root_account(raw: dict[str, Any]) -> None:
    for name, svc in raw["services"].items():
        if name not in ("minio", "minio-init"):
            assert not {"MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"} & set(_variables(svc)), name
    assert "<<" not in (raw["services"]["minio-init"].get("environment") or {}), "minio-init shares no app env"


def test_minio_init_runs_the_committed_script_and_policy(services: dict[str, Any]) -> None:
    init = services["minio-init"]
    assert command_of(init, "entrypoint") == ["/bin/sh", "/deploy/minio-init.sh"]
    mounts = {v.split(":")[0]: v.split(":")[1] for v in init["volumes"]}
    assert mounts.get("./deploy") == "/deploy" and (ROOT / "deploy").is_dir()
    assert init["volumes"][0].endswith(":ro")
    script = INIT_SCRIPT.read_text(encoding="utf-8")
    for step in ("mc mb --ignore-existing", "mc anonymous set none", "mc admin policy create",
                 "mc admin user add", "mc admin policy attach", "/deploy/minio-app-policy.json"):
        assert step in script, step
    if shutil.which("sh"):
        assert subprocess.run(["sh", "-n", str(INIT_SCRIPT)], capture_output=True).returncode == 0


def test_app_policy_is_least_privilege() -> None:
    """The policy document itself (MinIO takes AWS IAM's format): one bucket, object reads and writes,
    the listing and multipart calls the SDK makes; no admin, no bucket policy, no wildcard."""
    doc = json.loads(POLICY.read_text(encoding="utf-8"))
    allowed: dict[str, set[str]] = {}
    for st in doc["Statement"]:
        assert st["Effect"] == "Allow" and "NotAction" not in st and "NotResource" not in st
        for action in st["Action"]:
            allowed.setdefault(action, set()).update(st["Resource"])
    assert allowed == {
        "s3:ListBucket": {"arn:aws:s3:::@BUCKET@"},
        "s3:ListBucketMultipartUploads": {"arn:aws:s3:::@BUCKET@"},
        "s3:GetObject": {"arn:aws:s3:::@BUCKET@/*"},
        "s3:PutObject": {"arn:aws:s3:::@BUCKET@/*"},
        "s3:DeleteObject": {"arn:aws:s3:::@BUCKET@/*"},
        "s3:AbortMultipartUpload": {"arn:aws:s3:::@BUCKET@/*"},
        "s3:ListMultipartUploadParts": {"arn:aws:s3:::@BUCKET@/*"},
    }


def test_redis_is_persistent_and_never_evicts(services: dict[str, Any]) -> None:
    redis = services["redis"]
    cmd = " ".join(command_of(redis))
    assert re.search(r"--appendonly\s+yes", cmd)
    assert re.search(r"--maxmemory-policy\s+noeviction", cmd)
    password = cmd.split("--requirepass", 1)[1].split()[0]
    assert len(password) >= 16, "Redis runs with a password"
    assert env_of(redis)["REDISCLI_AUTH"] == password, "the healthcheck authenticates"
    for name in APP_SERVICES:
        url = urlsplit(env_of(services[name])["SOHOA_REDIS_URL"])
        assert url.scheme == "redis" and url.hostname == "redis", name
        assert url.password == password, f"{name}: broker URL without the Redis password"
    # Flower takes the broker from the app's settings: no URL (with its password) on the command line.
    flower = " ".join(command_of(services["flower"], "entrypoint") + command_of(services["flower"]))
    assert "redis://" not in flower


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
    assert "redis-cli ping | grep -q PONG" in " ".join(services["redis"]["healthcheck"]["test"])
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


# --- secrets --------------------------------------------------------------------------------------

# What names a secret: its value must come from `.env`, never be written here.
_SECRET_NAME = re.compile(r"PASSWORD|SECRET|AUTH|TOKEN", re.IGNORECASE)


def _secret_values(services: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, value) of every secret in the resolved file: secret-named env values, the password part of
    every URL, and the argument after --requirepass."""
    for name, svc in services.items():
        for key, value in env_of(svc).items():
            if _SECRET_NAME.search(key) and key != "SOHOA_WEB_ADMIN_PASSWORD":  # empty: a random one in a file
                yield f"{name}.{key}", value.split(":", 1)[1] if key == "FLOWER_BASIC_AUTH" else value
            if "://" in value and urlsplit(value).password is not None:
                yield f"{name}.{key} (URL password)", str(urlsplit(value).password)
        cmd = command_of(svc)
        if "--requirepass" in cmd:
            yield f"{name} --requirepass", cmd[cmd.index("--requirepass") + 1]


def test_no_secret_is_written_in_the_compose_file(raw: dict[str, Any], env: dict[str, str]) -> None:
    resolved = _walk(raw, env)["services"]
    secrets_in_env = {v for k, v in env.items() if v}
    found = list(_secret_values(resolved))
    assert len(found) >= 10, found  # the check looks at something
    for where, value in found:
        # Each one is exactly a value of `.env`: nothing typed into the file, no default to fall back on.
        assert value in secrets_in_env, f"{where} is not taken from .env"
    # And the same with another `.env`: every one of them follows it.
    other = dotenv()
    again = dict(_secret_values(_walk(raw, other)["services"]))
    for where, value in found:
        assert again[where] != value, f"{where} does not follow .env"
    assert "change-me" not in COMPOSE.read_text(encoding="utf-8")


def test_compose_refuses_to_start_without_the_secrets(raw: dict[str, Any], env: dict[str, str]) -> None:
    for name in ("POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "SOHOA_S3_SECRET_KEY", "REDIS_PASSWORD",
                 "SOHOA_WEB_SECRET", "FLOWER_PASSWORD"):
        partial = {k: v for k, v in env.items() if k != name}
        with pytest.raises(AssertionError, match=f"{name}.*is required: set it in .env"):
            _walk(raw, partial)


def test_every_variable_is_in_env_example(raw: dict[str, Any]) -> None:
    example = make_env.read_env(ENV_EXAMPLE)
    # The tunables are there commented out (`# NAME=default`): documented, not set.
    tunables = set(re.findall(r"^# ([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M))
    named = example.keys() | tunables
    used = set(_variables(raw))
    assert used <= named, f"not in .env.example: {used - named}"
    # Nothing in the example that compose does not read (a stale name would look as if it mattered).
    assert named <= used, f"in .env.example but never read: {named - used}"
    # What stays commented out has a default in the compose file; what is set, compose requires or uses.
    text = COMPOSE.read_text(encoding="utf-8")
    for name in tunables:
        assert re.search(r"\$\{" + name + r":-[^}]+\}", text), f"{name} has no default in the compose file"
    # The example holds no secret: names and placeholders only.
    for key, value in example.items():
        if _SECRET_NAME.search(key):
            assert value == "", f".env.example gives {key} a value"


def test_env_file_is_kept_out_of_git_and_images() -> None:
    ignored = {line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()}
    assert ".env" in ignored
    if shutil.which("git") and (ROOT / ".git").exists():
        tracked = subprocess.run(["git", "ls-files", ".env"], cwd=ROOT, capture_output=True, text=True)
        assert tracked.stdout.strip() == ""


def test_make_env_fills_keeps_and_rotates(tmp_path: Path) -> None:
    out = tmp_path / ".env"
    assert make_env.main(["--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    first = make_env.read_env(out)
    example = make_env.read_env(ENV_EXAMPLE)
    assert first.keys() == example.keys()
    for key, value in example.items():
        if value:
            assert first[key] == value, key  # names kept as the example gives them
        else:
            assert re.fullmatch(r"[A-Za-z0-9_-]{32}", first[key]), key  # URL-safe, 192 bits
    assert len({first[k] for k, v in example.items() if not v}) == sum(1 for v in example.values() if not v)
    # Run again: everything kept. Rotate one: only it changes.
    make_env.main(["--out", str(out)])
    assert make_env.read_env(out) == first
    make_env.main(["--out", str(out), "--rotate", "REDIS_PASSWORD"])
    rotated = make_env.read_env(out)
    assert rotated["REDIS_PASSWORD"] != first["REDIS_PASSWORD"]
    assert {k: v for k, v in rotated.items() if k != "REDIS_PASSWORD"} == {
        k: v for k, v in first.items() if k != "REDIS_PASSWORD"}
    with pytest.raises(SystemExit, match="NOPE"):
        make_env.main(["--out", str(out), "--rotate", "NOPE"])


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


def test_docker_compose_config_validates(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker client on PATH")
    version = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=60)
    if version.returncode != 0:
        pytest.skip(f"docker client without the compose plugin: {version.stderr.strip() or version.stdout.strip()}")
    # With the `.env` that `make env` makes (the file refuses to run without its secrets).
    env_file = tmp_path / ".env"
    make_env.main(["--out", str(env_file)])
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "--env-file", str(env_file), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"docker compose config rejects the file:\n{result.stderr}"


# --- minio-init's script, with a stand-in `mc` that records what it is asked ----------------------

FAKE_MC = """#!/bin/sh
echo "$*" >> "$MC_LOG"
case "$*" in
  "admin policy create "*) cp "$6" "$MC_LOG.policy" ;;
  "admin policy attach "*) [ -n "${MC_ATTACHED:-}" ] && { echo "policy change already in effect" >&2; exit 1; } ;;
  "admin user info "*) echo "AccessKey: $5"; echo "PolicyName: ${MC_ATTACHED:-}" ;;
esac
exit 0
"""


def _run_init(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    (bindir / "mc").write_text(FAKE_MC)
    (bindir / "mc").chmod(0o755)
    env = {"PATH": f"{bindir}:/usr/bin:/bin", "MC_LOG": str(tmp_path / "mc.log"), "TMPDIR": str(tmp_path),
           "POLICY_TEMPLATE": str(POLICY), "MINIO_ROOT_USER": "root", "MINIO_ROOT_PASSWORD": "rootpass1",
           "BUCKET": "ho-so", "APP_ACCESS_KEY": "sohoa-app", "APP_SECRET_KEY": "apppass12", **extra}
    return subprocess.run(["sh", str(INIT_SCRIPT)], env=env, capture_output=True, text=True, timeout=30)


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX sh")
def test_minio_init_script_makes_the_private_bucket_and_the_limited_user(tmp_path: Path) -> None:
    run = _run_init(tmp_path)
    assert run.returncode == 0, run.stderr
    calls = (tmp_path / "mc.log").read_text().splitlines()
    assert calls == [
        "alias set sohoa http://minio:9000 root rootpass1",
        "mb --ignore-existing sohoa/ho-so",
        "anonymous set none sohoa/ho-so",
        f"admin policy create sohoa sohoa-app {tmp_path}/sohoa-app-policy.json",
        "admin user add sohoa sohoa-app apppass12",
        "admin policy attach sohoa sohoa-app --user sohoa-app",
    ]
    made = json.loads((tmp_path / "mc.log.policy").read_text())
    assert made == json.loads(POLICY.read_text().replace("@BUCKET@", "ho-so"))
    assert "@BUCKET@" not in json.dumps(made)


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX sh")
def test_minio_init_script_runs_again_and_refuses_the_root_account_for_the_app(tmp_path: Path) -> None:
    assert _run_init(tmp_path, MC_ATTACHED="sohoa-app").returncode == 0  # second run: already attached
    failed = _run_init(tmp_path, MC_ATTACHED="something-else")
    assert failed.returncode == 1 and "already in effect" in failed.stderr
    root = _run_init(tmp_path, APP_ACCESS_KEY="root")
    assert root.returncode == 1 and "never gets the root account" in root.stderr
