"""The S3 (MinIO) store: streamed uploads, multipart for large files, each object read back and
checked against its hash; network and server errors marked transient so tasks retry them."""

from __future__ import annotations

import builtins
import hashlib
import io
import math
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from pipeline.keep.store.base import (
    DEFAULT_CONTENT_TYPE,
    SHA256_META,
    StoredObject,
    StoreError,
    check_metadata_size,
    clean_metadata,
    decode_meta_value,
    encode_meta_value,
    file_chunks,
    validate_key,
    validate_prefix,
)
from pipeline.keep.store.local import os_errors

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
        with os_errors(key, f"cannot read source file {path}"):
            size = path.stat().st_size
            # The checksum travels in the object's headers, so it must be known before the upload:
            # one pass to hash, a second to send (the page cache makes the second cheap).
            first = _Digests(size)
            for chunk in file_chunks(path, key):
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
        meta = clean_metadata(key, metadata)
        headers: dict[str, str | builtins.list[str] | tuple[str]] = {
            f"x-amz-meta-{k}": encode_meta_value(v) for k, v in meta.items()
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
                user[mkey] = decode_meta_value(str(value))
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
        validate_prefix(prefix)
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
        merged = {**current.metadata, **clean_metadata(key, metadata)}
        check_metadata_size(key, merged)
        headers: dict[str, str | builtins.list[str] | tuple[str]] = {
            f"x-amz-meta-{k}": encode_meta_value(v) for k, v in merged.items()
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
