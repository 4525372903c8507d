"""The access log: every view or export of personal data (`ho_ten`, `so_dinh_danh`, page images and the
PDF, lists and searches that show names), with who, when and what. Admins read it in the web app.

A view is logged before its data is sent; if the log cannot be written the view fails, so that nothing
personal leaves the app unrecorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from pipeline.keep import db
from pipeline.keep.models import AccessLog

# The keys of a document record that are personal data (DOMAIN.md), as the log names them.
PERSONAL_FIELDS = ("ho_ten", "so_dinh_danh")
ACTIONS = ("view_document", "view_page", "view_pdf", "list_documents", "search_documents", "correct_document",
           "export")


@dataclass(frozen=True)
class Viewer:
    username: str
    role: str
    via: str


def record(db_url: str, who: Viewer, action: str, *, target: str | None = None, fields: Sequence[str] = (),
           detail: dict[str, Any] | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown access-log action {action!r}")
    with db.session_scope(db_url) as s:
        s.add(AccessLog(username=who.username, role=who.role, via=who.via, action=action,
                        target=(target or "")[:255] or None, fields=list(fields), detail=detail or {}))


def entries(db_url: str, *, username: str | None = None, action: str | None = None, target: str | None = None,
            since: datetime | None = None, until: datetime | None = None, limit: int = 200,
            offset: int = 0) -> tuple[int, list[AccessLog]]:
    """(how many match, a page of them newest first)."""
    cond: list[Any] = []
    if username:
        cond.append(AccessLog.username == username)
    if action:
        cond.append(AccessLog.action == action)
    if target:
        cond.append(AccessLog.target == target)
    if since:
        cond.append(AccessLog.at >= since)
    if until:
        cond.append(AccessLog.at < until)
    with db.session_scope(db_url) as s:
        total = int(s.scalar(select(func.count()).select_from(AccessLog).where(*cond)) or 0)
        rows = list(s.scalars(select(AccessLog).where(*cond).order_by(AccessLog.at.desc(), AccessLog.id.desc())
                              .limit(limit).offset(offset)))
        s.expunge_all()
    return total, rows
