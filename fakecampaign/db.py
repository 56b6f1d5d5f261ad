"""The database: one per app, built from a URL. The only module that knows it may be SQLite.

Services write portable SQLAlchemy Core statements; this module compiles each one once for the engine's
dialect and runs it on the DBAPI connection. The ORM unit of work and Core's per-execute overhead cost
2-3x on the hot routes (../shared/reference/perf-baseline.md §2.1), so neither is on a request path.

Handlers are ``async def`` and run every statement on the event-loop thread, so one SQLite connection
(StaticPool) serves the whole process without lock contention (perf-baseline.md §2.3).

A transaction belongs to the task that opened it (the asyncio task, or the thread when no loop runs there):
that task may nest further ``transaction()`` blocks, which become SAVEPOINTs; no other task ever joins it.
See ``Database.transaction`` for what happens when another task asks for one meanwhile.

With ``shared=True`` (``serve --workers N``) other processes write the same file. A transaction then takes
a lock file shared by those processes and starts with ``BEGIN IMMEDIATE``, so a read-then-write unit of work
stays atomic across processes; the lock file makes a waiting writer wake the moment the other commits, where
SQLite's busy handler would sleep 1-100 ms. While ``READS_ONLY`` is set (the workers' GET and HEAD requests),
transactions take neither: WAL readers never wait. ``changed_elsewhere()`` tells the services when to drop
what they cached (SQLite's ``PRAGMA data_version``).

Group commit (``transaction(batched=True)``, ``settle()``): the writes of ``POST /event`` calls that run in the
same turn of the event loop share one COMMIT on the next turn. A commit costs about one WAL frame (a page write)
per B-tree touched, nine for a written event, so under concurrent load sharing it is most of what an event costs
(README "Performance"). Each call's writes still sit in a SAVEPOINT of their own (its failure undoes only them),
its caller answers only after ``settle()`` saw the shared COMMIT succeed, and any other transaction commits a
pending batch before it starts, so nothing but the batched calls themselves ever sees uncommitted writes.
"""

from __future__ import annotations

import asyncio
import fcntl
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Engine, Table, create_engine, event, insert
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.util.langhelpers import symbol

from fakecampaign.tables import METADATA  # importing it registers every table of fakecampaign/tables on it

Row = dict[str, Any]

# The batch the current task's last batched transaction joined: what ``Database.settle()`` waits for.
_SETTLE: ContextVar[asyncio.Future[None] | None] = ContextVar("fakecampaign_settle", default=None)
_PENDING = object()  # the owner of a batch no task is inside: no task's nested block may join it as its own

# True while the current request cannot write (serve --workers N sets it for GET and HEAD; fakecampaign/workers.py).
READS_ONLY: ContextVar[bool] = ContextVar("fakecampaign_reads_only", default=False)
WRITERS_SUFFIX = "-fakecampaign.writers"  # beside the file; .gitignore: *.sqlite3-*
# How long a thread waits for another thread's transaction to end; the same bound as SQLite's busy_timeout.
LOCK_TIMEOUT_SECONDS = 5.0


SAME_THREAD_CONFLICT = (
    "another task on this thread holds the open transaction (it awaited inside it); "
    "a transaction must not span an await"
)


class TransactionConflict(RuntimeError):
    """A task asked for a transaction while another task's transaction was open and it could not wait."""


SQLITE_PRAGMAS = (
    # WAL + synchronous=NORMAL: a killed process loses nothing committed; a power cut may lose the last
    # commits. That trade is documented in the README ("Durability").
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=5000",
    # Deletes cascade through foreign keys (ON DELETE CASCADE): a contact's tags, lists and values go with it.
    # SQLite leaves them unenforced unless asked, per connection.
    "PRAGMA foreign_keys=ON",
)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A statement compiled for one dialect, with the order its parameters are bound in."""

    sql: str
    names: tuple[str, ...] | None  # None: the driver takes named parameters
    defaults: Mapping[str, Any]

    def bind(self, params: Mapping[str, Any]) -> Any:
        merged = {**self.defaults, **params} if self.defaults else params
        if self.names is None:
            return merged
        return [merged[name] for name in self.names]


@dataclass(slots=True)
class _Batch:
    """A transaction that the writes of several tasks joined, each in its own SAVEPOINT, committed as one."""

    tx: Transaction
    conn: Any
    writers: IO[bytes] | None
    thread: int
    done: asyncio.Future[None]
    due: bool = False  # its commit came while a member was inside (it awaited there): commit when it leaves


class Transaction:
    """A DBAPI connection inside one unit of work; statements are compiled once per ``Database``."""

    def __init__(self, db: Database, dbapi_conn: Any) -> None:
        self._db = db
        self._conn = dbapi_conn

    def execute(self, stmt: ClauseElement, /, **params: Any) -> int:
        """Run a write; return the number of rows it touched."""
        cursor = self._run(stmt, params)
        count: int = cursor.rowcount
        cursor.close()
        return count

    def one(self, stmt: ClauseElement, /, **params: Any) -> Row | None:
        """Run a query (or an ``INSERT ... RETURNING``) and return its first row."""
        cursor = self._run(stmt, params)
        row = cursor.fetchone()
        result = None if row is None else dict(zip(_names(cursor), row, strict=True))
        cursor.close()
        return result

    def all(self, stmt: ClauseElement, /, **params: Any) -> list[Row]:
        """Run a query and return every row."""
        cursor = self._run(stmt, params)
        names = _names(cursor)
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        cursor.close()
        return rows

    def insert(self, table: Table, /, **values: Any) -> int:
        """Insert one row and return its new id (``INSERT ... RETURNING id``; on SQLite, the cursor's lastrowid)."""
        prepared = self._db.prepare_insert(table, tuple(values))
        cursor = self._conn.cursor()
        cursor.execute(prepared.sql, prepared.bind(values))
        new_id: int = cursor.lastrowid if self._db.rowids else cursor.fetchone()[0]
        cursor.close()
        return new_id

    def scalar(self, stmt: ClauseElement, /, **params: Any) -> Any:
        """Run a query and return the first column of its first row, or None."""
        row = self.one(stmt, **params)
        return None if row is None else next(iter(row.values()))

    def _run(self, stmt: ClauseElement, params: Mapping[str, Any]) -> Any:
        prepared = self._db.prepare(stmt)
        cursor = self._conn.cursor()
        cursor.execute(prepared.sql, prepared.bind(params))
        return cursor


class Database:
    """An engine, its schema, and transactions that run prepared statements."""

    def __init__(self, url: str, *, shared: bool = False) -> None:
        self.url = url
        self.shared = shared  # other processes use this database too (serve --workers N)
        self.engine = _make_engine(url)
        # On SQLite every table's integer ``id`` is its rowid, which the driver hands back after an INSERT:
        # RETURNING would cost a result row (~3 µs an insert, three of them per written event).
        self.rowids = url.startswith("sqlite")
        import fakecampaign.resources.catalog  # noqa: F401  (resource folders' tables; it imports this module)

        METADATA.create_all(self.engine)
        self._cache: dict[int, tuple[ClauseElement, Prepared]] = {}
        self._inserts: dict[tuple[str, tuple[str, ...]], Prepared] = {}
        self._shared = self.engine.raw_connection() if url.startswith("sqlite") else None
        self._writers = _writers_lock(self.engine) if shared and self._shared is not None else None
        self._data_version: int | None = None
        # One transaction at a time on this Database, owned by one task: ``_lock`` is held while it is open.
        self._lock = threading.Lock()
        self._active: Transaction | None = None
        self._owner: object = None  # the asyncio task or thread id that opened ``_active``
        self._owner_thread: int | None = None
        self._depth = 0  # savepoints open inside ``_active``
        self._batch: _Batch | None = None  # batched writes waiting for their COMMIT on the next loop turn

    def prepare(self, stmt: ClauseElement) -> Prepared:
        """Compile a statement for this dialect; module-level statements are compiled only once."""
        hit = self._cache.get(id(stmt))
        if hit is not None and hit[0] is stmt:
            return hit[1]
        compiled = stmt.compile(dialect=self.engine.dialect, compile_kwargs={"render_postcompile": True})
        prepared = _prepare(compiled)  # type: ignore[arg-type]
        if getattr(stmt, "_fc_cacheable", False):
            self._cache[id(stmt)] = (stmt, prepared)
        return prepared

    def prepare_insert(self, table: Table, columns: tuple[str, ...]) -> Prepared:
        """Compile ``INSERT INTO table (columns) ... RETURNING id`` once per table and column set."""
        key = (table.name, columns)
        prepared = self._inserts.get(key)
        if prepared is None:
            stmt = insert(table) if self.rowids else insert(table).returning(table.c.id)
            prepared = _prepare(stmt.compile(dialect=self.engine.dialect, column_keys=list(columns)))
            self._inserts[key] = prepared
        return prepared

    @contextmanager
    def transaction(self, *, batched: bool = False) -> Iterator[Transaction]:
        """One unit of work: committed when the outermost block ends, rolled back if it raises.

        ``batched=True`` (an async caller that then awaits ``settle()`` before it answers): on an event loop,
        the block's writes are committed together with those of other batched blocks of the same loop turn, on
        the next turn (see the module's docstring); without a running loop it is an ordinary block.

        Owned by the task that opens it. A block opened inside it by the same task is a SAVEPOINT: the caller
        can make several service calls atomic (loading a fixtures file), and an inner block that raises rolls
        back only its own writes. Another task never joins it:

        - another asyncio task on the same thread (possible only if the owner awaits inside its block) gets
          ``TransactionConflict`` at once. It cannot wait: this is synchronous code on the event loop, and the
          owner needs that loop to finish, so waiting would deadlock the server. Joining instead (the old
          behaviour) would let the owner's failure silently roll back the other task's write.
        - another thread (a sync handler in the threadpool, a background worker) waits until the owner is done,
          at most ``LOCK_TIMEOUT_SECONDS``, then gets ``TransactionConflict``. The owner runs elsewhere and
          needs nothing from the waiter, so waiting is safe and serializes writes on the one SQLite connection.
        """
        owner = _current_owner()
        if self._active is not None and self._owner == owner:
            with self._savepoint(self._active) as tx:
                yield tx
            return
        batch = self._batch
        if batch is not None and batch.thread == threading.get_ident():
            if self._owner is not _PENDING:
                raise TransactionConflict(SAME_THREAD_CONFLICT)  # another task is inside the batch's block
            if batched:
                with self._joined(batch, owner) as tx:
                    yield tx
                return
            self._commit_batch(batch)  # whatever comes next sees only committed writes
        loop = asyncio._get_running_loop() if batched and self._shared is not None else None
        self._acquire()
        conn = self._shared if self._shared is not None else self.engine.raw_connection()
        writers = self._writers if self._writers is not None and not READS_ONLY.get() else None
        if writers is not None or loop is not None:
            try:
                if writers is not None:
                    fcntl.flock(writers, fcntl.LOCK_EX)  # blocks this worker until the other's commit: microseconds
                # A batch begins explicitly: its members' SAVEPOINTs must not open (and commit) transactions.
                conn.cursor().execute("BEGIN IMMEDIATE" if writers is not None else "BEGIN")
            except BaseException:
                if writers is not None:
                    fcntl.flock(writers, fcntl.LOCK_UN)
                self._lock.release()
                raise
        if loop is not None:
            batch = self._batch = _Batch(
                Transaction(self, conn), conn, writers, threading.get_ident(), loop.create_future()
            )
            self._active, self._owner, self._owner_thread = batch.tx, owner, batch.thread
            loop.call_soon(self._commit_batch, batch)
            # The first block needs no SAVEPOINT: nothing else can be in the batch before it ends, so its
            # failure rolls the whole batch back.
            try:
                yield batch.tx
            except BaseException:
                self._owner = _PENDING
                self._abandon(batch)
                raise
            self._left(batch)
            return
        self._active = tx = Transaction(self, conn)
        self._owner, self._owner_thread = owner, threading.get_ident()
        try:
            yield tx
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            self._active, self._owner, self._owner_thread = None, None, None
            if writers is not None:
                fcntl.flock(writers, fcntl.LOCK_UN)
            self._lock.release()
            if conn is not self._shared:
                conn.close()

    @contextmanager
    def _joined(self, batch: _Batch, owner: object) -> Iterator[Transaction]:
        """One task's block inside a batch: its own SAVEPOINT, and its nested blocks become savepoints too."""
        self._owner = owner
        try:
            with self._savepoint(batch.tx) as tx:
                yield tx
        except BaseException:
            self._owner = _PENDING
            if batch.due:
                self._commit_batch(batch)
            raise
        self._left(batch)

    def _left(self, batch: _Batch) -> None:
        """A block of the batch ended well: its caller's ``settle()`` waits for the batch's commit."""
        self._owner = _PENDING
        if batch.due:
            self._commit_batch(batch)
        _SETTLE.set(batch.done)

    def _abandon(self, batch: _Batch) -> None:
        """The batch's first block failed: roll back, with nobody else in the batch to tell."""
        self._batch = None
        self._active, self._owner, self._owner_thread = None, None, None
        try:
            batch.conn.rollback()
        finally:
            batch.done.set_result(None)
            if batch.writers is not None:
                fcntl.flock(batch.writers, fcntl.LOCK_UN)
            self._lock.release()

    def _commit_batch(self, batch: _Batch) -> None:
        """Commit a batch (on the loop turn after it opened, or earlier when another transaction needs the
        connection) and tell its members how that went."""
        if self._batch is not batch:
            return  # already committed early
        if self._owner is not _PENDING:
            batch.due = True  # never commit a member's half-done block
            return
        self._batch = None
        self._active, self._owner, self._owner_thread = None, None, None
        try:
            batch.conn.commit()
        except BaseException as error:
            batch.conn.rollback()
            batch.done.set_exception(error)
            batch.done.exception()  # retrieved here: a batch whose members all left must not log it as lost
        else:
            batch.done.set_result(None)
        finally:
            if batch.writers is not None:
                fcntl.flock(batch.writers, fcntl.LOCK_UN)
            self._lock.release()

    async def settle(self) -> None:
        """Return once the writes of this task's last batched transaction are committed; raise if that failed."""
        done = _SETTLE.get()
        if done is not None:
            _SETTLE.set(None)
            # Shielded: a caller cancelled while waiting (its client left) must not cancel the other members' wait.
            await (done if done.done() else asyncio.shield(done))

    def _acquire(self) -> None:
        if self._lock.acquire(blocking=False):
            return
        if self._owner_thread == threading.get_ident():
            # Safe to read unlocked: only this thread could have set it to this thread's id.
            raise TransactionConflict(SAME_THREAD_CONFLICT)
        if not self._lock.acquire(timeout=LOCK_TIMEOUT_SECONDS):
            raise TransactionConflict(f"another thread held the transaction for over {LOCK_TIMEOUT_SECONDS} s")

    @contextmanager
    def _savepoint(self, tx: Transaction) -> Iterator[Transaction]:
        cursor = tx._conn.cursor()
        if self._shared is not None and not tx._conn.in_transaction:
            # sqlite3 begins a transaction lazily, before the first write; a SAVEPOINT outside one would open
            # (and its RELEASE commit) a transaction of its own, escaping the outer block's rollback.
            cursor.execute("BEGIN")
        self._depth += 1
        name = f"fc_sp_{self._depth}"
        cursor.execute(f"SAVEPOINT {name}")
        try:
            yield tx
        except BaseException:
            cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
            cursor.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            cursor.execute(f"RELEASE SAVEPOINT {name}")
        finally:
            self._depth -= 1
            cursor.close()

    def changed_elsewhere(self) -> bool:
        """True when another process may have committed since the last call (always, for a shared database
        that is not SQLite); False while this process is the only one using the database."""
        if not self.shared:
            return False
        if self._shared is None:
            return True
        version: int = self._shared.execute("PRAGMA data_version").fetchone()[0]
        changed, self._data_version = version != self._data_version, version
        return changed

    def dispose(self) -> None:
        if self._batch is not None:
            self._commit_batch(self._batch)
        if self._writers is not None:
            self._writers.close()
        if self._shared is not None:
            self._shared.close()
        self.engine.dispose()


def statement(stmt: ClauseElement) -> ClauseElement:
    """Mark a module-level statement as fixed, so each ``Database`` compiles it only once."""
    stmt._fc_cacheable = True  # type: ignore[attr-defined]
    return stmt


def _prepare(compiled: SQLCompiler) -> Prepared:
    names = tuple(compiled.positiontup or ()) if compiled.positional else None
    defaults = {k: v for k, v in compiled.params.items() if v is not None and not isinstance(v, symbol)}
    return Prepared(compiled.string, names, defaults)


def _current_owner() -> object:
    """The running asyncio task, else this thread's id (code outside any task, or a thread without a loop)."""
    loop = asyncio._get_running_loop()
    task = asyncio.current_task(loop) if loop is not None else None
    return task if task is not None else threading.get_ident()


def _names(cursor: Any) -> tuple[str, ...]:
    return tuple(col[0] for col in cursor.description)


def _writers_lock(engine: Engine) -> IO[bytes] | None:
    """The lock file every process sharing this SQLite file takes around a write transaction."""
    database = engine.url.database or ""
    if database in ("", ":memory:"):
        return None
    return open(database + WRITERS_SUFFIX, "ab")  # kept open as long as the Database


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()
