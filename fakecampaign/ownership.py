"""One server per SQLite file: ``claim(url)`` takes an advisory lock beside the file for the life of the process.

A second ``fakecampaign serve`` on the same file is refused with one line, rather than two servers each trusting
its own credential caches. Sharing one file is ``serve --workers N``: one supervisor holds the lock and its
workers see each other's writes (db.py). The kernel drops the lock with the process, however it ends.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

LOCK_SUFFIX = "-fakecampaign.lock"  # demo.sqlite3 -> demo.sqlite3-fakecampaign.lock (.gitignore: *.sqlite3-*)


class DatabaseInUse(Exception):
    """Another fakecampaign process owns the database file."""


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names; None for an in-memory database or another kind of database."""
    from sqlalchemy.engine import make_url  # loaded by the app anyway; keeps `fakecampaign --help` light

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or parsed.query.get("mode") == "memory":
        return None
    return Path(database)


def claim(url: str) -> IO[str] | None:
    """Lock the database file ``url`` names for this process; keep the returned file open while serving."""
    path = sqlite_file(url)
    if path is None:
        return None
    lock_path = path.with_name(path.name + LOCK_SUFFIX)
    handle = lock_path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise DatabaseInUse(
            f"{path} is in use by another fakecampaign server (pid {holder}); stop it first, "
            "or serve the file from one server with --workers N"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
