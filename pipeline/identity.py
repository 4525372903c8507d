"""A file's identity is its content: the sha256, and a document id derived from it."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

# ext4, XFS, NTFS and SMB shares all stop a file name there: names made beside a clerk's file (notes,
# sidecars, " (1)" copies) must fit it too.
MAX_NAME_BYTES = 255

# Content hash → document id, stable, so a retried stage writes the same keys and rows again.
DOC_NAMESPACE = uuid.UUID("6f1c3f5e-3c0b-4b8e-9a57-5b2d3f3c7a10")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def doc_id_for(sha256: str, part: int | None = None) -> str:
    """The id of a file's document, or of its `part`-th document when the file was split: derived from
    the file's hash either way, so a retried split writes the same keys and rows again."""
    return str(uuid.uuid5(DOC_NAMESPACE, sha256 if part is None else f"{sha256}#{part}"))
