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
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import json
import math
import os
import re
import stat as stat_mod
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, runtime_checkable
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    from minio import Minio

    from pipeline.config import Settings

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


def _validate_prefix(prefix: str) -> None:
    if prefix and (prefix.startswith("/") or "\\" in prefix or "\x00" in prefix):
        raise StoreError(prefix, "invalid list prefix")
    if any(s.startswith(".") for s in prefix.split("/")[:-1]):
        raise StoreError(prefix, "list prefix has a segment starting with '.'")


def _encode_meta_value(value: str) -> str:
    return quote(value, safe=_META_SAFE)


def _decode_meta_value(value: str) -> str:
    return unquote(value)


def _clean_metadata(key: str, metadata: Mapping[str, str] | None) -> dict[str, str]:
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
    _check_metadata_size(key, clean)
    return clean


def _check_metadata_size(key: str, metadata: Mapping[str, str]) -> None:
    size = len(SHA256_META) + 64
    size += sum(len(k) + len(_encode_meta_value(v)) for k, v in metadata.items())
    if size > MAX_METADATA_BYTES:
        raise StoreError(key, f"metadata is {size} bytes once encoded, over S3's {MAX_METADATA_BYTES}")


def _file_chunks(path: Path, key: str) -> Iterator[bytes]:
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the generator below
    except OSError as exc:
        raise StoreError(key, f"cannot read source file {path}: {exc.strerror or exc}") from exc
    with f:
        while chunk := f.read(CHUNK):
            yield chunk


def _hash_file(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


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
def _os_errors(key: str, action: str) -> Iterator[None]:
    try:
        yield
    except StoreError:
        raise
    except OSError as exc:
        reason = f"{action}: {exc.strerror or exc}"
        raise StoreError(key, reason, transient=exc.errno in _TRANSIENT_ERRNOS) from exc


# --------------------------------------------------------------------------------------------------
# Local directory


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
        with _os_errors("", f"cannot create store directory {self.root}"):
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
        return self._put(key, _file_chunks(Path(path), key), content_type, metadata)

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
        meta = _clean_metadata(key, metadata)
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
            got_size, got_sha = _hash_file(tmp)
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
        with _os_errors(key, f"cannot write {final}"):
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
        with _os_errors(key, "cannot stat"):
            try:
                st = path.stat()
            except FileNotFoundError:
                return None
            if not stat_mod.S_ISREG(st.st_mode):
                return None
            doc = self._read_sidecar(key)
            if self._fresh(doc, st) and doc is not None:
                return self._object_from(key, doc, st.st_size, str(doc.get("sha256", "")))
            size, sha = _hash_file(path)
            return self._object_from(key, doc, size, sha)

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def get_bytes(self, key: str) -> bytes:
        path = self._path(key)
        with _os_errors(key, "cannot read"):
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
        _validate_prefix(prefix)
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
        with _os_errors(key, "cannot delete"):
            path.unlink(missing_ok=True)
            self._meta_path(key).unlink(missing_ok=True)

    def update_metadata(self, key: str, metadata: Mapping[str, str]) -> StoredObject:
        current = self.stat(key)
        if current is None:
            raise StoreError(key, "no such object")
        merged = {**current.metadata, **_clean_metadata(key, metadata)}
        _check_metadata_size(key, merged)
        with _os_errors(key, "cannot stat"):
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


# --------------------------------------------------------------------------------------------------
# S3 (MinIO)

MIN_PART_SIZE = 16 * 1024 * 1024
MAX_PARTS = 10_000
_TRANSIENT_S3_CODES = frozenset(
    {
        "InternalError",
        "ServiceUnavailable",
        "SlowDown",
        "RequestTimeout",
        "RequestTimeTooSkewed",
        "XMinioServerNotInitialized",
        "XMinioStorageFull",
        "PreconditionFailed",  # the object changed under a conditional copy: try again
    }
)
_MISSING_S3_CODES = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound", "NoSuchVersion"})


def part_size_for(size: int) -> int:
    """Part size for an object of `size` bytes: a whole number of MiB so digests line up with CHUNK."""
    mib = 1024 * 1024
    return max(MIN_PART_SIZE, math.ceil(size / MAX_PARTS / mib) * mib)


class _Digests:
    """sha256 of the whole stream, and the MD5s S3 builds its ETag from (whole, or per part)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.part_size = part_size_for(size)
        self.sha256 = hashlib.sha256()
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._part_md5s: builtins.list[bytes] = []
        self._part_fill = 0
        self.seen = 0

    def update(self, data: bytes) -> None:
        self.sha256.update(data)
        self.seen += len(data)
        view = memoryview(data)
        while view:
            room = self.part_size - self._part_fill
            piece, view = view[:room], view[room:]
            self._md5.update(piece)
            self._part_fill += len(piece)
            if self._part_fill == self.part_size:
                self._part_md5s.append(self._md5.digest())
                self._md5 = hashlib.md5(usedforsecurity=False)
                self._part_fill = 0

    def etag(self) -> str:
        parts = self._part_md5s + ([self._md5.digest()] if self._part_fill or not self._part_md5s else [])
        if self.size <= self.part_size:
            # One PUT: the ETag is the MD5 of the body.
            return parts[0].hex()
        # Multipart: MD5 of the concatenated part MD5s, dash, number of parts.
        return f"{hashlib.md5(b''.join(parts), usedforsecurity=False).hexdigest()}-{len(parts)}"


class _HashingReader(io.RawIOBase):
    """Hashes what the uploader actually reads, so a file changed during upload is noticed."""

    def __init__(self, raw: BinaryIO, digests: _Digests) -> None:
        self._raw = raw
        self.digests = digests

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.digests.update(data)
        return data


def _parse_endpoint(endpoint: str, secure: bool) -> tuple[str, bool]:
    """Accept `host:port` and `http(s)://host:port`; an explicit scheme wins over `secure`."""
    ep = endpoint.strip()
    if "://" not in ep:
        return ep.rstrip("/"), secure
    parts = urlsplit(ep)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"S3 endpoint {endpoint!r}: expected host:port or http(s)://host:port")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"S3 endpoint {endpoint!r}: a path is not supported, give the server's root")
    return parts.netloc, parts.scheme == "https"


class S3Store:
    """One bucket on an S3 server (MinIO in production).

    The client fails fast: a short connect timeout and at most one retry, because retrying with
    backoff is the Celery layer's job and a worker must not hang for minutes on a dead MinIO.
    The bucket is created (private, as S3 creates them) on first use, so constructing a store
    never touches the network. Open one per process (after Celery forks), not one shared across forks:
    the connection pool is not fork-safe. Objects written by other tools carry no `sha256` metadata;
    `stat` reports an empty `sha256` for them rather than downloading them to hash.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        access_key: str = "",
        secret_key: str = "",
        bucket: str = "sohoa",
        secure: bool = False,
        region: str = "us-east-1",
        connect_timeout: float = 3.0,
        read_timeout: float = 120.0,
    ) -> None:
        import certifi
        import urllib3
        from minio import Minio

        host, https = _parse_endpoint(endpoint, secure)
        self.endpoint = host
        self.bucket = bucket
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            maxsize=10,
            cert_reqs="CERT_REQUIRED",
            ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
            retries=urllib3.Retry(
                total=2,
                connect=1,
                read=0,
                status=1,
                other=0,
                backoff_factor=0.2,
                status_forcelist=(500, 502, 503, 504),
                # Hand the final 5xx to minio so the error names S3's code, not "too many retries".
                raise_on_status=False,
            ),
        )
        self._client: Minio = Minio(
            host,
            access_key=access_key or None,
            secret_key=secret_key or None,
            secure=https,
            region=region or None,
            http_client=http,
        )
        self._bucket_ready = False
        self._bucket_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"S3Store({self.endpoint!r}, bucket={self.bucket!r})"

    @contextmanager
    def _errors(self, key: str, action: str) -> Iterator[None]:
        import urllib3
        from minio.error import InvalidResponseError, S3Error, ServerError

        try:
            yield
        except StoreError:
            raise
        except S3Error as exc:
            status = getattr(exc.response, "status", 0) or 0
            transient = status >= 500 or exc.code in _TRANSIENT_S3_CODES
            reason = f"{action}: S3 {exc.code} (HTTP {status}): {exc.message}"
            raise StoreError(key, reason, transient=transient) from exc
        except ServerError as exc:
            reason = f"{action}: server error HTTP {exc.status_code} from {self.endpoint}"
            raise StoreError(key, reason, transient=True) from exc
        except InvalidResponseError as exc:
            status = int(getattr(exc, "_code", 0) or 0)
            reason = f"{action}: unexpected response from {self.endpoint}: {exc}"
            raise StoreError(key, reason, transient=status >= 500 or status == 0) from exc
        except urllib3.exceptions.HTTPError as exc:
            reason = f"{action}: cannot reach S3 at {self.endpoint}: {exc}"
            raise StoreError(key, reason, transient=True) from exc
        except OSError as exc:  # a source file that shrank mid-upload, a socket error urllib3 let by
            raise StoreError(key, f"{action}: {exc}", transient=True) from exc
        except ValueError as exc:  # minio's own argument checks (names, sizes)
            raise StoreError(key, f"{action}: {exc}") from exc

    def _ensure_bucket(self, key: str) -> None:
        if self._bucket_ready:
            return
        from minio.error import S3Error

        with self._bucket_lock, self._errors(key, f"cannot prepare bucket {self.bucket}"):
            if self._bucket_ready:
                return
            if not self._client.bucket_exists(self.bucket):
                try:
                    self._client.make_bucket(self.bucket)
                except S3Error as exc:
                    # Another worker created it between our check and our request.
                    if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise
            self._bucket_ready = True

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
        path = Path(path)
        with _os_errors(key, f"cannot read source file {path}"):
            size = path.stat().st_size
            # The checksum travels in the object's headers, so it must be known before the upload:
            # one pass to hash, a second to send (the page cache makes the second cheap).
            first = _Digests(size)
            for chunk in _file_chunks(path, key):
                first.update(chunk)
            with open(path, "rb") as f:
                sent = self._upload(key, f, size, first, content_type, metadata)
        if sent.sha256.hexdigest() != first.sha256.hexdigest() or sent.seen != size:
            self._discard(key)
            raise StoreError(key, f"source file {path} changed during upload", transient=True)
        return self._verify(key, size, first)

    def put_bytes(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str = DEFAULT_CONTENT_TYPE,
        metadata: Mapping[str, str] | None = None,
    ) -> StoredObject:
        validate_key(key)
        digests = _Digests(len(data))
        digests.update(data)
        self._upload(key, io.BytesIO(data), len(data), digests, content_type, metadata)
        return self._verify(key, len(data), digests)

    def _upload(
        self,
        key: str,
        stream: BinaryIO,
        size: int,
        digests: _Digests,
        content_type: str,
        metadata: Mapping[str, str] | None,
    ) -> _Digests:
        meta = _clean_metadata(key, metadata)
        headers: dict[str, str | builtins.list[str] | tuple[str]] = {
            f"x-amz-meta-{k}": _encode_meta_value(v) for k, v in meta.items()
        }
        headers[f"x-amz-meta-{SHA256_META}"] = digests.sha256.hexdigest()
        sent = _Digests(size)
        reader = _HashingReader(stream, sent)
        self._ensure_bucket(key)
        with self._errors(key, "upload failed"):
            self._client.put_object(
                self.bucket,
                key,
                reader,  # type: ignore[arg-type]  # a readable stream is all minio needs
                size,
                content_type=content_type or DEFAULT_CONTENT_TYPE,
                metadata=headers,
                part_size=digests.part_size,
                # Parts are held in memory while sent; one at a time bounds a worker to one part.
                num_parallel_uploads=1,
            )
        return sent

    def _verify(self, key: str, size: int, digests: _Digests) -> StoredObject:
        obj, etag = self._stat(key)
        expected_sha = digests.sha256.hexdigest()
        expected_etag = digests.etag()
        problem = None
        if obj is None:
            problem = "object missing right after upload"
        elif obj.size != size:
            problem = f"stored size {obj.size}, sent {size}"
        elif obj.sha256 != expected_sha:
            problem = f"stored sha256 {obj.sha256!r}, sent {expected_sha}"
        elif etag != expected_etag:
            problem = f"stored ETag {etag}, the bytes hashed to {expected_etag}"
        if problem is not None:
            # A corrupt object must not stay readable under its key with a checksum that lies.
            self._discard(key)
            raise StoreError(key, f"verification failed: {problem}", transient=True)
        assert obj is not None
        return obj

    def _discard(self, key: str) -> None:
        with suppress(StoreError):
            self.delete(key)

    # reads

    def _stat(self, key: str) -> tuple[StoredObject | None, str]:
        from minio.error import S3Error

        validate_key(key)
        self._ensure_bucket(key)
        with self._errors(key, "stat failed"):
            try:
                info = self._client.stat_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in _MISSING_S3_CODES:
                    return None, ""
                raise
        headers = info.metadata or {}
        sha = ""
        user: dict[str, str] = {}
        for name, value in headers.items():
            lname = str(name).lower()
            if not lname.startswith("x-amz-meta-"):
                continue
            mkey = lname[len("x-amz-meta-") :]
            if mkey == SHA256_META:
                sha = str(value)
            else:
                user[mkey] = _decode_meta_value(str(value))
        obj = StoredObject(key, int(info.size or 0), sha, info.content_type or DEFAULT_CONTENT_TYPE, user)
        return obj, (info.etag or "").strip('"')

    def stat(self, key: str) -> StoredObject | None:
        return self._stat(key)[0]

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def get_bytes(self, key: str) -> bytes:
        from minio.error import S3Error

        validate_key(key)
        self._ensure_bucket(key)
        with self._errors(key, "download failed"):
            try:
                response = self._client.get_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in _MISSING_S3_CODES:
                    raise StoreError(key, "no such object") from None
                raise
            try:
                data = response.read()
                expected = response.headers.get(f"x-amz-meta-{SHA256_META}")
            finally:
                response.close()
                response.release_conn()
        actual = hashlib.sha256(data).hexdigest()
        if expected and expected != actual:
            raise StoreError(key, f"download corrupt: sha256 {actual}, recorded {expected}", transient=True)
        return data

    def list(self, prefix: str = "") -> Iterator[str]:
        _validate_prefix(prefix)
        self._ensure_bucket(prefix)
        with self._errors(prefix, "list failed"):
            for item in self._client.list_objects(self.bucket, prefix=prefix or None, recursive=True):
                if not item.is_dir and item.object_name is not None:
                    yield item.object_name

    # changes

    def delete(self, key: str) -> None:
        validate_key(key)
        self._ensure_bucket(key)
        with self._errors(key, "delete failed"):
            self._client.remove_object(self.bucket, key)

    def update_metadata(self, key: str, metadata: Mapping[str, str]) -> StoredObject:
        from minio.commonconfig import REPLACE, CopySource

        current, etag = self._stat(key)
        if current is None:
            raise StoreError(key, "no such object")
        merged = {**current.metadata, **_clean_metadata(key, metadata)}
        _check_metadata_size(key, merged)
        headers: dict[str, str | builtins.list[str] | tuple[str]] = {
            f"x-amz-meta-{k}": _encode_meta_value(v) for k, v in merged.items()
        }
        headers[f"x-amz-meta-{SHA256_META}"] = current.sha256
        # REPLACE drops every header not given again, the content type included.
        headers["Content-Type"] = current.content_type
        with self._errors(key, "metadata update failed"):
            # Conditional on the ETag: a put racing with us must not get the old checksum.
            self._client.copy_object(
                self.bucket,
                key,
                CopySource(self.bucket, key, match_etag=etag or None),
                metadata=headers,
                metadata_directive=REPLACE,
            )
        updated, _ = self._stat(key)
        if updated is None or updated.size != current.size or updated.sha256 != current.sha256:
            raise StoreError(key, "metadata update changed or lost the object", transient=True)
        return updated
