"""Failed logins counted per user name and per client address over a sliding window; past the limit a
login is refused unread (429, Retry-After) until the oldest failures age out.

Per user stops guessing one clerk's password from many addresses; per address stops one machine
trying many names. The counts live in Redis when the web app has one (so every web replica shares
them), else in this process. A Redis that stops answering falls back to the process's own counts:
logins go on, limited per replica, and the log says so.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis

from pipeline.accounts.users import UserError, normalise_username
from pipeline.config import Settings
from pipeline.redis_client import connect, describe, masked

log = logging.getLogger(__name__)

PREFIX = "sohoa:login-failures:"
# The most keys the in-process counts keep (the oldest go first): random names cannot fill memory.
MEMORY_KEYS = 50_000


@dataclass(frozen=True)
class Limits:
    per_user: int = 5
    per_address: int = 20
    window: float = 15 * 60.0


class Counts(Protocol):
    def wait(self, key: str, limit: int) -> float:
        """Seconds until `key` has fewer than `limit` failures in the window; 0 when it has now."""

    def add(self, key: str) -> None: ...

    def clear(self, key: str) -> None: ...


class MemoryCounts:
    def __init__(self, window: float, clock: Callable[[], float] = time.time) -> None:
        self.window = window
        self.clock = clock
        self._times: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._times.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def wait(self, key: str, limit: int) -> float:
        with self._lock:
            now = self.clock()
            times = self._recent(key, now)
            if len(times) < limit:
                return 0.0
            return times[len(times) - limit] + self.window - now

    def add(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            times = self._recent(key, now)
            times.append(now)
            self._times[key] = times
            self._times.move_to_end(key)
            while len(self._times) > MEMORY_KEYS:
                self._times.popitem(last=False)

    def clear(self, key: str) -> None:
        with self._lock:
            self._times.pop(key, None)


class RedisCounts:
    """A sorted set per key, scored by the time of each failure; it expires with the window."""

    def __init__(self, client: redis.Redis, window: float, clock: Callable[[], float] = time.time) -> None:
        self.r = client
        self.window = window
        self.clock = clock

    def wait(self, key: str, limit: int) -> float:
        now = self.clock()
        pipe = self.r.pipeline()
        pipe.zremrangebyscore(PREFIX + key, "-inf", now - self.window)
        pipe.zrange(PREFIX + key, 0, -1, withscores=True)
        _, entries = pipe.execute()
        if len(entries) < limit:
            return 0.0
        return float(entries[len(entries) - limit][1]) + self.window - now

    def add(self, key: str) -> None:
        now = self.clock()
        pipe = self.r.pipeline()
        pipe.zadd(PREFIX + key, {f"{now:.6f}:{secrets.token_hex(4)}": now})
        pipe.expire(PREFIX + key, int(self.window) + 1)
        pipe.execute()

    def clear(self, key: str) -> None:
        self.r.delete(PREFIX + key)


def user_key(username: str) -> str:
    """The name as logins look it up, hashed: any string a form sends makes a short, safe key."""
    try:
        name = normalise_username(username)
    except UserError:
        name = username.strip().lower()
    return "user:" + hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()[:32]


def address_key(address: str) -> str:
    return "addr:" + address[:64]


class LoginLimiter:
    def __init__(self, limits: Limits, counts: Counts, fallback: MemoryCounts | None = None) -> None:
        self.limits = limits
        self.counts = counts
        self.fallback = fallback or MemoryCounts(limits.window)
        self._warned = False

    def _call(self, fn: Callable[[Counts], float | None]) -> float | None:
        try:
            return fn(self.counts)
        except redis.RedisError as e:
            if not self._warned:
                log.warning("login failures counted in this process only: %s", describe(e))
                self._warned = True
            return fn(self.fallback)

    def retry_after(self, username: str, address: str) -> int:
        """Seconds before this user name, or this address, may try again; 0 when they may now."""
        user = self._call(lambda c: c.wait(user_key(username), self.limits.per_user)) or 0.0
        addr = self._call(lambda c: c.wait(address_key(address), self.limits.per_address)) or 0.0
        wait = max(user, addr)
        return max(1, int(wait + 0.999)) if wait > 0 else 0

    def failed(self, username: str, address: str) -> None:
        self._call(lambda c: c.add(user_key(username)))
        self._call(lambda c: c.add(address_key(address)))

    def succeeded(self, username: str) -> None:
        """The user's failures are forgotten (the address's are not: one good account must not
        reset the count of a machine trying many)."""
        self._call(lambda c: c.clear(user_key(username)))


def limiter_for(settings: Settings) -> LoginLimiter:
    limits = Limits(settings.web_login_failures_per_user, settings.web_login_failures_per_address,
                    settings.web_login_window_seconds)
    if settings.redis_url:
        log.info("login failures counted in Redis at %s", masked(settings.redis_url))
        return LoginLimiter(limits, RedisCounts(connect(settings.redis_url, 1.0), limits.window))
    return LoginLimiter(limits, MemoryCounts(limits.window))
