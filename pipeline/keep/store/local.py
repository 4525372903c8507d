"""The local-directory store of the embedded default: atomic writes, a metadata sidecar per object,
the stored bytes checked against their hash."""

from __future__ import annotations

import builtins
import errno
import hashlib
import json
import os
import stat as stat_mod
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pipeline.keep.store.base import (
    CHUNK,
    DEFAULT_CONTENT_TYPE,
    StoredObject,
    StoreError,
    check_metadata_size,
    clean_metadata,
    file_chunks,
    hash_file,
    validate_key,
    validate_prefix,
)

# Errors of a disk or network share that may well go away on their own (space freed, share back).
_TRANSIENT_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EAGAIN,
        errno.EBUSY,
        errno.EINTR,
        errno.EIO,
        errno.ETIMEDOUT,
        errno.ESTALE,
        errno.ENETDOWN,
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.ECONNRESET,
    }
)


@contextmanager
def os_errors(key: str, action: str) -> Iterator[None]:
    try:
        yield
    except StoreError:
        raise
    except OSError as exc:
        reason = f"{action}: {exc.strerror or exc}"
        raise StoreError(key, reason, transient=exc.errno in _TRANSIENT_ERRNOS) from exc


class LocalStore:
    """Objects as files under `root/<key>`, their metadata in `root/.meta/<key>.json`.

    A sidecar records the inode, size and mtime of the object it describes: a crash between the
    object's rename and the sidecar's write leaves a sidecar that no longer matches, and `stat`
    then re-hashes the object instead of trusting a stale checksum.
    S3 allows both `a` and `a/b` as keys; a directory cannot, so such a pair fails here.
    """

    META_DIR = ".meta"

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()
        with os_errors("", f"cannot create store directory {self.root}"):
            self.root.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def _meta_path(self, key: str) -> Path:
        return self.root / self.META_DIR / f"{key}.json"

    # writes

    def put_file(
        self,
        key: str,
        path: Path,
        *,
        content_type: str = DEFAULT_CONTENT_TYPE,
        metadata: Mapping[str, str] | None = None,
    ) -> StoredObject:
        validate_key(key)
        return self._put(key, file_chunks(Path(path), key), content_type, metadata)

    def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = DEFAULT_CONTENT_TYPE,
        metadata: Mapping[str, str] | None = None,
    ) -> StoredObject:
        validate_key(key)
        view = memoryview(data)
        chunks = (bytes(view[i : i + CHUNK]) for i in range(0, len(data), CHUNK))
        return self._put(key, chunks, content_type, metadata)

    def _put(
        self,
        key: str,
        chunks: Iterable[bytes],
        content_type: str,
        metadata: Mapping[str, str] | None,
    ) -> StoredObject:
        meta = clean_metadata(key, metadata)
        final = self._path(key)
        h = hashlib.sha256()
        size = 0

        def write(f: BinaryIO) -> None:
            nonlocal size
            for chunk in chunks:
                f.write(chunk)
                h.update(chunk)
                size += len(chunk)

        def verify(tmp: Path) -> None:
            # Re-read what landed on disk: catches short writes and our own bugs before the rename
            # makes the object visible under its key.
            got_size, got_sha = hash_file(tmp)
            if (got_size, got_sha) != (size, h.hexdigest()):
                raise StoreError(
                    key,
                    f"verification failed: wrote {size} bytes sha256 {h.hexdigest()}, "
                    f"file holds {got_size} bytes sha256 {got_sha}",
                    transient=True,
                )

        st = self._atomic_write(key, final, write, verify)
        obj = StoredObject(key, size, h.hexdigest(), content_type or DEFAULT_CONTENT_TYPE, meta)
        self._write_sidecar(obj, st)
        return obj

    def _atomic_write(
        self,
        key: str,
        final: Path,
        write: Callable[[BinaryIO], None],
        verify: Callable[[Path], None] | None = None,
    ) -> os.stat_result:
        with os_errors(key, f"cannot write {final}"):
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as f:
                    write(f)
                    f.flush()
                    # Records carry personal data: readable by the service's group, not by all.
                    os.fchmod(f.fileno(), 0o640)
                    os.fsync(f.fileno())
                if verify is not None:
                    verify(tmp)
                st = os.stat(tmp)
                os.replace(tmp, final)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            _fsync_dir(final.parent)
            return st

    def _write_sidecar(self, obj: StoredObject, st: os.stat_result) -> None:
        doc = {
            "key": obj.key,
            "size": obj.size,
            "sha256": obj.sha256,
            "content_type": obj.content_type,
            "metadata": obj.metadata,
            "ino": st.st_ino,
            "mtime_ns": st.st_mtime_ns,
        }
        payload = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")

        def write(f: BinaryIO) -> None:
            f.write(payload)

        self._atomic_write(obj.key, self._meta_path(obj.key), write)

    def _read_sidecar(self, key: str) -> dict[str, object] | None:
        try:
            doc = json.loads(self._meta_path(key).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # A damaged sidecar is only a cache of facts the object itself can give again.
            return None
        return doc if isinstance(doc, dict) else None

    @staticmethod
    def _fresh(doc: Mapping[str, object] | None, st: os.stat_result) -> bool:
        return (
            doc is not None
            and doc.get("ino") == st.st_ino
            and doc.get("size") == st.st_size
            and doc.get("mtime_ns") == st.st_mtime_ns
        )

    @staticmethod
    def _object_from(key: str, doc: Mapping[str, object] | None, size: int, sha256: str) -> StoredObject:
        meta = doc.get("metadata") if doc else None
        ctype = doc.get("content_type") if doc else None
        return StoredObject(
            key,
            size,
            sha256,
            ctype if isinstance(ctype, str) else DEFAULT_CONTENT_TYPE,
            {str(k): str(v) for k, v in meta.items()} if isinstance(meta, dict) else {},
        )

    # reads

    def stat(self, key: str) -> StoredObject | None:
        path = self._path(key)
        with os_errors(key, "cannot stat"):
            try:
                st = path.stat()
            except FileNotFoundError:
                return None
            if not stat_mod.S_ISREG(st.st_mode):
                return None
            doc = self._read_sidecar(key)
            if self._fresh(doc, st) and doc is not None:
                return self._object_from(key, doc, st.st_size, str(doc.get("sha256", "")))
            size, sha = hash_file(path)
            return self._object_from(key, doc, size, sha)

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def get_bytes(self, key: str) -> bytes:
        path = self._path(key)
        with os_errors(key, "cannot read"):
            try:
                f = open(path, "rb")  # noqa: SIM115 - closed just below
            except (FileNotFoundError, IsADirectoryError):
                raise StoreError(key, "no such object") from None
            with f:
                st = os.fstat(f.fileno())
                data = f.read()
        doc = self._read_sidecar(key)
        if self._fresh(doc, st) and doc is not None:
            expected = doc.get("sha256")
            actual = hashlib.sha256(data).hexdigest()
            if expected != actual:
                raise StoreError(key, f"stored object is corrupt: sha256 {actual}, recorded {expected}")
        return data

    def list(self, prefix: str = "") -> Iterator[str]:
        validate_prefix(prefix)
        base = self.root / prefix.rpartition("/")[0] if "/" in prefix else self.root
        keys: builtins.list[str] = []
        for dirpath, dirnames, filenames in os.walk(base):
            # Hidden entries are never keys: `.meta/` sidecars and in-flight temp files.
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = Path(dirpath).relative_to(self.root).as_posix()
            for name in filenames:
                if name.startswith("."):
                    continue
                key = name if rel == "." else f"{rel}/{name}"
                if key.startswith(prefix):
                    keys.append(key)
        # Same order as S3's ListObjects (byte order of the UTF-8 key), not a tree walk's.
        yield from sorted(keys, key=lambda k: k.encode("utf-8"))

    # changes

    def delete(self, key: str) -> None:
        path = self._path(key)
        with os_errors(key, "cannot delete"):
            path.unlink(missing_ok=True)
            self._meta_path(key).unlink(missing_ok=True)

    def update_metadata(self, key: str, metadata: Mapping[str, str]) -> StoredObject:
        current = self.stat(key)
        if current is None:
            raise StoreError(key, "no such object")
        merged = {**current.metadata, **clean_metadata(key, metadata)}
        check_metadata_size(key, merged)
        with os_errors(key, "cannot stat"):
            st = self._path(key).stat()
        obj = StoredObject(key, current.size, current.sha256, current.content_type, merged)
        self._write_sidecar(obj, st)
        return obj


def _fsync_dir(path: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
