"""Prometheus metrics read at scrape time from the database and from Redis (queues, stage durations),
so every web process reports the same numbers and nothing is kept in memory between scrapes."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry
from sqlalchemy import func, select

from pipeline import db, stagestats
from pipeline.config import Settings
from pipeline.metrics import RESULT_ROLE, _i
from pipeline.models import Document, DossierLink, Intake, Page

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
            "sohoa_dossiers", "Dossiers with at least one document, by what is digitised", labels=["unit", "digitised"]
        )
        reused = CounterMetricFamily("sohoa_dossier_links", "Dossiers linked to a stored copy", labels=["via"])
        review = GaugeMetricFamily("sohoa_review_documents", "Documents waiting in the review queue")
        with db.session_scope(url) as s:
            for unit, role, n in s.execute(
                select(Document.unit, Document.role, func.count()).group_by(Document.unit, Document.role)
            ):
                docs.add_metric([unit or "", role or ""], n)
            for unit, source, n in s.execute(
                select(Document.unit, Page.source, func.count())
                .join(Document, Document.id == Page.document_id)
                .group_by(Document.unit, Page.source)
            ):
                pages.add_metric([unit or "", source], n)
            for unit, state, code, n in s.execute(
                select(Intake.unit, Intake.state, Intake.error_code, func.count()).group_by(
                    Intake.unit, Intake.state, Intake.error_code
                )
            ):
                intake.add_metric([unit or "", state], n)
                if state == "quarantined":
                    failures.add_metric([unit or "", code or ""], n)
            # Per dossier: has a component, a result, both; then counted per unit (in the database).
            per = (
                select(
                    Document.unit.label("unit"),
                    Document.ma_ho_so.label("k"),
                    func.max(_i(func.coalesce(Document.role, "") == RESULT_ROLE)).label("res"),
                    func.max(_i(func.coalesce(Document.role, "") != RESULT_ROLE)).label("comp"),
                )
                .where(Document.ma_ho_so.is_not(None))
                .group_by(Document.unit, Document.ma_ho_so)
                .subquery()
            )
            for unit, comp, res, n in s.execute(
                select(per.c.unit, per.c.comp, per.c.res, func.count()).group_by(per.c.unit, per.c.comp, per.c.res)
            ):
                kind = "both" if comp and res else ("result" if res else "components")
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

        try:
            r = redis.Redis.from_url(self.settings.redis_url, socket_timeout=1, socket_connect_timeout=1)
            depth = GaugeMetricFamily("sohoa_queue_depth", "Tasks waiting in the broker", labels=["queue"])
            for q in QUEUES:
                # kombu keeps priorities in lists named `<queue>\x06\x16<n>` beside the plain one
                keys = [q, *(k.decode() for k in r.scan_iter(match=f"{q}\x06\x16*", count=100))]
                depth.add_metric([q], sum(int(r.llen(k)) for k in keys))
            stages = HistogramMetricFamily(
                "sohoa_stage_seconds", "Duration of each pipeline stage, from the workers", labels=["stage"]
            )
            for h in stagestats.read(r):
                stages.add_metric([h.stage], h.buckets, h.total)
        except redis.RedisError as e:
            log.warning("queue depths and stage durations unavailable: %s", e)
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
