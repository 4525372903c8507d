"""What an operator does to a file from the console: retry a failed one, release one they held, hold
(send to quarantine) one still in progress. Each keeps intake's exactly-once guarantee.

- Retry and release take the path a clerk takes: the quarantined file is moved back to where it was
  dropped in the inbox, and the watcher claims it as a new intake (fresh start count, fresh note);
  the old intake is marked released first, by compare-and-set, so of two operators releasing the same
  file at once one moves it and the other is told it was released already; a clerk who moved it back
  by hand meanwhile leaves nothing to move, and the claim of that file marks the old intake
  (`claim.supersede`) just the same.
- Hold ends a pending intake in quarantine by the same compare-and-set as any other end
  (`claim.quarantine`): if a worker stored the file first, the hold is refused and nothing moves; if
  the hold wins, a worker still busy with it finds the intake ended and gives up (its document, if it
  got that far, is recognised as the file's copy when the file is released).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.identity import sha256_file
from pipeline.intake.claim import get_intake, quarantine
from pipeline.intake.handback import move_file, note_path, quarantine_path
from pipeline.keep import db
from pipeline.keep.models import PENDING, QUARANTINED, Intake

log = logging.getLogger(__name__)
HELD = "held"  # error code of a file an operator sent to quarantine


class OperationError(Exception):
    """An action that cannot be done on this file now; the message says which file and why."""


class NoSuchIntake(OperationError):
    pass


def _row(settings: Settings, intake_id: int) -> Intake:
    try:
        return get_intake(settings, intake_id)
    except PipelineError as e:
        raise NoSuchIntake(f"no intake {intake_id}") from e


@dataclass(frozen=True)
class Outcome:
    intake_id: int
    action: str  # retry, release, hold
    detail: str  # what happened, in English (the console translates the codes)
    inbox_path: str | None = None


def _quarantined_copy(settings: Settings, row: Intake) -> Path | None:
    """Where the file sits in quarantine: at its place, or under a free name beside it (`name (1).pdf`)
    when a file of the same name was quarantined before; recognised by its content."""
    first = quarantine_path(settings, row)
    candidates = [first, *sorted(first.parent.glob(f"{first.stem} (*){first.suffix}"))]
    for path in candidates:
        try:
            if path.is_file() and path.stat().st_size == row.size and sha256_file(path) == row.sha256:
                return path
        except OSError:
            continue
    return None


def _free_inbox_path(settings: Settings, rel: str) -> Path:
    """The file's place in the inbox; if the clerk has put another file there meanwhile, a free name beside it."""
    dest = settings.inbox / rel
    for i in range(1, 1000):
        if not dest.exists():
            return dest
        dest = (settings.inbox / rel).with_name(f"{Path(rel).stem} ({i}){Path(rel).suffix}")
    raise OperationError(f"intake {rel}: no free name in the inbox")


def _back_to_inbox(settings: Settings, intake_id: int, by: str, action: str) -> Outcome:
    row = _row(settings, intake_id)
    if row.state != QUARANTINED:
        raise OperationError(f"intake {intake_id} is {row.state}, not in quarantine")
    if row.released_at is not None:
        raise OperationError(f"intake {intake_id} was already released by {row.released_by}")
    if not row.inbox_path:
        raise OperationError(f"intake {intake_id} was given to `sohoa process`, not dropped in the inbox: "
                             "run it again there")
    held = row.error_code == HELD
    if action == "release" and not held:
        raise OperationError(f"intake {intake_id} failed ({row.error_code}); retry it instead")
    if action == "retry" and held:
        raise OperationError(f"intake {intake_id} was held by an operator; release it instead")
    with db.session_scope(settings.db_url) as s:  # compare-and-set: of two operators at once, one releases
        won = s.execute(update(Intake).where(Intake.id == intake_id, Intake.state == QUARANTINED,
                                             Intake.released_at.is_(None))
                        .values(released_at=datetime.now(UTC), released_by=by)).rowcount  # type: ignore[attr-defined]
    if not won:
        by_whom = get_intake(settings, intake_id).released_by
        raise OperationError(f"intake {intake_id} was already released by {by_whom}")
    copy = _quarantined_copy(settings, row)
    detail = "moved back to the inbox"
    try:
        if copy is None:
            raise FileNotFoundError(row.inbox_path)
        dest = _free_inbox_path(settings, row.inbox_path)
        move_file(copy, dest)
    except FileNotFoundError:
        detail = "no longer in quarantine (moved back already?)"
    except OSError as e:
        with db.session_scope(settings.db_url) as s:  # not moved: it stays on the list
            s.execute(update(Intake).where(Intake.id == intake_id).values(released_at=None, released_by=None))
        raise OperationError(f"intake {intake_id}: cannot move {copy} back to the inbox: {e}") from e
    else:
        note_path(copy).unlink(missing_ok=True)
        log.info("intake %s: %s by %s to inbox/%s", intake_id, action, by, dest.relative_to(settings.inbox))
    return Outcome(intake_id, action, detail, row.inbox_path)


def retry(settings: Settings, intake_id: int, by: str) -> Outcome:
    """A file that failed: back to its place in the inbox, to be digitised again."""
    return _back_to_inbox(settings, intake_id, by, "retry")


def release(settings: Settings, intake_id: int, by: str) -> Outcome:
    """A file an operator held: back to its place in the inbox, to go on."""
    return _back_to_inbox(settings, intake_id, by, "release")


def hold(settings: Settings, intake_id: int, by: str) -> Outcome:
    """Send a file still in progress to quarantine (it loops, or it should not be processed yet)."""
    row = _row(settings, intake_id)
    if row.state not in PENDING:
        raise OperationError(f"intake {intake_id} is {row.state}: only a file in progress can be held")
    after = quarantine(intake_id, settings, PipelineError(HELD, f"sent to quarantine by {by}", stage="operator"))
    if after.state != QUARANTINED or after.error_code != HELD:
        raise OperationError(f"intake {intake_id} ended as {after.state} before it could be held")
    return Outcome(intake_id, "hold", "sent to quarantine", row.inbox_path)
