"""Which dossier a file belongs to (sidecar, file name) and reuse: a component already digitised is
linked to its first copy instead of being stored again.

Sidecar: a clerk (or a scanning station) may put `<file>.json` next to the file, before the file
itself, e.g. `{"ma_ho_so": "H50.12-251103-0142", "ma_thu_tuc": "1.001193"}`. Intake keeps its content
in the spool's description of the claimed file (key `dossier`), so the sidecar of a claimed file is
found either next to the file (`sohoa process`) or in that description (the watched inbox).

Reuse (DOMAIN.md): a file with the content of a document already stored, dropped for another
dossier, and a new scan of a paper already digitised (same type, document number and personal
identifier) are linked to the first copy (`dossier_link`). Whether a link counts as *reuse* is decided
when the metrics are computed: the copy must belong to another dossier.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pipeline.identity import MAX_NAME_BYTES, doc_id_for
from pipeline.keep import db
from pipeline.keep.models import Document, DossierLink, ReuseKey
from pipeline.vn.codes import parse_dossier_code, parse_procedure_code
from schemas.document import DocumentRecord

log = logging.getLogger(__name__)

SPOOL_KEY = "dossier"  # where intake keeps the clerk's sidecar in the spool description
SIDECAR_CONFIDENCE = 0.95


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def remove_sidecar(path: Path) -> None:
    """The clerk's `<file>.json` is consumed; a name with no room for one has none to remove."""
    try:
        sidecar_path(path).unlink(missing_ok=True)
    except OSError as e:
        if len(sidecar_path(path).name.encode()) <= MAX_NAME_BYTES:
            raise
        log.debug("%s: no sidecar possible (%s)", path, e)


def read_sidecar(path: Path) -> dict[str, str] | None:
    """The clerk's `<file>.json` next to `path`, validated; None when there is none. A sidecar that
    cannot be read is logged and ignored: the file is still digitised, only unlinked."""
    sc = sidecar_path(path)
    try:
        if not sc.is_file():
            return None
    except OSError:  # a 255-byte name leaves no room for ".json": such a file cannot have a sidecar
        return None
    try:
        data = json.loads(sc.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        log.warning("%s: unreadable sidecar, ignored (%s)", sc, e)
        return None
    return _validated(data, str(sc))


def _validated(data: Any, where: str) -> dict[str, str] | None:
    if not isinstance(data, dict):
        log.warning("%s: a sidecar must be a JSON object, ignored", where)
        return None
    out: dict[str, str] = {}
    for key, parse in (("ma_ho_so", parse_dossier_code), ("ma_thu_tuc", parse_procedure_code)):
        raw = data.get(key)
        if raw in (None, ""):
            continue
        value = parse(str(raw))
        if value is None:
            log.warning("%s: %s %r is not valid, ignored", where, key, raw)
        else:
            out[key] = value
    return out or None


def hint_for(path: Path) -> dict[str, str]:
    """Sidecar values for a file: the clerk's own next to it, or the copy intake kept in the spool."""
    found = read_sidecar(path)
    if found is not None:
        return found
    if path.suffix == ".data":  # a claimed file: its description sits beside it as <id>.json
        try:
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        kept = meta.get(SPOOL_KEY) if isinstance(meta, dict) else None
        return (_validated(kept, str(path.with_suffix(".json"))) or {}) if kept else {}
    return {}


def apply_sidecar(path: Path, metadata: dict[str, str], confidence: dict[str, float]) -> None:
    """Fill dossier and procedure codes the text did not give from the sidecar."""
    for key, value in hint_for(path).items():
        if key not in metadata:
            metadata[key] = value
            confidence[key] = SIDECAR_CONFIDENCE


def dossier_of_file(path: Path, name: str) -> str | None:
    """The dossier a file was dropped for, from what is outside its content: sidecar, then file name."""

    return hint_for(path).get("ma_ho_so") or dossier_from_name(name)


# --- links --------------------------------------------------------------------------------------------
def link(session: Session, ma_ho_so: str, document_id: str, *, role: str | None, via: str, source: str) -> bool:
    """Link a dossier to a stored copy of one of its components. Idempotent."""
    if session.get(DossierLink, (ma_ho_so, document_id)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                DossierLink(ma_ho_so=ma_ho_so, document_id=document_id, role=role, via=via, source=source[:1024])
            )
    except IntegrityError:
        return False  # linked by another worker a moment ago
    return True


def link_same_content(db_url: str, sha256: str, path: Path, name: str, role: str | None) -> str | None:
    """A file with the content of a stored (or still processing) document: when it was dropped for
    another dossier than that document's, link that dossier to the copy. Returns the dossier linked."""
    dossier = dossier_of_file(path, name)
    if dossier is None:
        return None
    doc_id = doc_id_for(sha256)
    with db.session_scope(db_url) as s:
        doc = s.get(Document, doc_id)
        if doc is not None and doc.ma_ho_so == dossier:
            return None  # the same dossier's own component, dropped twice: a plain duplicate
        link(s, dossier, doc_id, role=role, via="sha256", source=name)
    log.info("%s: dossier %s linked to the stored copy %s", name, dossier, doc_id)
    return dossier


def reuse_key(doc_type: str, metadata: dict[str, str]) -> str | None:
    """Type, number and personal identifier: the same paper, scanned again. Never guessed: a document
    without both a number and an identifier has no key."""
    so, ident = metadata.get("so_ky_hieu"), metadata.get("so_dinh_danh")
    if not so or not ident:
        return None
    return f"{doc_type}|{so}|{ident}"[:255]


def remember(session: Session, record: DocumentRecord) -> None:
    """Record a stored document's reuse key; the first copy keeps it."""
    key = reuse_key(record.doc_type, record.metadata)
    if key is None or session.get(ReuseKey, key) is not None:
        return
    try:
        with session.begin_nested():
            session.add(ReuseKey(key=key, document_id=record.doc_id))
    except IntegrityError:
        pass  # another worker stored the same paper a moment ago; theirs is the first copy


def reuse_of(db_url: str, record: DocumentRecord) -> DocumentRecord | None:
    """When `record` is a new scan of a paper already digitised for another dossier: link its dossier
    to that copy and return the copy's record (marked `duplicate_of`), so it is not stored again."""
    from pipeline.keep.record import record_of

    key = reuse_key(record.doc_type, record.metadata)
    dossier = record.metadata.get("ma_ho_so")
    if key is None or dossier is None:
        return None
    with db.session_scope(db_url) as s:
        rk = s.get(ReuseKey, key)
        doc = s.get(Document, rk.document_id) if rk is not None else None
        if doc is None or doc.ma_ho_so is None or doc.ma_ho_so == dossier:
            return None  # first of its kind, or a rescan within the same dossier: stored as its own
        link(s, dossier, doc.id, role=record.role, via="so_ky_hieu", source=record.source)
        earlier = record_of(doc)
    log.info("%s: same %s as document %s of dossier %s; linked to it", record.source, key, doc.id, doc.ma_ho_so)
    return earlier.model_copy(update={"duplicate_of": earlier.doc_id})



# --- the clerk's file name ------------------------------------------------------------------------
# `<ma_ho_so>.<n>.<ext>`: the clerk's own naming links a file to its dossier.
DOSSIER_FILE_NAME = re.compile(r"^(?P<code>.+?)\.\d{1,3}$")


def dossier_from_name(name: str) -> str | None:
    stem = Path(name).stem
    m = DOSSIER_FILE_NAME.match(stem)
    return parse_dossier_code(m.group("code") if m else stem)
