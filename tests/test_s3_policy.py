"""The app's MinIO user (deploy/minio-app-policy.json, made by deploy/minio-init.sh) is enough for
everything the app does with the object store, and for nothing else.

Against a real S3 protocol server with IAM enforcement on: moto in server mode, in a process of its own
(its authentication switch is global to a process; the session's shared `s3_server` stays open). The
bucket, the user, the committed policy and an access key are made while moto still accepts anything;
then authentication is switched on and the app's store runs with the user's key alone.

Moto enforces IAM loosely, in two ways that matter here: it names a HEAD on a bucket `s3:HeadBucket`
where AWS and MinIO check `s3:ListBucket` for it (so the user gets moto's name for that one call,
mapped from the policy's `s3:ListBucket`), and it evaluates `Resource` by glob. The policy document
itself is checked for exactly its actions and resources in tests/test_compose.py.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.keep.store import S3Store, StoreError
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "deploy" / "minio-app-policy.json"
BUCKET = "sohoa-policy"
OTHER = "someone-else"
MIB = 1024 * 1024
# moto's names for calls whose IAM action is another (see the module's docstring).
MOTO_ALIASES = {"s3:ListBucket": ["s3:HeadBucket"]}


def app_policy(bucket: str) -> dict[str, Any]:
    """The committed policy with the bucket filled in, as minio-init's `sed` does."""
    doc: dict[str, Any] = json.loads(POLICY.read_text(encoding="utf-8").replace("@BUCKET@", bucket))
    return doc


def for_moto(doc: dict[str, Any]) -> dict[str, Any]:
    statements = []
    for st in doc["Statement"]:
        actions = [a for action in st["Action"] for a in [action, *MOTO_ALIASES.get(action, [])]]
        statements.append({**st, "Action": actions})
    return {**doc, "Statement": statements}


@pytest.fixture(scope="module")
def iam_s3() -> Iterator[dict[str, str]]:
    import boto3

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "moto did not start"
                time.sleep(0.1)
        root = {"endpoint_url": endpoint, "region_name": "us-east-1",
                "aws_access_key_id": "root", "aws_secret_access_key": "root-secret"}
        s3 = boto3.client("s3", **root)
        iam = boto3.client("iam", **root)
        # What minio-init does with the root account.
        s3.create_bucket(Bucket=BUCKET)
        s3.create_bucket(Bucket=OTHER)
        s3.put_object(Bucket=OTHER, Key="private.txt", Body=b"not yours")
        iam.create_user(UserName="sohoa-app")
        iam.put_user_policy(UserName="sohoa-app", PolicyName="sohoa-app",
                            PolicyDocument=json.dumps(for_moto(app_policy(BUCKET))))
        key = iam.create_access_key(UserName="sohoa-app")["AccessKey"]
        # The same policy less s3:DeleteObject: shows that each action of the policy is checked.
        less = for_moto(app_policy(BUCKET))
        for st in less["Statement"]:
            st["Action"] = [a for a in st["Action"] if a != "s3:DeleteObject"]
        iam.create_user(UserName="no-delete")
        iam.put_user_policy(UserName="no-delete", PolicyName="less", PolicyDocument=json.dumps(less))
        less_key = iam.create_access_key(UserName="no-delete")["AccessKey"]
        # From here on every request is signed with a key IAM knows and checked against its policies.
        req = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                     headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert json.load(r)["status"] == "ok"
        yield {"endpoint": f"127.0.0.1:{port}", "access_key": key["AccessKeyId"],
               "secret_key": key["SecretAccessKey"], "url": endpoint,
               "less_access_key": less_key["AccessKeyId"], "less_secret_key": less_key["SecretAccessKey"]}
    finally:
        proc.kill()
        proc.wait()


def _store(server: dict[str, str], bucket: str = BUCKET, **kw: str) -> S3Store:
    creds = {"access_key": server["access_key"], "secret_key": server["secret_key"], **kw}
    return S3Store(server["endpoint"], bucket=bucket, region="us-east-1", **creds)


def test_the_app_works_with_only_the_policy(iam_s3: dict[str, str], tmp_path: Path) -> None:
    store = _store(iam_s3)
    small = store.put_bytes("H50/2026/no-dossier/d1/record.json", b'{"a": 1}', metadata={"doc_type": "quyet_dinh"})
    assert small.sha256 and store.get_bytes(small.key) == b'{"a": 1}'
    # Bigger than a part: the multipart calls (create, upload part, complete) under the same policy.
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * (17 * MIB // 256))
    stored = store.put_file("H50/2026/no-dossier/d1/searchable.pdf", big, content_type="application/pdf")
    assert stored.size == big.stat().st_size
    assert store.stat(stored.key) is not None and store.exists(stored.key)
    assert sorted(store.list("H50/")) == sorted([small.key, stored.key])
    updated = store.update_metadata(small.key, {"role": "ket_qua"})  # a server-side copy onto itself
    assert updated.metadata["role"] == "ket_qua" and updated.metadata["doc_type"] == "quyet_dinh"
    store.delete(small.key)
    assert store.stat(small.key) is None


def test_the_policy_allows_nothing_else(iam_s3: dict[str, str]) -> None:
    import boto3
    from botocore.exceptions import ClientError

    # Another bucket of the same server: neither read, listed nor written.
    other = _store(iam_s3, OTHER)
    for call in (lambda: other.get_bytes("private.txt"), lambda: list(other.list("")),
                 lambda: other.put_bytes("x.txt", b"x")):
        with pytest.raises(StoreError, match="AccessDenied"):
            call()
    # No new bucket: a store of a missing bucket cannot make it (minio-init makes the app's).
    with pytest.raises(StoreError, match="AccessDenied"):
        _store(iam_s3, "brand-new").put_bytes("x.txt", b"x")
    # Nothing that changes the bucket itself: no policy making it public, no deleting it, no ACL.
    s3 = boto3.client("s3", endpoint_url=iam_s3["url"], region_name="us-east-1",
                      aws_access_key_id=iam_s3["access_key"], aws_secret_access_key=iam_s3["secret_key"])
    public = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                      "Resource": f"arn:aws:s3:::{BUCKET}/*"}]}
    for name, call in [
        ("PutBucketPolicy", lambda: s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public))),
        ("DeleteBucket", lambda: s3.delete_bucket(Bucket=BUCKET)),
        ("PutBucketAcl", lambda: s3.put_bucket_acl(Bucket=BUCKET, ACL="public-read")),
        ("ListBuckets", lambda: s3.list_buckets()),
    ]:
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "AccessDenied", name
    # And a key IAM does not know gets nothing at all.
    with pytest.raises(StoreError, match=r"AccessDenied|InvalidAccessKeyId"):
        _store(iam_s3, access_key="AKIAIOSFODNN7EXAMPLE", secret_key="wrong").put_bytes("x.txt", b"x")


def test_each_action_of_the_policy_is_enforced(iam_s3: dict[str, str]) -> None:
    """Without s3:DeleteObject the same calls store and read but cannot delete: the server really
    checks the policy's actions, so the test above passing means they are enough."""
    store = _store(iam_s3, access_key=iam_s3["less_access_key"], secret_key=iam_s3["less_secret_key"])
    obj = store.put_bytes("H50/2026/no-dossier/d2/record.json", b"{}")
    assert store.get_bytes(obj.key) == b"{}"
    with pytest.raises(StoreError, match="AccessDenied"):
        store.delete(obj.key)
    assert store.exists(obj.key)
