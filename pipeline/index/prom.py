"""Prometheus metrics read at scrape time from the database and from Redis (queues, stage durations),
so every web process reports the same numbers and nothing is kept in memory between scrapes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry
from sqlalchemy import func, or_, select

from pipeline.config import Settings
from pipeline.index import stagestats
from pipeline.keep import db
from pipeline.keep.models import Document, Dossier, DossierLink, DossierState, Intake

log = logging.getLogger(__name__)
QUEUES = ("ingest", "ocr", "post")


class SohoaCollector(Collector):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily | HistogramMetricFamily]:
        url = self.settings.db_url
        docs = CounterMetricFamily("sohoa_documents", "Documents digitised", labels=["unit", "role"])
        pages = CounterMetricFamily("sohoa_pages", "Pages digitised", labels=["unit", "source"])
        intake = GaugeMetricFamily("sohoa_intake_files", "Files received, by state", labels=["unit", "state"])
        failures = CounterMetricFamily(
            "sohoa_failures", "Files quarantined, by error code", labels=["unit", "code"]
        )
        dossiers = GaugeMetricFamily(
            "sohoa_dossiers", "Dossiers with a document or a linked copy, by what is digitised",
            labels=["unit", "digitised"],
        )
        reused = CounterMetricFamily("sohoa_dossier_links", "Dossiers linked to a stored copy", labels=["via"])
        review = GaugeMetricFamily("sohoa_review_documents", "Documents waiting in the review queue")
        with db.session_scope(url) as s:
            # Documents and their pages from one index (ix_document_counts), never the rows: they carry
            # the OCR text, and a scrape reads this every few seconds. Pages read by OCR include those
            # that came out empty; blank separators of a batch are neither.
            per_page: dict[tuple[str, str], int] = {}
            for unit, role, n, n_ocr, n_text in s.execute(
                select(Document.unit, Document.role, func.count(), func.sum(Document.pages_ocr),
                       func.sum(Document.pages_text_layer)).group_by(Document.unit, Document.role)
            ):
                docs.add_metric([unit or "", role or ""], n)
                for source, k in (("ocr", n_ocr), ("text_layer", n_text)):
                    per_page[(unit or "", source)] = per_page.get((unit or "", source), 0) + int(k or 0)
            for (unit, source), k in sorted(per_page.items()):
                pages.add_metric([unit, source], k)
            for unit, state, code, n in s.execute(
                select(Intake.unit, Intake.state, Intake.error_code, func.count()).group_by(
                    Intake.unit, Intake.state, Intake.error_code
                )
            ):
                intake.add_metric([unit or "", state], n)
                if state == "quarantined":
                    failures.add_metric([unit or "", code or ""], n)
            # What each dossier has digitised is kept at record time (pipeline/keep/metric_state.py): one
            # row per dossier here, not a grouping of every document at each scrape.
            st = DossierState.__table__
            comp, res = st.c.comp_at.is_not(None), st.c.res_at.is_not(None)
            for unit, has_comp, has_res, n in s.execute(
                select(Dossier.unit, comp, res, func.count())
                .select_from(st.outerjoin(Dossier, Dossier.ma_ho_so == st.c.ma_ho_so))
                .where(or_(comp, res))
                .group_by(Dossier.unit, comp, res)
            ):
                kind = "both" if has_comp and has_res else ("result" if has_res else "components")
                dossiers.add_metric([unit or "", kind], n)
            for via, n in s.execute(select(DossierLink.via, func.count()).group_by(DossierLink.via)):
                reused.add_metric([via], n)
            review.add_metric([], s.scalar(select(func.count()).where(Document.review.is_(True))) or 0)
        yield from (docs, pages, intake, failures, dossiers, reused, review)
        yield from self._from_redis()

    def _from_redis(self) -> Iterator[GaugeMetricFamily | HistogramMetricFamily]:
        """Queue depths (the Redis lists behind the Celery queues and their priority sub-lists) and the
        stage durations the workers add up in Redis."""
        if not self.settings.redis_url:
            return
        import redis

        from pipeline.redis_client import connect, describe

        try:
            r = connect(self.settings.redis_url, 1)
            depth = GaugeMetricFamily("sohoa_queue_depth", "Tasks waiting in the broker", labels=["queue"])
            for q in QUEUES:
                # kombu keeps priorities in lists named `<queue>\x06\x16<n>` beside the plain one
                keys = [q, *(k.decode() for k in r.scan_iter(match=f"{q}\x06\x16*", count=100))]
                lengths: list[Any] = [r.llen(k) for k in keys]  # ints; redis' stubs also allow awaitables
                depth.add_metric([q], sum(int(n) for n in lengths))
            stages = HistogramMetricFamily(
                "sohoa_stage_seconds", "Duration of each pipeline stage, from the workers", labels=["stage"]
            )
            for h in stagestats.read(r):
                stages.add_metric([h.stage], h.buckets, h.total)
        except redis.RedisError as e:
            log.warning("queue depths and stage durations unavailable: %s", describe(e))
            return
        yield depth
        yield stages


def registry_for(settings: Settings) -> CollectorRegistry:
    reg = CollectorRegistry(auto_describe=False)
    reg.register(SohoaCollector(settings))
    return reg


def metrics_response(settings: Settings):  # type: ignore[no-untyped-def]
    """A web handler serving the Prometheus text format (kept here so web/ needs one line)."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
    from starlette.responses import Response

    registry = registry_for(settings)

    def handler() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return handler
