"""The inbox watcher: sees new files (inotify through watchdog, plus polling for network shares and a
periodic full rescan), waits until each is stable and opens as what it claims, then claims it.

Nothing here matters only in memory: the stability bookkeeping is rebuilt by the next scan, and a
file is either still in the inbox or claimed into the spool with a database row.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.intake.claim import Enqueue, claim
from pipeline.intake.recover import adopt_spool, requeue_stuck
from pipeline.read.pages import sniff_format

log = logging.getLogger(__name__)

# Office lock files, downloads and copies in progress, and what file managers and NAS boxes leave behind.
IGNORED = (
    "~$*", "*.tmp", "*.temp", "*.part", "*.partial", "*.crdownload", "*.download", ".~lock*", "~*.tmp",
    "Thumbs.db", "ehthumbs.db", "desktop.ini", ".DS_Store", "._*", "*.loi.txt", "*.trung-lap.txt",
    "*.*.json",  # a dossier sidecar (<file>.json) is read when its file is claimed (pipeline/index/dossiers.py)
)
IGNORED_DIRS = ("@eaDir", "#recycle", "$RECYCLE.BIN", "#snapshot", "System Volume Information")


TRUNCATED_AFTER_SECONDS = 60.0


def ignored(path: Path) -> bool:
    name = path.name
    return name.startswith(".") or any(fnmatch.fnmatch(name, pat) for pat in IGNORED)


def candidates(inbox: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(inbox):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in IGNORED_DIRS]
        for f in files:
            p = Path(root) / f
            if not ignored(p):
                yield p


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


def opens_as_claimed(path: Path) -> bool:
    """A file still being written often has a valid head but no end yet."""
    if path.is_symlink():
        return True  # never opened: intake quarantines the link itself
    try:
        fmt = sniff_format(path)
    except PipelineError as e:
        return e.code != "empty_file"  # a wrong format is final: let intake quarantine it
    if fmt == "pdf":
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 2048))
            return b"%%EOF" in f.read()
    if fmt == "jpeg":
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 64))
            return b"\xff\xd9" in f.read()
    if fmt == "png":
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 16))
            return b"IEND" in f.read()
    return True


class InboxWatcher:
    def __init__(self, settings: Settings, enqueue: Enqueue, *, on_claim: Callable[[Path], None] | None = None):
        self.settings = settings
        self.enqueue = enqueue
        self.on_claim = on_claim
        self.seen: dict[Path, _Seen] = {}
        self.wake = threading.Event()
        self.stop_event = threading.Event()
        self.last_full_scan = 0.0

    def scan_once(self) -> int:
        """One pass: claim every file that has been stable long enough. Returns how many were claimed."""
        now = time.monotonic()
        present = set()
        claimed = 0
        for path in candidates(self.settings.inbox):
            try:
                st = path.lstat()  # a link is not followed, not even to see whether it is stable
            except FileNotFoundError:
                continue
            present.add(path)
            prev = self.seen.get(path)
            if prev is None or prev.size != st.st_size or prev.mtime_ns != st.st_mtime_ns:
                self.seen[path] = _Seen(st.st_size, st.st_mtime_ns, now)
                if self.settings.stable_seconds > 0:
                    continue
                prev = self.seen[path]
            still = now - prev.since
            # A file that looks unfinished but has not changed for a long while is truncated for good:
            # claimed, and quarantined with that reason, instead of waiting in the inbox forever.
            if still < self.settings.stable_seconds or (
                    still < max(TRUNCATED_AFTER_SECONDS, 10 * self.settings.stable_seconds)
                    and not opens_as_claimed(path)):
                continue
            try:
                claim(path, self.settings, self.enqueue)
                claimed += 1
                self.seen.pop(path, None)
                if self.on_claim:
                    self.on_claim(path)
            except FileNotFoundError:
                self.seen.pop(path, None)  # taken by another watcher or moved away by the clerk
            except Exception:
                log.exception("could not claim %s; will try again", path)
        for gone in set(self.seen) - present:
            del self.seen[gone]
        return claimed

    def settle(self, *, full: bool) -> None:
        """Finish claims this process could not finish (the database or Redis was down): a claimed row
        whose job was not queued, and, on a full rescan, a spooled file that never got its row."""
        try:
            if full:
                adopt_spool(self.settings, self.enqueue)
            requeue_stuck(self.settings, self.enqueue, stalled=full)
        except Exception:
            log.exception("could not settle unfinished claims; will try again")

    def run(self) -> None:
        observer = None if self.settings.force_polling else self._start_observer()
        if observer is None:
            log.info("polling %s every %ss", self.settings.inbox, self.settings.poll_seconds)
        try:
            while not self.stop_event.is_set():
                now = time.monotonic()
                full = now - self.last_full_scan >= self.settings.rescan_seconds
                if full:
                    self.last_full_scan = now
                self.scan_once()
                self.settle(full=full)
                # Waiting files are re-checked each poll; a watchdog event wakes us earlier. Without
                # events every wait is a poll; with them the full rescan still catches missed events.
                idle = self.settings.rescan_seconds if observer is not None else self.settings.poll_seconds
                self.wake.wait(self.settings.poll_seconds if self.seen else min(idle, self.settings.rescan_seconds))
                self.wake.clear()
        finally:
            if observer is not None:
                observer.stop()
                observer.join(timeout=5)

    def stop(self) -> None:
        self.stop_event.set()
        self.wake.set()

    def _start_observer(self):  # type: ignore[no-untyped-def]
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:
            return None
        watcher = self

        class Wake(FileSystemEventHandler):
            def on_any_event(self, event):  # type: ignore[no-untyped-def]
                watcher.wake.set()

        observer = Observer()
        observer.schedule(Wake(), str(self.settings.inbox), recursive=True)
        try:
            observer.start()
        except OSError as e:  # inotify limits, or a share that has none: polling still works
            log.warning("no file events for %s (%s); polling every %ss", self.settings.inbox, e,
                        self.settings.poll_seconds)
            return None
        return observer
