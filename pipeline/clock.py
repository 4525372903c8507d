"""Times as people read them: Vietnam's clock (ICT, UTC+7 all year), always with its zone, and the
day boundaries of that clock. Stored times are UTC; SQLite hands them back naive."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

# Vietnam keeps one offset all year: day boundaries (as-of dates, period bounds) are local.
VN_TZ = timezone(timedelta(hours=7), "ICT")


def stored_utc(t: datetime) -> datetime:
    """A time read back from the database, aware: SQLite hands back naive datetimes, written in UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def local(t: datetime | str) -> datetime:
    """A stored time (a datetime or its ISO text) on the office wall's clock."""
    when = datetime.fromisoformat(t) if isinstance(t, str) else t
    return stored_utc(when).astimezone(VN_TZ)


def show_time(t: datetime | str | None, *, seconds: bool = False) -> str:
    """The one way a time is shown to a person, by the CLI and the web alike: `2026-11-03 20:01 ICT`."""
    if t is None:
        return "—"
    return local(t).strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")


def local_midnight(d: date) -> datetime:
    """Local midnight starting day `d`, in UTC (timestamps are stored in UTC)."""
    return datetime.combine(d, time.min, tzinfo=VN_TZ).astimezone(UTC)


def today_local() -> date:
    return datetime.now(VN_TZ).date()
