"""Stage durations kept in Redis by the workers and read back as Prometheus histograms."""

from __future__ import annotations

import pytest
import redis
from prometheus_client import generate_latest

from pipeline.config import Settings
from pipeline.index import stagestats
from pipeline.index.prom import registry_for
from pipeline.keep import db


def test_observations_become_cumulative_buckets(redis_server) -> None:  # type: ignore[no-untyped-def]
    r = redis.Redis.from_url(redis_server.url)
    for seconds in (0.03, 0.4, 0.4, 1.5, 4000):
        stagestats.observe(r, "ocr", seconds)
    with stagestats.timed(r, "classify"):
        pass
    with pytest.raises(RuntimeError), stagestats.timed(r, "extract"):
        raise RuntimeError("a failed stage is not a fast stage")
    with pytest.raises(ValueError, match="unknown stage"):
        stagestats.observe(r, "ocrr", 1.0)
    got = {h.stage: h for h in stagestats.read(r)}
    assert set(got) == set(stagestats.STAGES)
    ocr = dict(got["ocr"].buckets)
    picked = ("0.05", "0.1", "0.5", "1.0", "2.0", "900.0", "+Inf")
    assert [ocr[b] for b in picked] == [1, 1, 3, 3, 4, 4, 5]
    assert got["ocr"].count == 5 and got["ocr"].total == pytest.approx(4002.33)
    assert got["classify"].count == 1 and got["extract"].count == 0


def test_redis_down_does_not_fail_the_stage(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = redis.Redis(unix_socket_path=str(tmp_path / "nobody.sock"), socket_connect_timeout=0.5)
    stagestats.observe(r, "ocr", 1.0)  # logged, not raised: the page it measures is done


def test_metrics_exposition_has_stage_histograms(settings: Settings, redis_server) -> None:  # type: ignore[no-untyped-def]
    settings.redis_url = redis_server.url
    db.migrate(settings.db_url)
    r = redis.Redis.from_url(redis_server.url)
    stagestats.observe(r, "finish", 0.7)
    stagestats.observe(r, "finish", 3.0)
    text = generate_latest(registry_for(settings)).decode()
    assert 'sohoa_stage_seconds_bucket{le="1.0",stage="finish"} 1.0' in text
    assert 'sohoa_stage_seconds_bucket{le="+Inf",stage="finish"} 2.0' in text
    assert 'sohoa_stage_seconds_count{stage="finish"} 2.0' in text
    assert 'sohoa_stage_seconds_sum{stage="finish"} 3.7' in text
    assert 'sohoa_stage_seconds_count{stage="ocr"} 0.0' in text


def test_a_clock_keeps_the_pipeline_s_stages_for_the_task_to_report(redis_server) -> None:  # type: ignore[no-untyped-def]
    clock = stagestats.Clock()
    for _ in range(2):  # a split file classifies each of its documents
        with clock("classify"):
            pass
    with pytest.raises(OSError), clock("store"):
        raise OSError("the store is down")
    assert [stage for stage, _ in clock.spans] == ["classify", "classify"]
    r = redis.Redis.from_url(redis_server.url)
    clock.report(r)
    got = {h.stage: h.count for h in stagestats.read(r)}
    assert got["classify"] == 2 and got["store"] == 0
