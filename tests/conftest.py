"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


# --- s3_server: a real S3 protocol server (moto in server mode) on 127.0.0.1 ----------------------
@pytest.fixture(scope="session")
def s3_server() -> Iterator[dict[str, str]]:
    """Moto's S3 server on a free loopback port for the whole session; stopped afterwards.

    Yields `endpoint` (`127.0.0.1:PORT`), `access_key`, `secret_key` and `region`. Moto accepts any
    credentials and keeps one state for the session: give each test its own bucket.
    """
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield {
            "endpoint": f"{host}:{port}",
            "access_key": "sohoa-test",
            "secret_key": "sohoa-test-secret",
            "region": "us-east-1",
        }
    finally:
        server.stop()


# --- end s3_server --------------------------------------------------------------------------------


# --- services and settings for pipeline tests ----------------------------------------------------
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A private redis-server on a free port: tests may stop and restart it without touching the
    machine's own Redis. With `password`, it runs with --requirepass, as in compose."""

    def __init__(self, workdir: Path, password: str = "") -> None:
        self.port = free_port()
        self.workdir = workdir
        self.password = password
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{f':{self.password}@' if self.password else ''}127.0.0.1:{self.port}/0"

    @property
    def url_without_password(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        assert exe, "redis-server is not installed (make setup installs it)"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir),
             "--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction",
             *(["--requirepass", self.password] if self.password else [])],
            stdout=subprocess.DEVNULL,
        )
        hello = f"AUTH {self.password}\r\nPING\r\n".encode() if self.password else b"PING\r\n"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as c:
                    c.sendall(hello)
                    got = b""
                    while got.count(b"\r\n") < hello.count(b"\r\n"):
                        chunk = c.recv(64)
                        if not chunk:
                            break
                        got += chunk
                    if got.endswith(b"+PONG\r\n"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_auth_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A private redis-server that wants a password (its `url` carries it)."""
    import secrets

    server = RedisServer(tmp_path / "redis-auth", password=secrets.token_urlsafe(24))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def postgres_admin_url() -> str | None:
    """The PostgreSQL named by SOHOA_TEST_POSTGRES (default: the local one), when it answers."""
    url = os.environ.get("SOHOA_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=2):
            return url
    except Exception:
        return None


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty database on the reachable PostgreSQL; skipped when there is none."""
    import psycopg

    admin = postgres_admin_url()
    if admin is None:
        pytest.skip("no PostgreSQL reachable (set SOHOA_TEST_POSTGRES)")
    name = f"sohoa_test_{uuid.uuid4().hex[:10]}"
    plain = admin.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        from pipeline.keep.db import engine_for

        engine_for(f"{base}/{name}").dispose()  # close pooled connections, or DROP waits on them
        with psycopg.connect(plain, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Settings for an embedded-default data dir of this test's own (SQLite, local object store)."""
    from pipeline.config import Settings, get_settings

    for var in [v for v in os.environ if v.startswith("SOHOA_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    s = Settings(data_dir=tmp_path / "data", stable_seconds=0.3, poll_seconds=0.2)
    s.ensure_dirs()
    yield s
    get_settings.cache_clear()


SAMPLES_CACHE: dict[tuple[object, ...], Path] = {}


@pytest.fixture(scope="session")
def sample_set(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Generate (once per session) sample documents with ground truth: call with (n, seed)."""
    from pipeline.samples import generate

    def make(n: int = 6, seed: int = 7, **kw):  # type: ignore[no-untyped-def]
        key = (n, seed, tuple(sorted((k, tuple(v)) for k, v in kw.items())))
        if key not in SAMPLES_CACHE:
            out = tmp_path_factory.mktemp(f"samples-{n}-{seed}")
            generate(out, n=n, seed=seed, **kw)
            SAMPLES_CACHE[key] = out
        return SAMPLES_CACHE[key]

    return make
