"""`sohoa users`: who may log into the web app, with which role, and their API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pipeline.config import Settings, get_settings
from pipeline.keep import db

app = typer.Typer(help="Web users: add, list, disable, passwords and API tokens.", no_args_is_help=True)


def _settings() -> Settings:
    settings = get_settings()
    settings.ensure_dirs()
    db.migrate(settings.db_url)
    return settings


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


def _fail(e: Exception) -> typer.Exit:
    typer.echo(f"error: {e}", err=True)
    return typer.Exit(2)


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="user name (letters, digits, . _ @ -)")],
    role: Annotated[str, typer.Option(help="clerk, operator, analyst or admin")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
) -> None:
    """Add a user; the password is asked for (twice) unless given on stdin."""
    from pipeline.accounts.users import UserError, add_user, check_role, normalise_username

    try:
        normalise_username(name)
        check_role(role)
        info = add_user(_settings().db_url, name, role, _password(password_stdin))
    except UserError as e:
        raise _fail(e) from None
    typer.echo(f"user {info.username} added ({info.role})")


@app.command("list")
def list_() -> None:
    """Users, their roles, whether they may log in and how many API tokens they hold."""
    from pipeline.accounts.users import list_users

    for u in list_users(_settings().db_url):
        typer.echo(f"{u.username:24} {u.role:9} {'active' if u.active else 'DISABLED':9} tokens {u.tokens}")


@app.command()
def token(
    name: Annotated[str, typer.Argument(help="user name")],
    label: Annotated[str, typer.Option(help="what the token is for, e.g. prometheus")] = "",
    revoke: Annotated[bool, typer.Option("--revoke", help="remove every token of the user instead")] = False,
) -> None:
    """Print a new API token (`Authorization: Bearer <token>`); it is shown once and kept only as a hash."""
    from pipeline.accounts.users import UserError, new_token, revoke_tokens

    settings = _settings()
    try:
        if revoke:
            typer.echo(f"{revoke_tokens(settings.db_url, name)} token(s) of {name} revoked")
            return
        typer.echo(new_token(settings.db_url, name, label))
    except UserError as e:
        raise _fail(e) from None


@app.command()
def passwd(
    name: Annotated[str, typer.Argument(help="user name")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
) -> None:
    """Set a user's password (their open sessions end)."""
    from pipeline.accounts.users import ADMIN, UserError, admin_password_file, normalise_username, set_password

    settings = _settings()
    try:
        set_password(settings.db_url, name, _password(password_stdin))
        first = admin_password_file(settings)
        if normalise_username(name) == ADMIN and first.exists():
            first.unlink()  # the first start's random password is no longer the password
            typer.echo(f"removed {first}")
    except UserError as e:
        raise _fail(e) from None
    typer.echo(f"password of {name} set")


@app.command()
def role(
    name: Annotated[str, typer.Argument(help="user name")],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="clerk, operator, analyst or admin")],
) -> None:
    """Give a user another role."""
    from pipeline.accounts.users import UserError, set_role

    try:
        set_role(_settings().db_url, name, new_role)
    except UserError as e:
        raise _fail(e) from None
    typer.echo(f"{name} is now {new_role}")


def _set_active(name: str, active: bool) -> None:
    from pipeline.accounts.users import UserError, set_active

    try:
        set_active(_settings().db_url, name, active)
    except UserError as e:
        raise _fail(e) from None
    typer.echo(f"{name} {'enabled' if active else 'disabled'}")


@app.command()
def disable(name: Annotated[str, typer.Argument(help="user name")]) -> None:
    """Stop a user from logging in; their sessions and tokens stop working at once."""
    _set_active(name, False)


@app.command()
def enable(name: Annotated[str, typer.Argument(help="user name")]) -> None:
    """Let a disabled user log in again."""
    _set_active(name, True)
