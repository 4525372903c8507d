"""A scanned batch dropped in the inbox, through Celery (real Redis, a worker subprocess, the watcher):
split into the same documents and dossiers as `sohoa process` makes of it, once, whatever is dropped
again."""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pipeline.batch import process_files
from pipeline.config import Settings
from pipeline.identity import sha256_file
from pipeline.intake.audit import reconcile
from pipeline.keep import db
from pipeline.keep.models import DONE, DUPLICATE, Document, Intake, Page
from pipeline.keep.record import load_records
from pipeline.keep.store import open_store
from pipeline.samples.batch import Blank, Paper, Slip, write_batch
from schemas.document import DocumentRecord
from tests.test_e2e_celery import Cluster, env_for, wait_until
from tests.test_split import check_against_truth

pytestmark = pytest.mark.slow


def _key(r: DocumentRecord) -> tuple[object, ...]:
    assert r.part is not None
    return (r.doc_id, r.sha256, tuple(r.part.pages), tuple(r.part.separators), r.doc_type,
            r.metadata.get("ma_ho_so"), r.dossier_source, r.outputs)


def test_celery_splits_a_batch_as_sohoa_process_does(settings: Settings, redis_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in"
    items = [Slip("json"), Paper("to_khai"), Blank(), Paper("giay_khai_sinh"), Slip("damaged"), Paper("don")]
    label = write_batch(src, "H50.12/thanh-phan/batch-e2e.tif", items, seed=6, fmt="tiff", dpi=200)
    batch = src / label.file
    sha = sha256_file(batch)
    db.migrate(settings.db_url)
    logs = tmp_path / "logs"
    logs.mkdir()
    cluster = Cluster(env_for(settings, redis_server.url, {}), logs)

    def states() -> list[str]:
        with db.session_scope(settings.db_url) as s:
            return list(s.scalars(select(Intake.state).order_by(Intake.id)))

    try:
        cluster.start("worker", "worker", "--concurrency", "2")
        cluster.start("watch", "watch")
        inbox = settings.inbox / "H50.12" / "thanh-phan"
        inbox.mkdir(parents=True)
        shutil.copyfile(batch, inbox / "batch-e2e.tif")
        wait_until(lambda: states() == [DONE], 300, "the batch to be digitised", cluster)
        shutil.copyfile(batch, inbox / "lai-lan-nua.tif")  # the same pile scanned in again
        wait_until(lambda: states() == [DONE, DUPLICATE], 120, "the copy to be recognised", cluster)
    finally:
        cluster.stop()

    with db.session_scope(settings.db_url) as s:
        celery = load_records(s, sha)
        n_docs = s.scalar(select(func.count()).select_from(Document))
        n_pages = s.scalar(select(func.count()).select_from(Page))
        first = s.scalar(select(Intake.document_id).where(Intake.original_name == "batch-e2e.tif"))
    check_against_truth([r.model_dump(mode="json") for r in celery], label)
    assert n_docs == len(label.documents) and n_pages == label.pages
    assert first == celery[0].doc_id
    store = open_store(settings)
    for r in celery:
        assert all(store.exists(k) for k in r.outputs)
        assert store.stat(r.outputs[0]).sha256 == r.sha256  # type: ignore[union-attr]
    # The reconciliation of inputs and outputs knows a file may have become several documents.
    audit = reconcile(settings, {"H50.12/thanh-phan/batch-e2e.tif": sha, "H50.12/thanh-phan/lai-lan-nua.tif": sha},
                      store)
    assert audit.ok and (audit.stored, audit.duplicates) == (1, 1), (audit.lost, audit.double, audit.problems)

    # `sohoa process` on the same file, into a data dir of its own: the very same documents.
    other = settings.model_copy(update={"data_dir": tmp_path / "other"})
    other.ensure_dirs()
    db.migrate(other.db_url)
    with ProcessPoolExecutor(max_workers=2) as pool:
        direct = list(process_files([(batch, "H50.12", "thanh_phan")], other, open_store(other), pool))
    assert all(isinstance(r, DocumentRecord) for r in direct)
    assert [_key(r) for r in direct] == [_key(r) for r in celery]  # type: ignore[arg-type]
