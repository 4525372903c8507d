"""The object store's contract (`ObjectStore`) and the checks both backends share: keys, user
metadata within S3's limits, hashing as the bytes stream."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import quote, unquote

CHUNK = 1024 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"

# S3's limits, applied to both backends so the local store cannot accept what MinIO would refuse.
MAX_KEY_BYTES = 1024
MAX_METADATA_BYTES = 2048
SHA256_META = "sha256"
_META_KEY_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")

# Printable ASCII except '%' (the escape) and space (HTTP trims it at the ends of header values).
_META_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) != "%")


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)


class StoreError(Exception):
    """A store operation failed. `transient` errors (network, server, full disk) are worth retrying."""

    def __init__(self, key: str, reason: str, *, transient: bool = False) -> None:
        super().__init__(f"{key or '<store>'}: {reason}")
        self.key = key
        self.reason = reason
        self.transient = transient

    def __reduce__(self) -> tuple[object, ...]:
        # Celery pickles exceptions across processes in some result backends; keep the fields.
        return (_rebuild_store_error, (self.key, self.reason, self.transient))


def _rebuild_store_error(key: str, reason: str, transient: bool) -> StoreError:
    return StoreError(key, reason, transient=transient)


@runtime_checkable
class ObjectStore(Protocol):
    def put_file(
        self,
        key: str,
        path: Path,
        *,
        content_type: str = DEFAULT_CONTENT_TYPE,
        metadata: Mapping[str, str] | None = None,
    ) -> StoredObject: ...

    def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = DEFAULT_CONTENT_TYPE,
        metadata: Mapping[str, str] | None = None,
    ) -> StoredObject: ...

    def get_bytes(self, key: str) -> bytes: ...

    def stat(self, key: str) -> StoredObject | None: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def list(self, prefix: str = "") -> Iterator[str]: ...

    def update_metadata(self, key: str, metadata: Mapping[str, str]) -> StoredObject: ...


def validate_key(key: str) -> str:
    if not isinstance(key, str) or not key:
        raise StoreError(str(key), "empty key")
    if key.startswith("/"):
        raise StoreError(key, "absolute keys are not allowed")
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise StoreError(key, f"key longer than {MAX_KEY_BYTES} bytes")
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in key):
        raise StoreError(key, "control characters and backslashes are not allowed in keys")
    if unicodedata.normalize("NFC", key) != key:
        raise StoreError(key, "key is not in Unicode NFC form")
    for segment in key.split("/"):
        if not segment:
            raise StoreError(key, "empty path segment (leading, trailing or double '/')")
        if segment.startswith("."):
            raise StoreError(key, f"segment {segment!r} starts with '.' (reserved, and no '..')")
    return key


def validate_prefix(prefix: str) -> None:
    if prefix and (prefix.startswith("/") or "\\" in prefix or "\x00" in prefix):
        raise StoreError(prefix, "invalid list prefix")
    if any(s.startswith(".") for s in prefix.split("/")[:-1]):
        raise StoreError(prefix, "list prefix has a segment starting with '.'")


def encode_meta_value(value: str) -> str:
    return quote(value, safe=_META_SAFE)


def decode_meta_value(value: str) -> str:
    return unquote(value)


def clean_metadata(key: str, metadata: Mapping[str, str] | None) -> dict[str, str]:
    """Validated user metadata with lower-case names (S3 returns header names lower-cased anyway)."""
    clean: dict[str, str] = {}
    for name, value in (metadata or {}).items():
        lname = str(name).lower()
        if not _META_KEY_RE.fullmatch(lname):
            raise StoreError(key, f"metadata name {name!r} must match [a-z0-9][a-z0-9_-]*")
        if lname == SHA256_META:
            raise StoreError(key, "metadata name 'sha256' is reserved for the store's checksum")
        if not isinstance(value, str):
            raise StoreError(key, f"metadata value of {name!r} must be str, not {type(value).__name__}")
        clean[lname] = value
    check_metadata_size(key, clean)
    return clean


def check_metadata_size(key: str, metadata: Mapping[str, str]) -> None:
    size = len(SHA256_META) + 64
    size += sum(len(k) + len(encode_meta_value(v)) for k, v in metadata.items())
    if size > MAX_METADATA_BYTES:
        raise StoreError(key, f"metadata is {size} bytes once encoded, over S3's {MAX_METADATA_BYTES}")


def file_chunks(path: Path, key: str) -> Iterator[bytes]:
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the generator below
    except OSError as exc:
        raise StoreError(key, f"cannot read source file {path}: {exc.strerror or exc}") from exc
    with f:
        while chunk := f.read(CHUNK):
            yield chunk


def hash_file(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()
