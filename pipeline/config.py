"""Settings from the environment (and a `.env` file), one object for the whole program."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("sohoa-data"))
    # Empty means: use the Redis at `redis_find` when one answers there, else start our own on a
    # socket in data_dir. An empty `redis_find` never looks and always starts our own.
    redis_url: str = ""
    redis_find: str = "redis://127.0.0.1:6379/0"
    database_url: str = ""
    s3_endpoint: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_bucket: str = "sohoa"
    s3_secure: bool = False
    s3_region: str = "us-east-1"

    ocr_lang: str = "vie"
    # pytesseract runs the `tesseract` program per page; tesserocr keeps the engine and its model loaded
    # in each worker process (pipeline/read/engine.py).
    ocr_engine: Literal["pytesseract", "tesserocr"] = "pytesseract"
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1)
    stable_seconds: float = 2.0
    poll_seconds: float = 1.0
    rescan_seconds: float = 300.0
    # Network shares (SMB/NFS) send no inotify events: 1 makes the watcher poll every poll_seconds.
    force_polling: bool = False
    # What becomes of a digitised file: `move` keeps it for the clerk in done/<yyyy-mm-dd>/, `delete` drops it.
    done_mode: Literal["move", "delete"] = "move"
    # 1: a well-formed unit code not in the unit table is added to it on first sight instead of quarantined.
    auto_units: bool = False
    review_threshold: float = 0.6
    # A metadata field read with less confidence than this (handwriting, OCR garbage) sends its document
    # to review with the field named, instead of storing a doubtful value as if it were sure.
    field_review_threshold: float = 0.6
    # Score thresholds of the Decision 766 indicators (default 1.0 each), e.g. '{"so_hoa_ho_so": 0.8}'.
    metric_thresholds: dict[str, float] = Field(default_factory=dict)
    task_soft_limit_per_page: float = 120.0
    # Limits on untrusted files, checked before the expensive work (pipeline/read/pages.py, pipeline/isolate.py).
    # A file bigger than this is refused unread (a 300 dpi colour scan is about 1 MB a page).
    max_file_mb: float = 500.0
    # Pages of one file: a bound dossier runs to a few hundred; a poster or a register book to more.
    max_pages: int = 2000
    # Pixels of one page image, decoded (an A0 plan at 300 dpi is 140 MP): above it a decompression bomb.
    max_pixels: int = 200_000_000
    # Longest side of a PDF page in points (1/72 in): 14,400 is the PDF limit without /UserUnit (5 m).
    max_page_points: float = 14_400.0
    # Nesting of a PDF's page tree and of its form XObjects (a form inside a form ...).
    max_depth: int = 32
    # Each file's reading runs in a child process (pipeline/isolate.py) with this much address space
    # (RLIMIT_AS, MB) and, per task, this wall clock: a page gets twice the tesseract limit plus
    # rendering time, planning or finishing a file this many seconds plus ten a page.
    child_memory_mb: int = 3072
    file_seconds: float = 600.0
    max_redeliveries: int = 2
    # How often a worker looks for tasks held by a worker that died (SIGKILL, power loss) and queues
    # them again; without it they would wait for the broker's visibility timeout (hours).
    orphan_check_seconds: float = 30.0
    # Last resort for a job lost on the way (a broker that lost data): a file queued this long ago whose
    # work dir has not changed since is queued again. Tasks are idempotent, so a wrong guess costs work.
    stall_seconds: float = 1800.0

    web_host: str = "127.0.0.1"
    web_port: int = 8640
    # Key that signs the web session cookie; empty: a random one kept in <data dir>/web-secret (0600).
    web_secret: str = ""
    # Password of the `admin` made on a first start with no users; empty: a random one written to
    # <data dir>/admin-password.txt (0600).
    web_admin_password: str = ""
    # 1 behind HTTPS (a TLS proxy): the session cookie is sent over HTTPS only, and browsers are told
    # to use HTTPS for this site from then on (Strict-Transport-Security).
    web_cookie_secure: bool = False
    # Failed logins allowed per user name and per client address within the window; past them a login
    # is refused (429) until the oldest failure is older than the window. Shared through Redis when set.
    web_login_failures_per_user: int = 5
    web_login_failures_per_address: int = 20
    web_login_window_seconds: float = 900.0
    # Addresses of the reverse proxies whose X-Forwarded-For gives the client's address (comma-separated,
    # `*` for any); behind a TLS proxy, its address, or every login seems to come from the proxy.
    web_trusted_proxies: str = "127.0.0.1"
    # Where operators reach Flower (the Celery task monitor), linked from the operator console; empty: no link.
    flower_url: str = ""

    @property
    def data(self) -> Path:
        return self.data_dir.resolve()

    @property
    def inbox(self) -> Path:
        return self.data / "inbox"

    @property
    def spool(self) -> Path:
        return self.data / "spool"

    @property
    def work(self) -> Path:
        return self.data / "work"

    @property
    def quarantine(self) -> Path:
        return self.data / "quarantine"

    @property
    def done(self) -> Path:
        return self.data / "done"

    @property
    def objects(self) -> Path:
        return self.data / "objects"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data / 'sohoa.db'}"

    def ensure_dirs(self) -> None:
        for d in (self.data, self.inbox, self.spool, self.work, self.quarantine):
            d.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
