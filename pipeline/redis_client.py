"""Redis connections from one URL form everywhere: `redis://[:password@]host:port/db` (a password
from compose's `.env`), `rediss://` for TLS, and kombu's `redis+socket:///path` for the embedded
default's private socket. Every Redis client of the program is made here, so a password in the URL
works in the workers, the watcher's publisher, the console's queue reads and /metrics alike."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis


def client_url(url: str) -> str:
    """kombu names a unix socket `redis+socket:///path`; redis-py wants `unix:///path`."""
    for prefix in ("redis+socket://", "socket://"):
        if url.startswith(prefix):
            return "unix://" + url[len(prefix):]
    return url


def connect(url: str, timeout: float | None = None) -> redis.Redis:
    """A client for `url` (password and db from the URL); `timeout` bounds connecting and each reply."""
    return redis.Redis.from_url(client_url(url), socket_timeout=timeout, socket_connect_timeout=timeout)


def masked(url: str) -> str:
    """`url` fit for a log line or a page: the password replaced by `***`."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:
        return "<unparsable URL>"


def describe(error: Exception) -> str:
    """A Redis error as an operator can act on it: a refused password says which setting to fix
    (redis-py's own words for a missing one are about the HELLO command)."""
    if isinstance(error, redis.AuthenticationError):
        return ("Redis refused the connection: wrong or missing password; give it in SOHOA_REDIS_URL "
                f"as redis://:PASSWORD@host:port/db ({error})")
    return str(error)
