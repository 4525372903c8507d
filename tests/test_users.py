"""Web users: scrypt hashes, tokens kept as hashes, the first admin of a fresh installation, `sohoa users`."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pipeline.accounts.users import (
    UserError,
    add_user,
    authenticate,
    bootstrap_admin,
    hash_password,
    list_users,
    new_token,
    revoke_tokens,
    set_active,
    set_password,
    token_hash,
    user_for_token,
    verify_password,
)
from pipeline.config import Settings
from pipeline.keep import db
from pipeline.keep.models import ApiToken, User


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    a, b = hash_password("mật khẩu dài"), hash_password("mật khẩu dài")
    assert a != b and a.startswith("scrypt$16384$8$1$")  # a salt of its own each time, parameters kept
    assert verify_password("mật khẩu dài", a) and verify_password("mật khẩu dài", b)
    assert not verify_password("mật khẩu dai", a)
    assert not verify_password("x", "bcrypt$whatever") and not verify_password("x", "garbage")
    cheap = hash_password("p", n=2**4)  # the cost travels with the hash
    assert verify_password("p", cheap) and not verify_password("q", cheap)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, settings: Settings) -> str:
    if request.param == "sqlite":
        return settings.db_url
    return str(request.getfixturevalue("postgres_url"))  # where "user" is a reserved word


def test_users_and_tokens(db_url: str) -> None:
    url = db_url
    db.migrate(url)
    add_user(url, " Lan ", "clerk", "12345678")
    with pytest.raises(UserError, match="exists already"):
        add_user(url, "lan", "admin", "12345678")
    with pytest.raises(UserError, match="role 'boss'"):
        add_user(url, "an", "boss", "12345678")
    with pytest.raises(UserError, match="at least 8"):
        add_user(url, "an", "clerk", "short")
    with pytest.raises(UserError, match="user name"):
        add_user(url, "a b", "clerk", "12345678")

    assert authenticate(url, "LAN", "12345678") is not None
    assert authenticate(url, "lan", "12345679") is None
    assert authenticate(url, "nobody", "12345678") is None

    token = new_token(url, "lan", "máy quét")
    assert token.startswith("sohoa_") and len(token) > 40
    with db.session_scope(url) as s:
        stored = s.scalars(select(ApiToken.token_hash)).all()
        assert stored == [token_hash(token)] and token not in stored  # only the hash is kept
        assert s.scalar(select(User.password_hash)).startswith("scrypt$")
    who = user_for_token(url, token)
    assert who is not None and (who.username, who.role) == ("lan", "clerk")
    assert user_for_token(url, token + "x") is None and user_for_token(url, "not-a-token") is None

    stamp = who.stamp
    set_password(url, "lan", "87654321")
    again = authenticate(url, "lan", "87654321")
    assert again is not None and again.stamp != stamp  # sessions made with the old password end

    set_active(url, "lan", False)
    assert authenticate(url, "lan", "87654321") is None
    assert user_for_token(url, token) is None
    set_active(url, "lan", True)
    assert [(u.username, u.tokens) for u in list_users(url)] == [("lan", 1)]
    assert revoke_tokens(url, "lan") == 1 and user_for_token(url, token) is None
    with pytest.raises(UserError, match="no such user"):
        new_token(url, "ghost")


def test_first_admin_gets_a_random_password_in_a_private_file(settings: Settings) -> None:
    db.migrate(settings.db_url)
    said = bootstrap_admin(settings)
    path = settings.data / "admin-password.txt"
    assert said is not None and str(path) in said
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    password = path.read_text().strip()
    assert len(password) >= 12
    admin = authenticate(settings.db_url, "admin", password)
    assert admin is not None and admin.role == "admin"
    # Next start: no new admin, a reminder of where the password is while the file is there.
    again = bootstrap_admin(settings)
    assert again is not None and str(path) in again and path.read_text().strip() == password
    assert len(list_users(settings.db_url)) == 1


def test_first_admin_from_the_environment(settings: Settings) -> None:
    s = settings.model_copy(update={"web_admin_password": "from-the-env-1"})
    db.migrate(s.db_url)
    said = bootstrap_admin(s)
    assert said is not None and "SOHOA_WEB_ADMIN_PASSWORD" in said
    assert not (s.data / "admin-password.txt").exists()
    assert authenticate(s.db_url, "admin", "from-the-env-1") is not None
    assert bootstrap_admin(s) is None


def test_users_cli(settings: Settings) -> None:
    from sohoa.cli import app

    runner = CliRunner()
    added = runner.invoke(app, ["users", "add", "Hoa", "--role", "operator", "--password-stdin"], input="mật-khẩu-9\n")
    assert added.exit_code == 0 and "user hoa added (operator)" in added.output, added.output
    prompted = runner.invoke(app, ["users", "add", "binh", "--role", "analyst"], input="abcdefgh\nabcdefgh\n")
    assert prompted.exit_code == 0, prompted.output
    bad = runner.invoke(app, ["users", "add", "x", "--role", "chief", "--password-stdin"], input="abcdefgh\n")
    assert bad.exit_code == 2 and "role 'chief'" in bad.output
    dup = runner.invoke(app, ["users", "add", "hoa", "--role", "clerk", "--password-stdin"], input="abcdefgh\n")
    assert dup.exit_code == 2 and "exists already" in dup.output

    token = runner.invoke(app, ["users", "token", "hoa", "--label", "prometheus"]).output.strip()
    who = user_for_token(settings.db_url, token)
    assert who is not None and who.username == "hoa"
    assert runner.invoke(app, ["users", "disable", "hoa"]).exit_code == 0
    listed = runner.invoke(app, ["users", "list"]).output
    assert "hoa" in listed and "DISABLED" in listed and "tokens 1" in listed and "binh" in listed
    assert user_for_token(settings.db_url, token) is None
    assert runner.invoke(app, ["users", "enable", "hoa"]).exit_code == 0
    assert runner.invoke(app, ["users", "role", "hoa", "clerk"]).exit_code == 0
    assert runner.invoke(app, ["users", "passwd", "hoa", "--password-stdin"], input="new-pass-1\n").exit_code == 0
    who = authenticate(settings.db_url, "hoa", "new-pass-1")
    assert who is not None and who.role == "clerk"
    assert "1 token(s) of hoa revoked" in runner.invoke(app, ["users", "token", "hoa", "--revoke"]).output
    assert runner.invoke(app, ["users", "disable", "ghost"]).exit_code == 2
