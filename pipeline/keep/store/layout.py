"""Where a document's objects go: `<unit>/<yyyy>/<ma_ho_so or no-dossier>/<doc_id>/` (DESIGN.md)."""

from __future__ import annotations

import re
import unicodedata

from pipeline.keep.store.base import StoreError, validate_key


def object_prefix(unit: str | None, year: int, ma_ho_so: str | None, doc_id: str) -> str:
    """`<unit>/<yyyy>/<ma_ho_so or 'no-dossier'>/<doc_id>/`, see DESIGN.md's storage layout.

    `unit` and `ma_ho_so` are data (a folder a clerk named, a code read by OCR), so they are made
    safe rather than refused: a stray `/` in an OCR'd code must not fail the whole document. The
    record keeps the exact value; the key only needs to be stable and valid. `doc_id` is ours and
    must already be a valid segment.
    """
    if not 1 <= year <= 9999:
        raise StoreError(str(doc_id), f"year {year} is not a four-digit year")
    doc = unicodedata.normalize("NFC", doc_id or "")
    if not doc or "/" in doc or doc.startswith("."):
        raise StoreError(str(doc_id), f"doc_id {doc_id!r} cannot be a key segment")
    segments = [_safe_segment(unit, "unknown"), f"{year:04d}", _safe_segment(ma_ho_so, "no-dossier"), doc]
    prefix = "/".join(segments) + "/"
    validate_key(prefix + "x")
    return prefix


_UNSAFE_SEGMENT_RE = re.compile(r"[/\\\x00-\x1f\x7f]+")
MAX_SEGMENT_CHARS = 128


def _safe_segment(value: str | None, default: str) -> str:
    # Codes typed or scanned on different systems arrive in either Unicode form; the key must not.
    text = unicodedata.normalize("NFC", value or "").strip()
    text = _UNSAFE_SEGMENT_RE.sub("-", text).lstrip(".").strip()[:MAX_SEGMENT_CHARS]
    return text or default
