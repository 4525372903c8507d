"""Object store: MinIO/S3 and a local directory behind one interface.

Both backends keep the same contract so the embedded default and the distributed form run the
same code paths:

- every put hashes the bytes as they stream, then checks the *stored* object against that hash
  and raises `StoreError` on a mismatch; a corrupt upload does not stay under its key;
- putting the same key with the same content again is harmless (tasks are retried);
- user metadata is `str -> str`, keys `[a-z0-9][a-z0-9_-]*`, values any Unicode text; limits are
  those of S3 (2 KB in all, counted after encoding) so that what works locally works on MinIO.

Keys are `/`-separated and checked on the way in: no empty segments, no segment starting with `.`
(which also keeps `..`, temp files and the local store's `.meta/` sidecars out of the key space),
NFC only (an NFD key would be a second, invisible twin of the NFC one).

`base.py` holds the contract and the checks both backends share, `local.py` and `s3.py` the
backends, `layout.py` where a document's objects go.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.keep.store.base import ObjectStore, StoredObject, StoreError
from pipeline.keep.store.layout import object_prefix
from pipeline.keep.store.local import LocalStore
from pipeline.keep.store.s3 import S3Store

if TYPE_CHECKING:
    from pipeline.config import Settings


def open_store(settings: Settings) -> ObjectStore:
    """S3Store when an endpoint is configured, else the local store under the data directory."""
    if settings.s3_endpoint:
        return S3Store(
            settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            bucket=settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
    return LocalStore(settings.objects)


__all__ = ["LocalStore", "ObjectStore", "S3Store", "StoreError", "StoredObject", "object_prefix", "open_store"]
