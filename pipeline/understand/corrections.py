"""What reviewers corrected, as data the extractor learns from.

Every value a person sets in review (`sohoa review fix --set key=value`, the web review form) is a
row of the `correction` table. Issuing bodies, signers, their positions and place names recur from
one document to the next (the same commune signs hundreds of papers), so the values people typed
form a lexicon against which the extractor restores the same names when OCR damages them
(pipeline/vn/lexicon.py). A value a person later removed or replaced stays in: it was a real
spelling of something once.
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from pipeline.keep import db
from pipeline.keep.models import Correction
from pipeline.vn.lexicon import EMPTY, Lexicon
from pipeline.vn.text import nfc

# metadata key → Lexicon field
_FIELDS = {"co_quan_ban_hanh": "bodies", "nguoi_ky": "signers", "chuc_vu_nguoi_ky": "positions", "dia_danh": "places"}

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], Lexicon]] = {}


def read_lexicon(db_url: str) -> Lexicon:
    """The lexicon of corrected values, read from the database."""
    found: dict[str, dict[str, None]] = {name: {} for name in _FIELDS.values()}
    with db.session_scope(db_url) as s:
        rows = s.execute(
            select(Correction.field, Correction.new_value)
            .where(Correction.field.in_(list(_FIELDS)), Correction.new_value.is_not(None))
            .order_by(Correction.id)
        ).all()
    for key, value in rows:
        value = nfc(" ".join((value or "").split()))
        if value:
            found[_FIELDS[key]][value] = None
    return Lexicon(**{name: tuple(values) for name, values in found.items()})


def learned_lexicon(db_url: str) -> Lexicon:
    """`read_lexicon`, re-read only when the correction table has changed (one cheap query a
    document instead of reading every correction again)."""
    try:
        with db.session_scope(db_url) as s:
            stamp = s.execute(select(func.count(Correction.id), func.max(Correction.id))).one()
    except (OperationalError, ProgrammingError):  # no table yet (never migrated): nothing learned
        return EMPTY
    key = (int(stamp[0] or 0), int(stamp[1] or 0))
    with _lock:
        hit = _cache.get(db_url)
        if hit is not None and hit[0] == key:
            return hit[1]
    lexicon = read_lexicon(db_url) if key[0] else EMPTY
    with _lock:
        _cache[db_url] = (key, lexicon)
    return lexicon
