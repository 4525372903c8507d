"""Engine, sessions and schema migration (Alembic) for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from pipeline.keep import metric_state, search

MIGRATIONS = Path(__file__).parent / "migrations"


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
        # Several worker processes write at once: WAL lets readers go on, and the busy timeout
        # makes writers wait their turn instead of failing with "database is locked".
        eng = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return eng
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str) -> None:
    """Bring the database to the newest schema; safe to call from every process at start-up."""
    with engine_for(url).begin() as conn:
        if conn.dialect.name == "postgresql":
            # Every container migrates at start-up; one at a time, the others then find nothing to do.
            conn.execute(text("SELECT pg_advisory_xact_lock(7400417)"))
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")  # independent branches (one per feature) may coexist


@lru_cache(maxsize=8)
def _sessionmaker(url: str) -> sessionmaker[Session]:
    maker = sessionmaker(engine_for(url), expire_on_commit=False)
    # Whatever writes a document, a link or a page also brings the report's per-dossier and
    # per-document figures up to date, in the same transaction.
    event.listen(maker, "after_flush", metric_state.after_flush)
    # ... and keeps the search index in step with every document written, changed or deleted.
    event.listen(maker, "after_flush", search.after_flush)
    return maker


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session committed on success and rolled back on error."""
    session = _sessionmaker(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
