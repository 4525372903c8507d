"""The object store: one suite run against both backends through the same interface.

The S3 backend talks to a real S3 protocol server (moto in server mode, see conftest's
`s3_server`), so signing, headers, multipart uploads and ETags are exercised for real.
"""

from __future__ import annotations

import hashlib
import os
import socket
import stat
import time
import tracemalloc
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import Settings
from pipeline.keep.store import LocalStore, ObjectStore, S3Store, StoredObject, StoreError, object_prefix, open_store

MIB = 1024 * 1024

VIETNAMESE_META = {
    "doc_type": "quyet_dinh",
    "role": "ket_qua",
    "ten_nguoi_nop": "Nguyễn Thị Ánh Tuyết",
    "trich_yeu": "Về việc cấp Giấy chứng nhận quyền sử dụng đất",
    # Things an encoding can trip on: a literal percent sign, slashes, commas, inner and outer spaces.
    "so_ky_hieu": " 123/2024/QĐ-UBND, 5% lệ phí  ",
    "ghi_chu": "",
}


@pytest.fixture(autouse=True)
def _no_sohoa_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Settings read SOHOA_* from the environment; a developer's own must not change these tests.
    for name in list(os.environ):
        if name.startswith("SOHOA_"):
            monkeypatch.delenv(name)
    yield


@dataclass
class Backend:
    name: str
    store: ObjectStore
    # Makes the next upload store bytes other than those handed to put_*.
    corrupt: Callable[[pytest.MonkeyPatch], None]


def _corrupt_local(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def bad_fsync(fd: int) -> None:
        # The disk "keeps" a different first byte than the one written.
        if stat.S_ISREG(os.fstat(fd).st_mode) and os.fstat(fd).st_size:
            first = os.pread(fd, 1, 0)
            os.pwrite(fd, bytes([first[0] ^ 0xFF]), 0)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", bad_fsync)


def _corrupt_s3(monkeypatch: pytest.MonkeyPatch) -> None:
    from minio import Minio

    real_put = Minio._put_object

    def bad_put(self: Minio, bucket_name: str, object_name: str, data: bytes, *args: Any, **kw: Any) -> Any:
        # Flip one byte after our hashing but before the request is signed and sent (every single
        # PUT and every multipart part goes through here).
        data = bytes([data[0] ^ 0xFF]) + data[1:] if data else data
        return real_put(self, bucket_name, object_name, data, *args, **kw)

    monkeypatch.setattr(Minio, "_put_object", bad_put)


def _s3_store(s3_server: dict[str, str], **kw: Any) -> S3Store:
    return S3Store(
        s3_server["endpoint"],
        access_key=s3_server["access_key"],
        secret_key=s3_server["secret_key"],
        region=s3_server["region"],
        bucket=f"test-{uuid.uuid4().hex[:16]}",
        **kw,
    )


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "local":
        return Backend("local", LocalStore(tmp_path / "objects"), _corrupt_local)
    s3_server = request.getfixturevalue("s3_server")
    return Backend("s3", _s3_store(s3_server), _corrupt_s3)


@pytest.fixture
def store(backend: Backend) -> ObjectStore:
    return backend.store


def _write_random(path: Path, size: int) -> str:
    h = hashlib.sha256()
    rnd = hashlib.sha256(b"seed")
    with open(path, "wb") as f:
        left = size
        while left:
            # Deterministic, incompressible-enough filler without holding the file in memory.
            block = (rnd.digest() * (MIB // 32))[: min(MIB, left)]
            rnd.update(block[:64])
            f.write(block)
            h.update(block)
            left -= len(block)
    return h.hexdigest()


# --- the shared contract ------------------------------------------------------------------------


def test_round_trip_with_vietnamese_metadata(store: ObjectStore) -> None:
    data = "Ủy ban nhân dân xã Hòa Bình — biên nhận hồ sơ".encode()
    key = object_prefix("ubnd-hoa-binh", 2024, "000.00.12.H12-240115-0001", "d1") + "record.json"
    put = store.put_bytes(key, data, content_type="application/json", metadata=VIETNAMESE_META)

    assert put == StoredObject(key, len(data), hashlib.sha256(data).hexdigest(), "application/json", VIETNAMESE_META)
    assert store.stat(key) == put
    assert store.exists(key)
    assert store.get_bytes(key) == data


def test_metadata_names_are_case_insensitive_and_lowered(store: ObjectStore) -> None:
    obj = store.put_bytes("k/one", b"x", metadata={"Doc_Type": "cong_van"})
    assert obj.metadata == {"doc_type": "cong_van"}
    assert store.stat("k/one") == obj


def test_empty_object(store: ObjectStore) -> None:
    obj = store.put_bytes("k/empty", b"")
    assert obj.size == 0 and obj.sha256 == hashlib.sha256(b"").hexdigest()
    assert store.get_bytes("k/empty") == b""
    assert store.stat("k/empty") == obj


def test_put_file_large_streams_and_verifies(store: ObjectStore, backend: Backend, tmp_path: Path) -> None:
    # 20 MB crosses the 16 MiB part size: on S3 this is a multipart upload with a composite ETag.
    size = 20 * 1000 * 1000
    src = tmp_path / "big.pdf"
    sha = _write_random(src, size)

    tracemalloc.start()
    try:
        obj = store.put_file("u/2024/no-dossier/big/original.pdf", src, content_type="application/pdf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (obj.size, obj.sha256, obj.content_type) == (size, sha, "application/pdf")
    assert store.stat(obj.key) == obj
    assert hashlib.sha256(store.get_bytes(obj.key)).hexdigest() == sha
    if backend.name == "local":
        # The S3 server runs in this process and holds the object itself, so only the local store's
        # memory can be measured here; streaming keeps it to a few chunks.
        assert peak < 8 * MIB, f"put_file peaked at {peak / MIB:.1f} MiB for a {size / MIB:.0f} MiB file"


def test_stat_of_missing_key(store: ObjectStore) -> None:
    assert store.stat("nope/nothing.pdf") is None
    assert not store.exists("nope/nothing.pdf")
    with pytest.raises(StoreError) as err:
        store.get_bytes("nope/nothing.pdf")
    assert err.value.key == "nope/nothing.pdf"
    assert not err.value.transient


def test_missing_source_file(store: ObjectStore, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        store.put_file("k/x", tmp_path / "gone.pdf")
    assert err.value.key == "k/x" and "gone.pdf" in err.value.reason
    assert not err.value.transient
    assert store.stat("k/x") is None


def test_list_by_prefix(store: ObjectStore) -> None:
    keys = [
        "u1/2024/hs-1/d1/original.pdf",
        "u1/2024/hs-1/d1/record.json",
        "u1/2024/hs-1/d1/searchable.pdf",
        "u1/2024/hs-2/d2/original.pdf",
        "u1/2025/no-dossier/d3/original.pdf",
        "u1-bis/2024/hs-9/d9/original.pdf",
        "u2/2024/hs-3/d4/original.pdf",
    ]
    for k in reversed(keys):
        store.put_bytes(k, k.encode(), metadata={"doc_type": "x"})

    assert list(store.list("")) == sorted(keys)
    assert list(store.list()) == sorted(keys)
    assert list(store.list("u1/2024/hs-1/d1/")) == keys[:3]
    assert list(store.list("u1/2024/")) == keys[:4]
    # A prefix is a string prefix, not a folder: "u1" also matches "u1-bis".
    assert list(store.list("u1")) == sorted(keys[:6])
    assert list(store.list("u1/2024/hs-")) == keys[:4]
    assert list(store.list("u3/")) == []


def test_update_metadata_merges_and_keeps_content(store: ObjectStore) -> None:
    data = b"%PDF-1.7 fake"
    first = store.put_bytes(
        "u/2024/hs/d/searchable.pdf",
        data,
        content_type="application/pdf",
        metadata={"doc_type": "don_de_nghi", "role": "thanh_phan"},
    )

    updated = store.update_metadata(first.key, {"doc_type": "giấy xác nhận", "reviewed_by": "Trần Văn Bình"})

    assert updated.metadata == {"doc_type": "giấy xác nhận", "role": "thanh_phan", "reviewed_by": "Trần Văn Bình"}
    assert (updated.size, updated.sha256, updated.content_type) == (first.size, first.sha256, "application/pdf")
    assert store.stat(first.key) == updated
    assert store.get_bytes(first.key) == data

    with pytest.raises(StoreError) as err:
        store.update_metadata("u/2024/hs/d/missing.pdf", {"doc_type": "x"})
    assert err.value.key == "u/2024/hs/d/missing.pdf"


def test_overwrite_is_idempotent(store: ObjectStore, tmp_path: Path) -> None:
    src = tmp_path / "scan.pdf"
    src.write_bytes(b"scan v1" * 1000)
    meta = {"doc_type": "to_khai"}
    a = store.put_file("u/2024/hs/d/original.pdf", src, content_type="application/pdf", metadata=meta)
    b = store.put_file("u/2024/hs/d/original.pdf", src, content_type="application/pdf", metadata=meta)
    assert a == b == store.stat(a.key)

    c = store.put_bytes(a.key, b"scan v2", content_type="application/pdf", metadata=meta)
    assert c.sha256 != a.sha256
    assert store.stat(a.key) == c
    assert store.get_bytes(a.key) == b"scan v2"
    assert list(store.list("u/")) == [a.key]


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "../outside",
        "a/../../outside",
        "a/./b",
        "a//b",
        "a/b/",
        ".meta/a.json",
        "a/.hidden",
        "a\\b",
        "a/b\x00c",
        unicodedata.normalize("NFD", "hồ-sơ/d/original.pdf"),
        "k/" + "x" * 1100,
    ],
)
def test_bad_keys_are_rejected(store: ObjectStore, key: str) -> None:
    with pytest.raises(StoreError) as err:
        store.put_bytes(key, b"data")
    assert not err.value.transient
    assert err.value.key == key
    with pytest.raises(StoreError):
        store.stat(key)


@pytest.mark.parametrize(
    "metadata",
    [
        {"sha256": "forged"},
        {"bad name": "x"},
        {"tên": "x"},
        {"note": "ghi chú " * 200},
    ],
    ids=["reserved", "space", "non-ascii-name", "too-large"],
)
def test_bad_metadata_is_rejected(store: ObjectStore, metadata: dict[str, str]) -> None:
    with pytest.raises(StoreError) as err:
        store.put_bytes("k/meta", b"data", metadata=metadata)
    assert err.value.key == "k/meta" and not err.value.transient
    assert store.stat("k/meta") is None


@pytest.mark.parametrize("size", [1000, 17 * MIB], ids=["single-part", "multipart"])
def test_verification_catches_a_corrupted_upload(
    backend: Backend, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, size: int
) -> None:
    if size > MIB and backend.name == "local":
        pytest.skip("the local store has no multipart path")
    store = backend.store
    key = "u/2024/hs/d/original.pdf"
    src = tmp_path / "src.pdf"
    _write_random(src, size)

    backend.corrupt(monkeypatch)
    with pytest.raises(StoreError) as err:
        store.put_file(key, src)
    assert err.value.key == key
    assert "verification failed" in err.value.reason
    assert err.value.transient
    with pytest.raises(StoreError):
        store.put_bytes(key, b"small but corrupted")
    monkeypatch.undo()

    # Nothing unverified is left under the key; with the fault gone the same put succeeds.
    assert store.stat(key) is None
    assert list(store.list("u/")) == []
    assert store.put_file(key, src).size == size


# --- one backend or the other -------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    "call",
    [
        lambda st: st.put_bytes("k/x", b"data"),
        lambda st: st.stat("k/x"),
        lambda st: st.exists("k/x"),
        lambda st: list(st.list("k/")),
        lambda st: st.get_bytes("k/x"),
    ],
    ids=["put", "stat", "exists", "list", "get"],
)
def test_s3_server_down_is_transient_and_fast(call: Callable[[S3Store], object]) -> None:
    store = S3Store(f"127.0.0.1:{_closed_port()}", access_key="a", secret_key="b")
    start = time.monotonic()
    with pytest.raises(StoreError) as err:
        call(store)
    assert err.value.transient
    assert err.value.key == "k/x" or err.value.key == "k/"
    assert "127.0.0.1" in err.value.reason
    assert time.monotonic() - start < 5


def test_s3_metadata_on_the_wire_is_ascii_with_sha256(s3_server: dict[str, str]) -> None:
    import boto3

    store = _s3_store(s3_server, secure=False)
    obj = store.put_bytes("u/2024/hs/d/record.json", b"{}", metadata=VIETNAMESE_META)

    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://{s3_server['endpoint']}",
        aws_access_key_id=s3_server["access_key"],
        aws_secret_access_key=s3_server["secret_key"],
        region_name=s3_server["region"],
    )
    head = s3.head_object(Bucket=store.bucket, Key=obj.key)
    assert head["Metadata"]["sha256"] == hashlib.sha256(b"{}").hexdigest()
    assert head["ETag"].strip('"') == hashlib.md5(b"{}").hexdigest()
    assert all(v.isascii() for v in head["Metadata"].values())
    assert head["Metadata"]["doc_type"] == "quyet_dinh"  # plain ASCII stays readable


def test_s3_endpoint_with_scheme(s3_server: dict[str, str]) -> None:
    store = S3Store(
        f"http://{s3_server['endpoint']}/",
        access_key=s3_server["access_key"],
        secret_key=s3_server["secret_key"],
        bucket=f"test-{uuid.uuid4().hex[:16]}",
        secure=True,  # the explicit scheme wins
    )
    assert store.put_bytes("k/x", b"data").size == 4
    with pytest.raises(ValueError):
        S3Store("ftp://127.0.0.1:9000")
    with pytest.raises(ValueError):
        S3Store("http://127.0.0.1:9000/bucket")


def test_local_list_hides_sidecars_and_temp_files(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put_bytes("u/2024/hs/d/original.pdf", b"x", metadata={"doc_type": "a"})
    # An upload in flight (or one that a crash left behind).
    (tmp_path / "u/2024/hs/d/.searchable.pdf.abc123.tmp").write_bytes(b"partial")
    assert (tmp_path / ".meta/u/2024/hs/d/original.pdf.json").exists()
    assert list(store.list()) == ["u/2024/hs/d/original.pdf"]


def test_local_stale_sidecar_is_not_trusted(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    key = "u/2024/hs/d/original.pdf"
    store.put_bytes(key, b"old content", metadata={"doc_type": "a"})
    # A crash after the new object's rename, before its sidecar was written.
    tmp = tmp_path / "u/2024/hs/d/replacement"
    tmp.write_bytes(b"new content!")
    os.replace(tmp, tmp_path / key)

    obj = store.stat(key)
    assert obj is not None
    assert (obj.size, obj.sha256) == (12, hashlib.sha256(b"new content!").hexdigest())
    assert store.get_bytes(key) == b"new content!"


def test_local_get_detects_bit_rot(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    key = "u/2024/hs/d/original.pdf"
    store.put_bytes(key, b"good content")
    path = tmp_path / key
    st = path.stat()
    with open(path, "r+b") as f:  # same inode, size and mtime: only the bytes differ
        f.write(b"G")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(StoreError, match="corrupt") as err:
        store.get_bytes(key)
    assert err.value.key == key


def test_local_files_are_not_world_readable(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put_bytes("k/x", b"personal data")
    assert (tmp_path / "k/x").stat().st_mode & 0o007 == 0


# --- helpers ------------------------------------------------------------------------------------


def test_object_prefix() -> None:
    assert object_prefix("ubnd-xa-a", 2024, "H12.22-240115-0001", "abc") == "ubnd-xa-a/2024/H12.22-240115-0001/abc/"
    assert object_prefix(None, 987, None, "abc") == "unknown/0987/no-dossier/abc/"
    assert object_prefix("", 2024, "", "abc") == "unknown/2024/no-dossier/abc/"
    nfd = unicodedata.normalize("NFD", "Hồ-sơ-1")
    assert object_prefix("u", 2024, nfd, "d") == "u/2024/" + unicodedata.normalize("NFC", nfd) + "/d/"
    # Codes are data (OCR, clerks' folder names): made safe, never a reason to fail the document.
    assert object_prefix("u", 2024, "12/QĐ\\x\n", "d") == "u/2024/12-QĐ-x/d/"
    assert object_prefix(" ../u ", 2024, "..", "d") == "-u/2024/no-dossier/d/"
    assert len(object_prefix("u", 2024, "9" * 5000, "d")) < 200
    for bad in [("u", 20245, None, "d"), ("u", 2024, None, ""), ("u", 2024, None, "a/b"), ("u", 2024, None, "..")]:
        with pytest.raises(StoreError):
            object_prefix(*bad)


def test_open_store_picks_the_backend(tmp_path: Path) -> None:
    local = open_store(Settings(data_dir=tmp_path, s3_endpoint=""))
    assert isinstance(local, LocalStore) and local.root == (tmp_path / "objects").resolve()
    assert isinstance(local, ObjectStore)

    remote = open_store(Settings(data_dir=tmp_path, s3_endpoint="http://127.0.0.1:9000", s3_bucket="b"))
    assert isinstance(remote, S3Store) and remote.bucket == "b" and remote.endpoint == "127.0.0.1:9000"
    assert isinstance(remote, ObjectStore)


def test_store_error_survives_pickling() -> None:
    import pickle

    err = pickle.loads(pickle.dumps(StoreError("k/x", "boom", transient=True)))
    assert (err.key, err.reason, err.transient, str(err)) == ("k/x", "boom", True, "k/x: boom")
