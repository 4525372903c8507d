"""What a file's place in `inbox/<unit>/<role>/` says about it, and the unit list intake checks
units against (adding new ones on first sight with SOHOA_AUTO_UNITS=1)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import inspect, select

from pipeline.catalogue import ROLE_FOLDERS
from pipeline.config import Settings
from pipeline.keep import db
from pipeline.vn.text import fold, nfc

log = logging.getLogger(__name__)

PLACE_PROBLEMS = {
    "unknown_unit": "the file is not inside inbox/<unit code>/<role>/",
    "unknown_role": "the role folder is not thanh-phan, ket-qua-xu-ly or ket-qua",
    "unregistered_unit": "the unit folder is not a unit of the unit list (sohoa units import)",
    "symlink": "a symbolic link, not a file: never followed (it may point out of the inbox)",
}


_FOLDER_SEP = re.compile(r"[\s_-]+")


class InboxPlace(NamedTuple):
    """What a file's place in `inbox/<unit>/<role>/[tags/]name` says about it."""

    unit: str | None
    role: str | None
    tag: str | None
    problem: str | None  # error code when the place is wrong


def role_of_folder(name: str) -> str | None:
    """The role a folder name stands for: `thanh-phan`, and as clerks also name it, `Thành phần`,
    `THANH_PHAN` or `Thành phần` decomposed (NFD, as a Mac writes it to a share)."""
    return ROLE_FOLDERS.get(_FOLDER_SEP.sub("-", fold(nfc(name)).strip()))


def place_of(path: Path, inbox: Path, units: set[str] | None = None) -> InboxPlace:
    """Unit, role and tag from the folders; `units` (when a unit list exists) restricts the unit."""
    from pipeline.vn.codes import parse_unit_code

    parts = path.relative_to(inbox).parts
    if len(parts) < 3:
        return InboxPlace(None, None, None, "unknown_unit" if len(parts) < 2 else "unknown_role")
    unit = parse_unit_code(parts[0])
    role = role_of_folder(parts[1])
    tag = "/".join(parts[2:-1]) or None
    if unit is None:
        return InboxPlace(None, role, tag, "unknown_unit")
    if units is not None and unit not in units:
        return InboxPlace(unit, role, tag, "unregistered_unit")
    if role is None:
        return InboxPlace(unit, None, tag, "unknown_role")
    return InboxPlace(unit, role, tag, None)


def _unit_table(settings: Settings):  # type: ignore[no-untyped-def]
    from sqlalchemy import MetaData, Table

    eng = db.engine_for(settings.db_url)
    if not inspect(eng).has_table("unit"):
        return None
    table = Table("unit", MetaData(), autoload_with=eng)
    code = table.c.get("code")
    if code is None:
        pk = list(table.primary_key.columns)
        code = pk[0] if len(pk) == 1 else None
    return (table, code) if code is not None else None


def known_units(settings: Settings) -> set[str] | None:
    """The unit codes of the unit list, or None when no list was imported: then any well-formed
    unit code is accepted."""
    found = _unit_table(settings)
    if found is None:
        return None
    _table, code = found
    with db.session_scope(settings.db_url) as s:
        codes = {str(c) for c in s.scalars(select(code))}
    return codes or None


def register_unit(settings: Settings, unit: str) -> None:
    """Add a unit met in the inbox to the unit list (SOHOA_AUTO_UNITS=1)."""
    found = _unit_table(settings)
    if found is None:
        return
    table, code = found
    values: dict[str, object] = {code.name: unit}
    for col in table.columns:  # fill what the list requires and a unit first seen cannot know
        if col.name in values or col.nullable or col.default is not None or col.server_default is not None:
            continue
        if col.primary_key and col.autoincrement is not False and col.type.python_type is int:
            continue
        values[col.name] = unit if col.type.python_type is str else None
    with db.session_scope(settings.db_url) as s:
        if s.scalar(select(code).where(code == unit)) is None:
            s.execute(table.insert().values(**values))
    log.info("unit %s added to the unit list on first sight (SOHOA_AUTO_UNITS=1)", unit)


def place_for(path: Path, settings: Settings) -> InboxPlace:
    units = known_units(settings)
    place = place_of(path, settings.inbox, units)
    if place.problem == "unregistered_unit" and settings.auto_units and place.unit:
        register_unit(settings, place.unit)
        place = place_of(path, settings.inbox, None)
    return place
