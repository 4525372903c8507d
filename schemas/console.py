"""The operator console as /api/console returns it: queues, workers, throughput and the files that need
an operator (failed, held, stuck)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.document import UtcDatetime


class QueueState(BaseModel):
    name: str
    depth: int = Field(description="tasks waiting in the broker")
    oldest_seconds: float | None = Field(description="age of the oldest waiting task; null when none waits")


class RunningTask(BaseModel):
    task: str = Field(description="sohoa.ingest, sohoa.ocr_page or sohoa.finish")
    intake_id: int | None = None
    page: int | None = None
    seconds: float | None = Field(default=None, description="how long it has been running")


class WorkerState(BaseModel):
    name: str
    running: list[RunningTask]


class Broker(BaseModel):
    reachable: bool
    error: str | None = None
    queues: list[QueueState] = Field(default_factory=list)
    unacked: int = Field(default=0, description="tasks handed to a worker and not yet acknowledged")
    workers_answered: bool = Field(default=False, description="workers replied to the inspection in time")
    workers: list[WorkerState] = Field(default_factory=list)
    workers_seen_seconds_ago: float | None = Field(
        default=None, description="age of the workers' answer shown; more than 0 when a busy worker missed one")


class Minute(BaseModel):
    at: UtcDatetime = Field(description="start of the minute")
    files: int = Field(description="files that ended (stored, duplicate or quarantined) in that minute")
    pages: int = Field(description="pages of the documents recorded in that minute")


class FileProblem(BaseModel):
    intake_id: int
    unit: str | None = None
    role: str | None = None
    name: str = Field(description="file name; masked for roles that may not see personal data")
    inbox_path: str | None = Field(default=None, description="where it was dropped; masked likewise")
    state: str
    stage: str | None = Field(default=None, description="intake, plan, ocr, finish or operator")
    code: str | None = None
    reason: str | None = None
    trace: str | None = None
    attempts: int = 0
    received_at: UtcDatetime
    finished_at: UtcDatetime | None = None
    queued_at: UtcDatetime | None = None
    released_at: UtcDatetime | None = None
    actions: list[str] = Field(description="what an operator may do: retry, release, hold")


class Console(BaseModel):
    broker: Broker
    throughput: list[Minute]
    problems: list[FileProblem] = Field(description="failed and held files still in quarantine")
    in_progress: list[FileProblem] = Field(description="files claimed or queued, oldest first")
    recent: list[FileProblem] = Field(default_factory=list, description="files that ended last")
    flower_url: str | None = None
    generated_at: UtcDatetime


class ActionResult(BaseModel):
    intake_id: int
    action: str
    detail: str
