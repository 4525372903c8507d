"""One way to show a time (pipeline/clock.py): the CLI showed 13:01 (UTC) and the web 20:01 (ICT) for the
same document, neither with a zone (issue 14)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from pipeline.clock import local_midnight, show_time, stored_utc


def test_a_stored_time_is_shown_in_ict_with_its_zone() -> None:
    naive = datetime(2026, 11, 3, 13, 1)  # as SQLite hands it back: UTC without a zone
    assert show_time(naive) == "2026-11-03 20:01 ICT"
    assert show_time(naive.replace(tzinfo=UTC)) == "2026-11-03 20:01 ICT"
    assert show_time("2026-11-03T13:01:30+00:00", seconds=True) == "2026-11-03 20:01:30 ICT"
    assert show_time(datetime(2026, 11, 3, 22, 1, tzinfo=timezone(timedelta(hours=9)))) == "2026-11-03 20:01 ICT"
    assert show_time(None) == "—"
    assert stored_utc(naive).tzinfo is UTC


def test_local_days_start_at_midnight_in_vietnam() -> None:
    assert local_midnight(date(2026, 7, 1)) == datetime(2026, 6, 30, 17, 0, tzinfo=UTC)
