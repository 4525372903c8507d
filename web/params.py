"""Query parameters shared by pages and the API, bounded where the database or the calendar ends: an offset
past SQLite's 64-bit INTEGER or a day whose next day does not exist is a 422 the asker can read, not a 500."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from annotated_types import Interval
from fastapi import Path, Query

MAX_OFFSET = 10_000_000  # far past any list a person pages through, far below 2**63
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Day = Annotated[date, Interval(ge=FIRST_DAY, le=LAST_DAY)]

# A database row's id in a path: SQLite and PostgreSQL BIGINT end at 2**63 - 1.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
# A page number in a path: no document has more pages than a file may have (limits are far lower).
PageNo = Annotated[int, Path(ge=1, le=100_000)]
