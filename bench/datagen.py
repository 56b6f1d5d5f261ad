"""Accounts with 10k / 100k / 1M tracking logs, written straight into a fakecampaign database file.

The server creates the file, its schema and its default account (started once on the file, then stopped);
contacts, tracking_logs and activities are then bulk-inserted with stdlib sqlite3. Columns come from the
package's own table definitions at run time, so columns added later get their defaults. One target contact
has exactly 100 logs; the other logs go round-robin to size/100 - 1 more contacts (100 each), so only the
account's size grows. Files are cached under bench/results/db/, keyed by size and a schema fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from bench import servers
from bench.options import ACCOUNT, RESULTS

LOGS_PER_CONTACT = 100
T0 = 1_764_000_000  # epoch seconds of the first generated log
EVENTS = ("login", "purchase", "page view", "file download request")
TARGET_EMAIL = "bench-target@example.com"


@dataclass(frozen=True)
class GeneratedDb:
    path: Path
    size: int
    account_id: int
    target_contact_id: int
    seconds_to_build: float


def _metadata_tables() -> dict[str, Table]:
    from fakecampaign.tables import METADATA  # importing it registers every table

    return dict(METADATA.tables)


def schema_fingerprint() -> str:
    dialect = sqlite_dialect.dialect()
    ddl: list[str] = []
    for name, table in sorted(_metadata_tables().items()):
        ddl.append(name + str(CreateTable(table).compile(dialect=dialect)))
        ddl += sorted(str(CreateIndex(ix).compile(dialect=dialect)) for ix in table.indexes)
    return hashlib.sha1("\n".join(ddl).encode()).hexdigest()[:10]


def ensure(size: int, log_dir: Path) -> GeneratedDb:
    """The cached database for ``size`` logs, built first if missing."""
    cache = RESULTS / "db"
    cache.mkdir(parents=True, exist_ok=True)
    key = f"logs-{size}-{schema_fingerprint()}"
    path, meta = cache / f"{key}.sqlite3", cache / f"{key}.json"
    if path.exists() and meta.exists():
        info = json.loads(meta.read_text())
        return GeneratedDb(path=path, **{k: v for k, v in info.items() if k != "path"})
    for stale in cache.glob(f"logs-{size}-*"):  # built for an older schema
        stale.unlink()
    partial = cache / f"{key}.partial.sqlite3"
    print(f"bench: building an account with {size:,} tracking logs (cached for later runs)", flush=True)
    started = time.perf_counter()
    with servers.fakecampaign(log_dir, db=partial, cpu=None, name=f"datagen-{size}") as server:
        server.wait_ready()
    account_id, target = _fill(partial, size)
    wal = Path(f"{partial}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RuntimeError(f"{wal} still holds un-checkpointed pages; not caching {partial}")
    wal.unlink(missing_ok=True)
    Path(f"{partial}-shm").unlink(missing_ok=True)
    os.replace(partial, path)
    built = GeneratedDb(path, size, account_id, target, round(time.perf_counter() - started, 1))
    meta.write_text(json.dumps({**asdict(built), "path": str(path)}, indent=1))
    return built


def _fill(path: Path, size: int) -> tuple[int, int]:
    tables = _metadata_tables()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")  # 256 MiB: index builds stay in memory
        row = conn.execute("SELECT id FROM accounts WHERE name = ?", (ACCOUNT,)).fetchone()
        if row is None:
            raise RuntimeError(f"the server did not create its default account {ACCOUNT!r}")
        account_id = int(row[0])
        first_contact = _next_id(conn, "contacts")
        first_log = _next_id(conn, "tracking_logs")
        first_activity = _next_id(conn, "activities")
        n_contacts = size // LOGS_PER_CONTACT
        conn.execute("BEGIN")
        _insert(conn, tables["contacts"], _contacts(account_id, first_contact, n_contacts))
        logs = _logs(account_id, first_contact, n_contacts, first_log, size)
        _insert(conn, tables["tracking_logs"], logs)
        activities = _activities(account_id, first_contact, n_contacts, first_log, first_activity, size)
        _insert(conn, tables["activities"], activities)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return account_id, first_contact
    finally:
        conn.close()


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0])


def _contacts(account_id: int, first_id: int, count: int) -> Iterator[dict[str, Any]]:
    for i in range(count):
        email = TARGET_EMAIL if i == 0 else f"bench-{i}@example.com"
        cdate = T0 - 86_400 + i
        yield {
            "id": first_id + i,
            "account_id": account_id,
            "email": email,
            "email_key": email,
            "first_name": f"Bench{i}",
            "last_name": "Contact",
            "hash": hashlib.md5(email.encode()).hexdigest(),
            "cdate": cdate,
            "udate": cdate,
        }


def _logs(account_id: int, first_contact: int, n_contacts: int, first_id: int, size: int) -> Iterator[dict[str, Any]]:
    for i in range(size):
        yield {
            "id": first_id + i,
            "account_id": account_id,
            "contact_id": first_contact + i % n_contacts,
            "type": EVENTS[i % len(EVENTS)],
            "value": f"n={i}",
            "tstamp": T0 + i,
            "hash": hashlib.sha1(i.to_bytes(8, "little")).hexdigest(),
        }


def _activities(
    account_id: int, first_contact: int, n_contacts: int, first_log: int, first_id: int, size: int
) -> Iterator[dict[str, Any]]:
    for i in range(size):
        yield {
            "id": first_id + i,
            "account_id": account_id,
            "contact_id": first_contact + i % n_contacts,
            "tracking_log_id": first_log + i,
            "reference_type": "TrackingLog",
            "reference_action": EVENTS[i % len(EVENTS)],
            "tstamp": T0 + i,
        }


def _insert(conn: sqlite3.Connection, table: Table, rows: Iterator[dict[str, Any]]) -> None:
    """executemany over every column we know plus the defaults of those we don't (server defaults excluded)."""
    columns = [c for c in table.columns if c.server_default is None or c.name == "id"]
    fillers = {c.name: _filler(c) for c in columns}
    names = [c.name for c in columns]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn.executemany(sql, ([row.get(n, fillers[n]) for n in names] for row in rows))


def _filler(column: Any) -> Any:
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg
    if column.nullable:
        return None
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return None
    return {int: 0, str: "", bool: False, float: 0.0}.get(kind)
