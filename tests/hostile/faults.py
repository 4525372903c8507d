"""Fault injection for pipeline/isolate.py's children (SOHOA_ISOLATE_PRELOAD=tests.hostile.faults).

Imported when a child starts, it wraps the real rendering stage: a file whose name starts with
`segfault-` kills its child with SIGSEGV, `hang-` sleeps past any deadline, `eatmemory-` allocates until
the child's RLIMIT_AS stops it. Every other file goes through the real stage untouched. The test
functions below do the same for the pool's own tests."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from pipeline.read import ocr, pages

_real_render = pages.render


def _misbehave(name: str) -> None:
    if name.startswith("segfault-"):
        segfault()
    elif name.startswith("hang-"):
        hang()
    elif name.startswith("eatmemory-"):
        eat_memory()


def render(path: Path, fmt: pages.Format, spec: Any, **kw: Any) -> Any:
    _misbehave(Path(path).name)
    return _real_render(path, fmt, spec, **kw)


pages.render = render
ocr.render = render  # read_page calls the name it imported


def segfault(*_: object) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def hang(*_: object) -> None:
    time.sleep(3600)


def eat_memory(*_: object) -> None:
    hoard = []
    while True:
        hoard.append(bytearray(64 * 2**20))


def double(x: int) -> int:
    return 2 * x
