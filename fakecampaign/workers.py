"""``serve --workers N``: N uvicorn worker processes on one socket and one SQLite file.

The supervisor (``fakecampaign serve``) builds the app once, so the file is created and seeded by one process,
then hands its settings to uvicorn's ``Multiprocess`` supervisor. Each worker imports ``app`` from here and
builds its own app on the same file (db.py's ``shared`` mode keeps them consistent).
"""

from __future__ import annotations

import gc
import os

from fastapi import FastAPI

from fakecampaign.app import create_app
from fakecampaign.config import Settings

SETTINGS_ENV = "FAKECAMPAIGN_WORKER_SETTINGS"  # the supervisor's resolved settings, as JSON
FACTORY = "fakecampaign.workers:app"


def app() -> FastAPI:
    """uvicorn's app factory in each worker process."""
    settings = Settings.model_validate_json(os.environ[SETTINGS_ENV])
    built = create_app(settings)
    gc.freeze()  # as in `fakecampaign serve`: start-up objects stay out of the collector's way
    return built
