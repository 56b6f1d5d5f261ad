"""``serve --workers N``: N uvicorn worker processes on one socket and one SQLite file.

The supervisor (``fakecampaign serve``) builds the app once, so the file is created and seeded by one process,
then hands its settings to uvicorn's ``Multiprocess`` supervisor. Each worker imports ``app`` from here and
builds its own app on the same file (db.py's ``shared`` mode keeps them consistent).
"""

from __future__ import annotations

import gc
import os
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.db import READS_ONLY

SETTINGS_ENV = "FAKECAMPAIGN_WORKER_SETTINGS"  # the supervisor's resolved settings, as JSON
FACTORY = "fakecampaign.workers:app"
PROTOCOL = "fakecampaign.workers:WorkerHttp"  # uvicorn pickles the config: the class goes by name


SAFE_METHODS = frozenset({"GET", "HEAD"})


def _settings() -> Settings:
    return Settings.model_validate_json(os.environ[SETTINGS_ENV])


def __getattr__(name: str) -> Any:
    """``WorkerHttp``: serving.py's HTTP protocol with the supervisor's limits, built when a worker asks."""
    if name == "WorkerHttp":
        from fakecampaign.serving import protocol_for

        return protocol_for(_settings())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def app() -> ASGIApp:
    """uvicorn's app factory in each worker process."""
    settings = _settings()
    built = ReadsOnly(create_app(settings))
    gc.freeze()  # as in `fakecampaign serve`: start-up objects stay out of the collector's way
    return built


class ReadsOnly:
    """GET and HEAD run their transactions without the workers' write lock (db.READS_ONLY): reads never wait
    for another worker's write, and a read cannot make a worker wait."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        token = READS_ONLY.set(True)
        try:
            await self.app(scope, receive, send)
        finally:
            READS_ONLY.reset(token)
