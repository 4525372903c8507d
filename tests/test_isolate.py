"""pipeline/isolate.py: a child that crashes, hangs or eats its memory costs its own task alone."""

from __future__ import annotations

import pickle

import pytest

from pipeline.errors import PipelineError
from pipeline.isolate import Pool
from tests.hostile import faults


@pytest.fixture
def pool():  # type: ignore[no-untyped-def]
    p = Pool(2, memory_mb=768, timeout=20)
    yield p
    p.shutdown()


def _code(f) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(PipelineError) as e:
        f.result(timeout=60)
    return e.value.code


def test_bad_tasks_fail_alone_and_the_others_go_on(pool: Pool) -> None:
    before = [pool.submit(faults.double, k) for k in range(3)]
    crash = pool.submit_limited(faults.segfault, timeout_s=20, label="page 1", source="a.pdf")
    hang = pool.submit_limited(faults.hang, timeout_s=2, label="page 2", source="b.pdf")
    eat = pool.submit(faults.eat_memory)
    after = [pool.submit(faults.double, k) for k in range(3, 8)]
    assert [f.result(timeout=60) for f in before + after] == [2 * k for k in range(8)]
    assert _code(crash) == "child_crashed" and _code(hang) == "timeout" and _code(eat) == "memory_limit"
    with pytest.raises(PipelineError, match="SIGSEGV"):
        crash.result()
    assert pool.stats.crashed == 2 and pool.stats.retried == 1  # the crash was tried once more, on a new child
    assert pool.stats.timeouts == 1 and pool.stats.memory == 1


def test_errors_cross_the_boundary_with_stage_and_trace() -> None:
    e = PipelineError("timeout", "page 3 took too long", source="x.pdf", stage="ocr", trace="Traceback ...")
    back = pickle.loads(pickle.dumps(e))
    assert (back.code, back.message, back.source, back.stage, back.trace) == (
        "timeout", "page 3 took too long", "x.pdf", "ocr", "Traceback ...")


def test_an_ordinary_exception_comes_back_as_itself(pool: Pool) -> None:
    f = pool.submit(int, "not a number")
    with pytest.raises(ValueError):
        f.result(timeout=60)
    assert pool.submit(faults.double, 21).result(timeout=60) == 42
