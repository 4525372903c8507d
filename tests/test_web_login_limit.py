"""Failed logins limited per user name and per address (web/login_limit.py): refused with 429, a
Vietnamese message and Retry-After; shared by every web replica through a real Redis; in memory
without one; the window slides."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pipeline.accounts.users import add_user
from pipeline.config import Settings
from pipeline.keep import db
from pipeline.redis_client import connect
from tests.conftest import RedisServer
from tests.helpers import login
from web.app import create_app
from web.login_limit import Limits, LoginLimiter, MemoryCounts, RedisCounts

PASSWORD = "đúng-mật-khẩu"


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    db.migrate(settings.db_url)
    add_user(settings.db_url, "lan", "clerk", PASSWORD)
    add_user(settings.db_url, "hoa", "clerk", PASSWORD)
    return settings


def client_at(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_lock_the_user_from_every_address(app_settings: Settings) -> None:
    app = create_app(app_settings)
    a, b = client_at(app, "10.0.0.1"), client_at(app, "10.0.0.2")
    for i in range(5):
        assert login(a if i % 2 else b, "lan", "sai").status_code == 401, i
    # The sixth try is refused unread, even with the right password and from another machine.
    for c in (a, b, client_at(app, "10.0.0.3")):
        r = login(c, "LAN", PASSWORD)  # the name as logins fold it
        assert r.status_code == 429
        assert "Đăng nhập sai quá nhiều lần" in r.text and "15 phút" in r.text
        assert 890 <= int(r.headers["retry-after"]) <= 900
    # Another user is not affected.
    assert login(a, "hoa", PASSWORD).status_code == 303
    # In English too.
    a.get("/login?lang=en")
    assert "Too many failed logins" in login(a, "lan", PASSWORD).text


def test_an_address_trying_many_names_is_stopped(app_settings: Settings) -> None:
    app = create_app(app_settings)
    bad = client_at(app, "10.0.0.66")
    for i in range(20):
        assert login(bad, f"nguoi{i}", "sai").status_code == 401, i
    r = login(bad, "hoa", PASSWORD)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    # The same user from elsewhere logs in: the address is what is stopped.
    assert login(client_at(app, "10.0.0.7"), "hoa", PASSWORD).status_code == 303


def test_success_forgets_the_users_failures(app_settings: Settings) -> None:
    c = client_at(create_app(app_settings), "10.0.0.1")
    for _ in range(4):
        assert login(c, "lan", "sai").status_code == 401
    assert login(c, "lan", PASSWORD).status_code == 303
    for _ in range(4):
        assert login(c, "lan", "sai").status_code == 401  # four more, not locked: the count began again
    assert login(c, "lan", PASSWORD).status_code == 303


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_the_window_slides(backend: str, request: pytest.FixtureRequest) -> None:
    clock = Clock()
    limits = Limits(per_user=3, per_address=100, window=600)
    if backend == "redis":
        server: RedisServer = request.getfixturevalue("redis_auth_server")
        counts: MemoryCounts | RedisCounts = RedisCounts(connect(server.url), limits.window, clock)
    else:
        counts = MemoryCounts(limits.window, clock)
    limiter = LoginLimiter(limits, counts)
    for step in (0, 100, 200):
        clock.now += step
        limiter.failed("lan", "10.0.0.1")
    assert limiter.retry_after("lan", "10.0.0.9") == 600 - 300  # the first failure ages out at +600
    clock.now += 299
    assert limiter.retry_after("lan", "10.0.0.9") == 1
    clock.now += 1
    assert limiter.retry_after("lan", "10.0.0.9") == 0
    limiter.failed("lan", "10.0.0.1")
    assert limiter.retry_after("lan", "10.0.0.9") == 100


def test_replicas_share_the_count_through_redis(app_settings: Settings, redis_auth_server: RedisServer) -> None:
    shared = app_settings.model_copy(update={"redis_url": redis_auth_server.url})
    one, two = client_at(create_app(shared), "10.0.0.1"), client_at(create_app(shared), "10.0.0.1")  # two replicas
    assert one.app is not two.app
    for i in range(5):
        assert login(one if i < 3 else two, "lan", "sai").status_code == 401
    assert login(two, "lan", PASSWORD).status_code == 429
    assert login(one, "lan", PASSWORD).status_code == 429
    keys = list(connect(redis_auth_server.url).scan_iter(match="sohoa:login-failures:*"))
    assert len(keys) == 2  # one user, one address; names hashed, no password anywhere
    assert all(0 < connect(redis_auth_server.url).ttl(k) <= 901 for k in keys)


def test_redis_down_falls_back_to_this_process(app_settings: Settings, redis_auth_server: RedisServer) -> None:
    shared = app_settings.model_copy(update={"redis_url": redis_auth_server.url})
    c = client_at(create_app(shared), "10.0.0.1")
    redis_auth_server.stop()
    for _ in range(5):
        assert login(c, "lan", "sai").status_code == 401  # logins go on without Redis
    assert login(c, "lan", PASSWORD).status_code == 429  # and are still limited, here
