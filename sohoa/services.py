"""The embedded default's own services: find a Redis or start one, and supervise child processes."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import redis

from pipeline.config import Settings
from pipeline.redis_client import connect

log = logging.getLogger(__name__)


def redis_alive(url: str, timeout: float = 1.0) -> bool:
    try:
        return bool(connect(url, timeout).ping())
    except (redis.RedisError, OSError, ValueError):
        return False


def start_redis(data_dir: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """A private redis-server on a unix socket in the data dir, persistent (AOF) and never evicting."""
    exe = shutil.which("redis-server")
    if exe is None:
        raise RuntimeError("redis-server is not installed: run `make setup` (Debian package redis-server)")
    rdir = data_dir / "redis"
    rdir.mkdir(parents=True, exist_ok=True)
    sock = rdir / "redis.sock"
    sock.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            exe, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
            "--dir", str(rdir), "--appendonly", "yes", "--save", "",
            "--maxmemory-policy", "noeviction", "--logfile", str(rdir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis+socket://{sock}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited with {proc.returncode}; see {rdir / 'redis.log'}")
        if sock.exists() and redis_alive(f"unix://{sock}"):
            return url, proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"redis-server did not come up in 10 s; see {rdir / 'redis.log'}")


def resolve_redis(settings: Settings) -> tuple[str, subprocess.Popen[bytes] | None]:
    if settings.redis_url:
        return settings.redis_url, None
    if settings.redis_find and redis_alive(settings.redis_find):
        return settings.redis_find, None
    return start_redis(settings.data)


@dataclass
class Supervisor:
    """Child processes that start together and stop together, cleanly, on Ctrl-C."""

    env: dict[str, str]
    logdir: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    args: dict[str, list[str]] = field(default_factory=dict)
    restarts: dict[str, list[float]] = field(default_factory=dict)

    def start(self, name: str, args: list[str]) -> None:
        self.logdir.mkdir(parents=True, exist_ok=True)
        logfile = self.logdir / f"{name}.log"
        log.info("starting %s (log: %s)", name, logfile)
        self.args[name] = args
        with logfile.open("ab") as out:
            self.procs[name] = subprocess.Popen(
                args, env=self.env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
            )

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.logdir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def sohoa(self, name: str, *args: str) -> None:
        self.start(name, [sys.executable, "-m", "sohoa", *args])

    def dead(self) -> list[str]:
        return [n for n, p in self.procs.items() if p.poll() is not None]

    def restart(self, name: str, *, limit: int = 5, window: float = 600.0) -> bool:
        """Start a child that died again (its unfinished work is recovered at start); False once it died
        `limit` times within `window` seconds, which is a fault to report rather than to loop on."""
        now = time.monotonic()
        recent = [t for t in self.restarts.get(name, []) if now - t < window]
        if len(recent) >= limit:
            return False
        self.restarts[name] = [*recent, now]
        old = self.procs[name]
        with suppress(ProcessLookupError):
            os.killpg(old.pid, signal.SIGKILL)  # what is left of its process group (pool children)
        self.start(name, self.args[name])
        return True

    def stop(self, timeout: float = 30.0) -> None:
        for p in self.procs.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name, p in self.procs.items():
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in time; killing it", name)
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
