"""Settings: every option is a ``FAKECAMPAIGN_<NAME>`` environment variable and, for ``serve``, a CLI flag."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fakecampaign.services.faults import MAX_RATE_LIMIT

# Defaults a demo user copies from the start-up banner; documented in README "Default account".
DEFAULT_ACCOUNT = "fake"
DEFAULT_API_TOKEN = "fake-api-token"
DEFAULT_ACTID = "123456789"
DEFAULT_EVENT_KEY = "fake-event-key"


class Settings(BaseSettings):
    """Configuration of one fakecampaign server. Built by the CLI or a test, passed to ``create_app``."""

    # env_ignore_empty: FAKECAMPAIGN_FIXTURES= (empty) means "no fixtures", e.g. to start the image without demo data.
    model_config = SettingsConfigDict(env_prefix="FAKECAMPAIGN_", extra="ignore", frozen=True, env_ignore_empty=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    db: Path | None = None
    database_url: str | None = None
    fixtures: Path | None = None
    account: str = DEFAULT_ACCOUNT
    api_token: str = DEFAULT_API_TOKEN
    actid: str = DEFAULT_ACTID
    event_key: str = DEFAULT_EVENT_KEY
    tracking: bool = True  # G16: on, so events land without a setup step (AC starts with it off)
    admin_token: str | None = None
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    request_journal_size: int = Field(default=1000, ge=0)
    # AC's limit is 5 v3 requests per second per account; off unless set (README "Faults and rate limits").
    rate_limit: int | None = Field(default=None, ge=0, le=MAX_RATE_LIMIT)
    log_level: str = "info"
    # Hardening limits (README "Hardening"): each one bounds what a single caller can make the server do.
    seed_dir: Path | None = None  # POST /_fakecampaign/seed {"path"} reads only here; default: --fixtures' dir
    seed_max_bytes: int = Field(default=10_485_760, ge=1)
    body_read_timeout: float = Field(default=30.0, gt=0)  # seconds for a whole request body to arrive (408)
    event_journal_size: int = Field(default=50_000, ge=1)  # /event journal entries kept overall (oldest go)
    event_journal_per_account: int = Field(default=10_000, ge=1)  # ... and per account
    max_header_bytes: int = Field(default=65_536, ge=1024)  # request line + headers; 431 beyond (serving.py)
    header_read_timeout: float = Field(default=10.0, gt=0)  # seconds for a request's head to arrive (408)
    keep_alive_timeout: float = Field(default=5.0, gt=0)  # seconds an idle connection stays open
    allowed_hosts: str | None = None  # "a,b": Host names besides loopback's; "*" any (api/guards.py)
    smtp_url: str | None = None  # smtp://host:port: every outbox email is also relayed there (README "Outbox")
    webhook_timeout: float = Field(default=10.0, gt=0, le=120)  # G95: seconds per delivery attempt (AC: unknown)
    workers: int = Field(default=1, ge=1, le=64)  # serve --workers N: processes sharing one --db file

    @field_validator("actid")
    @classmethod
    def _actid_is_nine_digits(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9]{9}", value):
            raise ValueError("actid must be exactly 9 digits, like ActiveCampaign's account ids")
        return value

    @field_validator("account", "api_token", "event_key")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @classmethod
    def documented_defaults(cls, **overrides: Any) -> Settings:
        """The documented defaults whatever the environment says (the pytest plugin's own server)."""
        defaults = {name: field.default for name, field in cls.model_fields.items()}
        return cls(**{**defaults, **overrides})

    def seed_root(self) -> Path | None:
        """The one directory a seed request may name a file in: ``seed_dir``, else the fixtures file's."""
        if self.seed_dir is not None:
            return self.seed_dir
        return self.fixtures.parent if self.fixtures is not None else None

    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL: explicit URL, else a SQLite file from ``db``, else in-memory SQLite."""
        if self.database_url:
            return self.database_url
        if self.db is not None:
            return f"sqlite:///{self.db}"
        return "sqlite://"
