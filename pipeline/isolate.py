"""Untrusted bytes are read in child processes of our own, so that a crash, a hang or a memory blow-up
costs the file that caused it and nothing else (issue 12).

`ProcessPoolExecutor` breaks as a whole when one child dies (`BrokenProcessPool`): every later file
then failed as `internal_error`. `Pool` here keeps one child per slot, each started with
`resource.setrlimit` on its address space (RLIMIT_AS: a decompression bomb gets a MemoryError, not the
machine's memory) and on its CPU time per task (RLIMIT_CPU, a back-up for the wall clock), and gives
every task a wall-clock deadline that the parent enforces by killing the child's process group (the
child and the tesseract it may be running). A dead child is replaced; the task it was running fails
with a precise `PipelineError`:

- `timeout`: the deadline passed (or the CPU limit, SIGXCPU), never retried (it would hang again);
- `memory_limit`: the child ran out of its address space (MemoryError), or was killed by SIGKILL that
  was not ours (the kernel's out-of-memory killer);
- `child_crashed`: the child died of a signal or exited; the signal is named.

A task whose child died of a signal is retried once on a fresh child: it may have been the victim of
something else (the out-of-memory killer picks the biggest process, not the guilty one); a second
death is its own. Children are plain `python -m pipeline.isolate` processes (not multiprocessing's),
so they can be started from a Celery prefork child, which multiprocessing refuses ("daemonic
processes are not allowed to have children").

Fault injection for tests: SOHOA_ISOLATE_PRELOAD names a module every child imports when it starts
(tests/hostile/faults.py patches stage functions there to segfault, hang or eat memory on cue).
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import logging
import os
import pickle
import resource
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any, TypeVar

from pipeline.errors import PipelineError

log = logging.getLogger(__name__)
T = TypeVar("T")
PRELOAD_ENV = "SOHOA_ISOLATE_PRELOAD"
# A child whose resident memory grew past this share of its limit is replaced after its task:
# fragmentation after a large page would otherwise be carried into every later file.
RECYCLE_SHARE = 0.5
_EXIT_MEMORY = 86  # the child's exit status after a MemoryError (its heap may be in pieces)


@dataclass
class _Task:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    future: Future[Any]
    timeout: float
    label: str
    source: str | None
    id: int = 0
    tries: int = 0


@dataclass
class _Child:
    proc: subprocess.Popen[bytes]
    conn: Connection
    task: _Task | None = None
    deadline: float = 0.0
    killed_for_timeout: bool = False


@dataclass
class PoolStats:
    """What the pool saw, for logs and bench/hostile.py."""

    tasks: int = 0
    crashed: int = 0  # children that died of a signal or exited while running a task
    timeouts: int = 0
    memory: int = 0
    retried: int = 0
    started: int = 0
    max_rss_mb: float = 0.0  # the largest resident set of one child or of one process it ran (tesseract)
    causes: dict[str, int] = field(default_factory=dict)


class Pool(Executor):
    """An Executor whose tasks run in rlimited children; `submit_limited` gives a task its own deadline."""

    def __init__(self, workers: int, *, memory_mb: int, timeout: float = 600.0, retries: int = 1) -> None:
        self.workers = max(1, workers)
        self.memory_mb = memory_mb
        self.timeout = timeout
        self.retries = retries
        self.stats = PoolStats()
        self._pending: deque[_Task] = deque()
        self._children: list[_Child] = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        self._ids = itertools.count(1)
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="sohoa-isolate", daemon=True)
        self._thread.start()

    # --- the Executor interface --------------------------------------------------------------------
    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return self.submit_limited(fn, *args, timeout_s=self.timeout, **kwargs)

    def submit_limited(
        self, fn: Callable[..., T], /, *args: Any, timeout_s: float, label: str = "", source: str | None = None,
        **kwargs: Any,
    ) -> Future[T]:
        future: Future[T] = Future()
        task = _Task(fn, args, kwargs, future, timeout_s, label or getattr(fn, "__name__", "task"), source,
                     next(self._ids))
        with self._lock:
            if self._closing:
                raise RuntimeError("the pool is shut down")
            self._pending.append(task)
        self._wake()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closing = True
            if cancel_futures:
                while self._pending:
                    self._pending.popleft().future.cancel()
        self._wake()
        if wait:
            self._thread.join()

    # --- the parent's loop -------------------------------------------------------------------------
    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._closing and not self._pending and all(c.task is None for c in self._children):
                        break
                self._assign()
                busy = [c for c in self._children if c.task is not None]
                now = time.monotonic()
                wait_s = min((c.deadline - now for c in busy), default=5.0)
                ready = wait([self._wake_r, *(c.conn for c in busy)], timeout=max(0.0, min(wait_s, 5.0)))
                if self._wake_r in ready:
                    with contextlib.suppress(BlockingIOError):
                        os.read(self._wake_r, 4096)
                for c in busy:
                    if c.conn in ready:
                        self._receive(c)
                now = time.monotonic()
                for c in busy:
                    if c.task is not None and now >= c.deadline:
                        c.killed_for_timeout = True
                        self._kill(c)
                        self._died(c)
        finally:
            for c in self._children:
                self._stop_child(c)
            self._children.clear()
            os.close(self._wake_r)
            os.close(self._wake_w)

    def _assign(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    return
                idle = next((c for c in self._children if c.task is None), None)
                if idle is None and len(self._children) >= self.workers:
                    return
                task = self._pending.popleft()
            if task.tries == 0 and not task.future.set_running_or_notify_cancel():
                continue
            child = idle or self._start_child()
            if child is None:
                continue  # could not start a child: the task has already failed
            self._send(child, task)

    def _start_child(self) -> _Child | None:
        parent_end, child_end = Pipe(duplex=True)
        env = dict(os.environ)
        # The child imports what the parent imports (tests' own modules too, for fault injection).
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline.isolate", str(child_end.fileno()), str(self.memory_mb)],
                pass_fds=(child_end.fileno(),), env=env, start_new_session=True, stdin=subprocess.DEVNULL,
            )
        except OSError as e:
            child_end.close()
            parent_end.close()
            log.error("could not start a child process: %s", e)
            return None
        finally:
            with contextlib.suppress(OSError):
                child_end.close()
        child = _Child(proc, parent_end)
        self._children.append(child)
        self.stats.started += 1
        return child

    def _send(self, child: _Child, task: _Task) -> None:
        task.tries += 1
        child.task = task
        child.deadline = time.monotonic() + task.timeout
        child.killed_for_timeout = False
        try:
            blob = pickle.dumps((task.fn, task.args, task.kwargs))
        except (pickle.PicklingError, TypeError, AttributeError) as e:
            child.task = None
            task.future.set_exception(e)
            return
        try:
            child.conn.send((task.id, task.timeout, blob))
        except OSError:
            self._died(child)  # the child is gone already

    def _receive(self, child: _Child) -> None:
        try:
            kind, task_id, payload, trace, rss = child.conn.recv()
        except (EOFError, OSError):
            self._died(child)
            return
        except Exception as e:  # a result that does not unpickle here
            kind, task_id, payload, trace, rss = "err", child.task.id if child.task else 0, e, "", (0.0, 0.0)
        task = child.task
        if task is None or task.id != task_id:
            return
        child.task = None
        self.stats.tasks += 1
        peak, now_mb = rss
        self.stats.max_rss_mb = max(self.stats.max_rss_mb, peak)
        if kind == "ok":
            task.future.set_result(payload)
        else:
            if isinstance(payload, PipelineError) and payload.code == "memory_limit":
                self.stats.memory += 1
            if trace and not isinstance(payload, PipelineError):
                log.error("%s of %s failed in its child:\n%s", task.label, task.source, trace)
            task.future.set_exception(payload)
        if kind == "dying" or now_mb > RECYCLE_SHARE * self.memory_mb:
            self._stop_child(child)

    def _died(self, child: _Child) -> None:
        """The child is dead (or killed for its deadline): replace it, fail or retry its task."""
        task = child.task
        child.task = None
        code = self._reap(child)
        if child in self._children:
            self._children.remove(child)
        if task is None:
            return
        cause = _cause(code, child.killed_for_timeout)
        self.stats.causes[cause] = self.stats.causes.get(cause, 0) + 1
        where = f"{task.label} of {task.source}" if task.source else task.label
        if child.killed_for_timeout or code == -signal.SIGXCPU:
            self.stats.timeouts += 1
            log.warning("child %d killed: %s took longer than %.0f s; replaced", child.proc.pid, where, task.timeout)
            task.future.set_exception(PipelineError(
                "timeout", f"{task.label} took longer than {task.timeout:.0f} s", source=task.source))
            return
        if code == _EXIT_MEMORY:
            self.stats.memory += 1
            task.future.set_exception(PipelineError(
                "memory_limit", f"{task.label} needed more than {self.memory_mb} MB", source=task.source))
            return
        self.stats.crashed += 1
        if task.tries <= self.retries:
            self.stats.retried += 1
            log.warning("child %d died (%s) during %s; replaced, the task is tried once more", child.proc.pid,
                        cause, where)
            with self._lock:
                self._pending.appendleft(task)
            return
        log.warning("child %d died (%s) during %s again; replaced, the file is given up", child.proc.pid, cause,
                    where)
        if code == -signal.SIGKILL:
            task.future.set_exception(PipelineError(
                "memory_limit", f"{task.label}: its process was killed (SIGKILL), most likely by the system's "
                "out-of-memory killer", source=task.source))
        else:
            task.future.set_exception(PipelineError(
                "child_crashed", f"{task.label}: the process reading the file {cause}", source=task.source))

    def _reap(self, child: _Child) -> int | None:
        with contextlib.suppress(OSError):
            child.conn.close()
        try:
            return child.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._kill(child)
            return child.proc.wait()

    def _kill(self, child: _Child) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.proc.pid, signal.SIGKILL)  # the child and the tesseract it may be running

    def _stop_child(self, child: _Child) -> None:
        """An idle child: closing its end makes it exit; one that does not is killed."""
        if child in self._children:
            self._children.remove(child)
        with contextlib.suppress(OSError):
            child.conn.close()
        try:
            child.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._kill(child)
            child.proc.wait()


def _cause(code: int | None, timed_out: bool) -> str:
    if timed_out:
        return "timeout"
    if code is None:
        return "unknown"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    if code == _EXIT_MEMORY:
        return "ran out of memory"
    return f"exited with status {code}"


# --- the child ---------------------------------------------------------------------------------------
def _limit(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not fill the disk with core files


def _cpu_limit(seconds: float) -> None:
    """Soft CPU limit for the next task: what this process has used so far, plus the task's time. The
    hard limit stays unlimited so that the next task can move the soft one again."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (int(spent + seconds) + 1, hard))


def _rss() -> tuple[float, float]:
    """(peak of this process or of a process it waited for, MB; resident now, MB)."""
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    try:
        with open("/proc/self/statm") as f:
            now = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        now = 0.0
    return peak_kb / 1024, now


def _reply(conn: Connection, kind: str, task_id: int, payload: Any, trace: str) -> None:
    try:
        conn.send((kind, task_id, payload, trace, _rss()))
    except (pickle.PicklingError, TypeError, AttributeError) as e:  # a result or an exception that won't pickle
        err = PipelineError("internal_error", f"{payload!r} could not be sent back: {e}", trace=trace)
        conn.send(("err", task_id, err, trace, _rss()))


def _die_with_parent() -> None:
    """Linux: the child is killed when the process that started it dies (a Celery prefork child killed by
    its hard time limit), instead of running on unobserved."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _serve(fd: int, memory_mb: int) -> None:
    _die_with_parent()
    _limit(memory_mb)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a child stops (Ctrl-C reaches it)
    if preload := os.environ.get(PRELOAD_ENV):
        importlib.import_module(preload)
    conn = Connection(fd)
    while True:
        try:
            task_id, seconds, blob = conn.recv()
        except (EOFError, OSError):
            return
        _cpu_limit(seconds)
        args: tuple[Any, ...] = ()
        try:
            fn, args, kwargs = pickle.loads(blob)
            result = fn(*args, **kwargs)
        except MemoryError:
            err = PipelineError("memory_limit", f"needed more than {memory_mb} MB of memory",
                                source=_source_of(args))
            with contextlib.suppress(Exception):
                _reply(conn, "dying", task_id, err, "")
            os._exit(_EXIT_MEMORY)
        except BaseException as e:
            trace = traceback.format_exc()
            if isinstance(e, PipelineError) and e.trace is None and e.code == "internal_error":
                e.trace = trace
            try:
                pickle.loads(pickle.dumps(e))
            except Exception:
                e = PipelineError("internal_error", repr(e), trace=trace)
            _reply(conn, "err", task_id, e, trace)
        else:
            _reply(conn, "ok", task_id, result, "")


def _source_of(args: tuple[Any, ...]) -> str | None:
    return str(args[0]) if args and isinstance(args[0], str | os.PathLike) else None


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]))
