"""Settings from the environment (and a `.env` file), one object for the whole program."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROLES: tuple[str, ...] = ("thanh_phan", "ket_qua_xu_ly", "ket_qua")
# Inbox folder names are the role codes with hyphens, as clerks see them.
ROLE_FOLDERS: dict[str, str] = {r.replace("_", "-"): r for r in ROLES}


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
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1)
    stable_seconds: float = 2.0
    poll_seconds: float = 1.0
    rescan_seconds: float = 300.0
    review_threshold: float = 0.6
    task_soft_limit_per_page: float = 120.0
    max_redeliveries: int = 2

    web_host: str = "127.0.0.1"
    web_port: int = 8640

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
