"""Web users: passwords hashed with scrypt (stdlib), bearer tokens kept as a hash, and the first admin
of a fresh installation. The web app (web/auth.py) and `sohoa users` both go through here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pipeline.config import Settings
from pipeline.keep import db
from pipeline.keep.models import ApiToken, User

ROLES: tuple[str, ...] = ("clerk", "operator", "analyst", "admin")
MIN_PASSWORD = 8
TOKEN_PREFIX = "sohoa_"
ADMIN = "admin"
ADMIN_PASSWORD_FILE = "admin-password.txt"
# scrypt cost: 16 MiB and ~50 ms a guess on this machine's kind of core; stored with each hash, so it
# can be raised later without invalidating the hashes already made.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_USERNAME = re.compile(r"[\w.@-]{1,64}")


class UserError(Exception):
    """A user operation that cannot be done; the message names the user and the reason."""


@dataclass(frozen=True)
class UserInfo:
    username: str
    role: str
    active: bool
    # Changes with the password: a session remembers it, so a new password ends the old sessions.
    stamp: str
    tokens: int = 0


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(key)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=256 * int(n) * int(r), dklen=len(want))
    except ValueError:
        return False
    return hmac.compare_digest(got, want)


@cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so a wrong name costs as long as a wrong password."""
    return hash_password(secrets.token_hex(8))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _stamp(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode("ascii")).hexdigest()[:16]


def _info(u: User, tokens: int = 0) -> UserInfo:
    return UserInfo(u.username, u.role, u.active, _stamp(u.password_hash), tokens)


def normalise_username(name: str) -> str:
    name = name.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise UserError(f"user name {name!r}: 1 to 64 letters, digits or . _ @ -")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"role {role!r}: one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


def add_user(db_url: str, username: str, role: str, password: str) -> UserInfo:
    name = normalise_username(username)
    check_role(role)
    check_password(password)
    try:
        with db.session_scope(db_url) as s:
            user = User(username=name, role=role, password_hash=hash_password(password), active=True)
            s.add(user)
            s.flush()
            return _info(user)
    except IntegrityError as e:
        raise UserError(f"user {name!r} exists already") from e


def _user(s: Session, username: str) -> User:
    name = normalise_username(username)
    user = s.scalar(select(User).where(User.username == name))
    if user is None:
        raise UserError(f"user {name!r}: no such user")
    return user


def get_user(db_url: str, username: str) -> UserInfo | None:
    with db.session_scope(db_url) as s:
        user = s.scalar(select(User).where(User.username == username))
        return _info(user) if user is not None else None


def list_users(db_url: str) -> list[UserInfo]:
    with db.session_scope(db_url) as s:
        counts = dict(s.execute(select(ApiToken.user_id, func.count()).group_by(ApiToken.user_id)).all())
        return [_info(u, counts.get(u.id, 0)) for u in s.scalars(select(User).order_by(User.username))]


def set_password(db_url: str, username: str, password: str) -> None:
    check_password(password)
    with db.session_scope(db_url) as s:
        _user(s, username).password_hash = hash_password(password)


def set_role(db_url: str, username: str, role: str) -> None:
    check_role(role)
    with db.session_scope(db_url) as s:
        _user(s, username).role = role


def set_active(db_url: str, username: str, active: bool) -> None:
    with db.session_scope(db_url) as s:
        _user(s, username).active = active


def new_token(db_url: str, username: str, label: str = "") -> str:
    """A new bearer token for the user; shown once, only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.session_scope(db_url) as s:
        user = _user(s, username)
        s.add(ApiToken(user_id=user.id, token_hash=token_hash(token), label=label[:128]))
    return token


def revoke_tokens(db_url: str, username: str) -> int:
    with db.session_scope(db_url) as s:
        user = _user(s, username)
        n = s.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)) or 0
        s.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        return n


def authenticate(db_url: str, username: str, password: str) -> UserInfo | None:
    """The user when the password is right and the account active; None otherwise (whichever it was)."""
    try:
        name = normalise_username(username)
    except UserError:
        name = ""
    with db.session_scope(db_url) as s:
        user = s.scalar(select(User).where(User.username == name)) if name else None
        if user is None:
            verify_password(password, _dummy_hash())
            return None
        if not verify_password(password, user.password_hash) or not user.active:
            return None
        return _info(user)


def user_for_token(db_url: str, token: str) -> UserInfo | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    with db.session_scope(db_url) as s:
        user = s.scalar(select(User).join(ApiToken, ApiToken.user_id == User.id)
                        .where(ApiToken.token_hash == token_hash(token)))
        return _info(user) if user is not None and user.active else None


def admin_password_file(settings: Settings) -> Path:
    return settings.data / ADMIN_PASSWORD_FILE


def bootstrap_admin(settings: Settings) -> str | None:
    """On a first start with no users, an `admin` so that someone can log in: with the password of
    SOHOA_WEB_ADMIN_PASSWORD, or a random one written to a file only this system user can read.
    Returns what to tell the person starting the program, or None when there is nothing to say."""
    path = admin_password_file(settings)
    with db.session_scope(settings.db_url) as s:
        has_users = s.scalar(select(func.count()).select_from(User)) or 0
    if has_users:
        return (f"web login: user {ADMIN}, password in {path} (`sohoa users passwd {ADMIN}` sets another and "
                "removes the file)") if path.exists() else None
    password = settings.web_admin_password or secrets.token_urlsafe(12)
    try:
        add_user(settings.db_url, ADMIN, "admin", password)
    except UserError:
        return None  # another process of this installation made it a moment ago
    if settings.web_admin_password:
        return f"web login created: user {ADMIN} with the password of SOHOA_WEB_ADMIN_PASSWORD"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(password + "\n")
    os.chmod(path, 0o600)  # O_CREAT's mode does not apply to a file that was already there
    return f"web login created: user {ADMIN}, password in {path} (readable by this system user only)"
