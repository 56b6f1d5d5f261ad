"""fakecampaign/db.py on its own: units of work, savepoints, and which task owns an open transaction."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from fakecampaign import db as dbmod
from fakecampaign.db import Database, TransactionConflict, statement
from fakecampaign.tables import ACCOUNTS

NAMES = statement(select(ACCOUNTS.c.name).order_by(ACCOUNTS.c.id))
COUNT = statement(select(func.count()).select_from(ACCOUNTS))


@pytest.fixture(params=["memory", "file"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = "sqlite://" if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite3'}"
    database = Database(url)
    yield database
    database.dispose()


def add(tx: dbmod.Transaction, name: str) -> int:
    return tx.insert(
        ACCOUNTS,
        name=name,
        api_token=f"t-{name}",
        actid=f"a-{name}",
        event_key="k",
        created_at=0,
        tracking_enabled=True,
        from_start=False,
    )


class Boom(Exception):
    pass


def write_then_fail(db: Database, name: str) -> None:
    """A block that writes ``name`` and then raises ``Boom``."""
    try:
        with db.transaction() as tx:
            add(tx, name)
            raise Boom
    except Boom:
        return
    raise AssertionError("Boom was swallowed")  # pragma: no cover


def names(db: Database) -> list[str]:
    with db.transaction() as tx:
        return [row["name"] for row in tx.all(NAMES)]


def test_the_schema_keeps_what_acs_rules_rest_on() -> None:
    # Read back from the database the tables created: AC never hands a deleted row's id to a new one
    # (AUTOINCREMENT), a contact's, tag's, list's, field's, pipeline's or deal's rows go with it (ON DELETE
    # CASCADE), and emails and tag names are unique per account on their lower-cased keys.
    database = Database("sqlite://")
    try:
        with database.engine.connect() as conn:
            ddl = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all())
            cascades = {
                (name, row[2])
                for name in ddl
                if name != "sqlite_sequence"
                for row in conn.exec_driver_sql(f"PRAGMA foreign_key_list({name})").all()
                if row[6] == "CASCADE"
            }
    finally:
        database.dispose()
    assert {name for name, sql in ddl.items() if "AUTOINCREMENT" not in sql} == {"event_names", "sqlite_sequence"}
    assert cascades == {
        ("contact_lists", "contacts"),
        ("contact_lists", "lists"),
        ("contact_tags", "contacts"),
        ("contact_tags", "tags"),
        ("deal_notes", "deals"),
        ("deal_stages", "deal_groups"),
        ("deals", "contacts"),
        ("deals", "deal_groups"),
        ("deals", "deal_stages"),
        ("field_options", "fields"),
        ("field_rels", "fields"),
        ("field_values", "contacts"),
        ("field_values", "fields"),
        ("list_groups", "lists"),
    }
    assert "UNIQUE (account_id, email_key)" in ddl["contacts"]
    assert "UNIQUE (account_id, tag_type, tag_key)" in ddl["tags"]


def test_a_block_commits_when_it_ends_and_rolls_back_when_it_raises(db: Database) -> None:
    with db.transaction() as tx:
        add(tx, "kept")
    write_then_fail(db, "lost")
    assert names(db) == ["kept"]


def test_the_transaction_api(db: Database) -> None:
    with db.transaction() as tx:
        first = add(tx, "a")
        second = add(tx, "b")
        assert second == first + 1
        assert tx.scalar(COUNT) == 2
        assert tx.one(NAMES) == {"name": "a"}
        assert tx.all(NAMES) == [{"name": "a"}, {"name": "b"}]
        assert tx.execute(update(ACCOUNTS).values(event_key="x")) == 2
        assert tx.one(select(ACCOUNTS.c.id).where(ACCOUNTS.c.name == "zz")) is None
        assert tx.scalar(select(ACCOUNTS.c.id).where(ACCOUNTS.c.name == "zz")) is None


def test_a_fixed_statement_is_compiled_once(db: Database) -> None:
    assert db.prepare(NAMES) is db.prepare(NAMES)
    ad_hoc = select(ACCOUNTS.c.id)
    assert db.prepare(ad_hoc) is not db.prepare(ad_hoc)


def test_a_nested_block_that_raises_rolls_back_only_its_own_writes(db: Database) -> None:
    with db.transaction() as outer:
        add(outer, "before")
        write_then_fail(db, "inner")
        add(outer, "after")
    assert names(db) == ["before", "after"]


def test_a_nested_block_that_succeeds_is_still_undone_by_the_outer_failure(db: Database) -> None:
    def outer_fails() -> None:
        with db.transaction() as outer:
            outer.all(NAMES)  # reads only: sqlite3 has not begun a transaction yet
            with db.transaction() as inner:
                add(inner, "inner")
            with db.transaction(), db.transaction() as innermost:
                add(innermost, "innermost")
            raise Boom

    with pytest.raises(Boom):
        outer_fails()
    assert names(db) == []


def test_nesting_three_deep_unwinds_each_level(db: Database) -> None:
    with db.transaction() as tx:
        add(tx, "one")
        with db.transaction():
            add(tx, "two")
            write_then_fail(db, "three")
        with db.transaction():
            add(tx, "four")
    assert names(db) == ["one", "two", "four"]


def test_another_task_never_joins_an_open_transaction(db: Database) -> None:
    """Task A awaits inside its block; task B asking for a transaction meanwhile is refused, not joined, so
    A's failure cannot take B's write with it (the old Database handed B A's transaction)."""

    async def scenario() -> list[str]:
        opened = asyncio.Event()
        release = asyncio.Event()
        seen: list[str] = []

        async def a() -> None:
            try:
                with db.transaction() as tx:
                    add(tx, "a")
                    opened.set()
                    await release.wait()
                    raise Boom
            except Boom:
                seen.append("a rolled back")

        async def b() -> None:
            await opened.wait()
            try:
                with db.transaction() as tx:
                    add(tx, "b")
            except TransactionConflict as error:
                seen.append(str(error))
            release.set()

        await asyncio.gather(a(), b())
        return seen

    seen = asyncio.run(scenario())
    assert len(seen) == 2
    assert "must not span an await" in seen[0]
    assert seen[1] == "a rolled back"
    assert names(db) == []  # B's write was never mixed into A's transaction
    assert not db._lock.locked()


def test_a_task_nests_inside_its_own_transaction_across_an_await(db: Database) -> None:
    async def scenario() -> None:
        with db.transaction() as tx:
            add(tx, "x")
            await asyncio.sleep(0)
            with db.transaction() as inner:
                add(inner, "y")

    asyncio.run(scenario())
    assert names(db) == ["x", "y"]


class _SpyLock:
    """The Database's lock, announcing when a caller had to wait for it."""

    def __init__(self, lock: Any) -> None:
        self.lock = lock
        self.waiting = threading.Event()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        got: bool = self.lock.acquire(blocking=False)
        if got or not blocking:
            return got
        self.waiting.set()
        result: bool = self.lock.acquire(timeout=timeout)
        return result

    def release(self) -> None:
        self.lock.release()


def test_another_thread_waits_for_the_owner_then_runs_its_own_transaction(db: Database) -> None:
    spy = _SpyLock(db._lock)
    db._lock = spy  # type: ignore[assignment]
    failures: list[BaseException] = []
    opened = threading.Event()

    def owner() -> None:
        try:
            with db.transaction() as tx:
                add(tx, "owner")
                opened.set()
                if not spy.waiting.wait(timeout=10):
                    failures.append(AssertionError("the other thread never asked"))
                raise Boom  # the owner fails: the waiter's write must survive it
        except Boom:
            pass

    def waiter() -> None:
        with db.transaction() as tx:
            add(tx, "waiter")

    first = threading.Thread(target=owner)
    first.start()
    assert opened.wait(timeout=10)
    second = threading.Thread(target=waiter)
    second.start()
    first.join(timeout=10)
    second.join(timeout=10)
    assert not failures
    assert names(db) == ["waiter"]


def test_a_thread_that_waits_too_long_gets_a_clear_error(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dbmod, "LOCK_TIMEOUT_SECONDS", 0.01)
    errors: list[BaseException] = []

    def other() -> None:
        try:
            with db.transaction():
                pass
        except TransactionConflict as error:
            errors.append(error)

    with db.transaction() as tx:
        add(tx, "held")
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=10)
    assert len(errors) == 1
    assert "another thread" in str(errors[0])
    assert names(db) == ["held"]


def test_sync_code_in_a_worker_thread_is_its_own_owner(db: Database) -> None:
    """A sync handler run by the threadpool while a task is between transactions gets a transaction of its own."""

    async def scenario() -> None:
        def sync_handler() -> None:
            with db.transaction() as tx:
                add(tx, "worker")

        await asyncio.to_thread(sync_handler)
        with db.transaction() as tx:
            add(tx, "task")

    asyncio.run(scenario())
    assert names(db) == ["worker", "task"]


# --- group commit: transaction(batched=True) and settle() ------------------------------------------------


def committed_names(db: Database) -> list[str]:
    """What another connection sees: only committed rows (the app's own connection also sees a pending batch)."""
    other = sqlite3.connect(db.url.removeprefix("sqlite:///"))
    try:
        return [row[0] for row in other.execute("SELECT name FROM accounts ORDER BY id").fetchall()]
    finally:
        other.close()


@pytest.fixture
def file_db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    yield database
    database.dispose()


def test_batched_blocks_of_one_loop_turn_share_one_commit_on_the_next(file_db: Database) -> None:
    db = file_db
    seen: dict[str, list[str]] = {}

    async def writer(name: str) -> None:
        with db.transaction(batched=True) as tx:
            add(tx, name)
        seen[f"{name} before settle"] = committed_names(db)
        await db.settle()
        seen[f"{name} after settle"] = committed_names(db)

    async def scenario() -> None:
        await asyncio.gather(writer("a"), writer("b"))

    asyncio.run(scenario())
    assert seen["a before settle"] == []  # one batch, not yet committed
    assert seen["b before settle"] == []
    assert seen["a after settle"] == ["a", "b"] == seen["b after settle"]
    assert db._batch is None
    assert not db._lock.locked()


def test_a_batched_block_that_raises_undoes_only_its_own_writes(db: Database) -> None:
    async def good(name: str) -> None:
        with db.transaction(batched=True) as tx:
            add(tx, name)
        await db.settle()

    def bad_block() -> None:
        with db.transaction(batched=True) as tx:
            add(tx, "bad")
            with db.transaction() as inner:  # a nested block is a savepoint inside the member's own
                add(inner, "bad-inner")
            raise Boom

    async def bad() -> None:
        with pytest.raises(Boom):
            bad_block()
        await db.settle()  # nothing of its own to wait for

    async def scenario() -> None:
        await asyncio.gather(good("a"), bad(), good("c"))

    asyncio.run(scenario())
    assert names(db) == ["a", "c"]


def test_the_first_block_of_a_batch_that_raises_rolls_back_alone(file_db: Database) -> None:
    """The first block of a batch has no SAVEPOINT of its own (nothing else can be in the batch yet)."""
    db = file_db

    def bad_block() -> None:
        with db.transaction(batched=True) as tx:
            add(tx, "bad")
            raise Boom

    async def bad() -> None:
        with pytest.raises(Boom):
            bad_block()
        assert db._batch is None  # abandoned at once: the lock is free for the next block
        assert not db._lock.locked()
        await db.settle()

    async def good(name: str) -> None:
        with db.transaction(batched=True) as tx:
            add(tx, name)
        await db.settle()

    async def scenario() -> None:
        await asyncio.gather(bad(), good("a"), good("c"))

    asyncio.run(scenario())
    assert names(db) == ["a", "c"]
    assert committed_names(db) == ["a", "c"]


def test_any_other_transaction_commits_a_pending_batch_first(file_db: Database) -> None:
    db = file_db

    async def scenario() -> tuple[list[str], list[str]]:
        with db.transaction(batched=True) as tx:
            add(tx, "batched")
        assert committed_names(db) == []
        with db.transaction() as tx:  # not batched: it must start from committed state
            add(tx, "plain")
        after_plain = committed_names(db)
        await db.settle()  # already committed: returns at once
        return after_plain, committed_names(db)

    after_plain, after_settle = asyncio.run(scenario())
    assert after_plain == ["batched", "plain"] == after_settle


def test_without_a_running_loop_a_batched_block_commits_when_it_ends(file_db: Database) -> None:
    with file_db.transaction(batched=True) as tx:
        add(tx, "now")
    assert committed_names(file_db) == ["now"]
    assert file_db._batch is None
    assert not file_db._lock.locked()


class _FailingCommit:
    """The shared connection, whose COMMIT fails (a full disk, say)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def commit(self) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def test_a_failed_batch_commit_is_raised_to_every_member_and_nothing_is_kept(db: Database) -> None:
    real = db._shared
    db._shared = _FailingCommit(real)
    errors: list[str] = []

    async def writer(name: str) -> None:
        with db.transaction(batched=True) as tx:
            add(tx, name)
        try:
            await db.settle()
        except sqlite3.OperationalError as error:
            errors.append(f"{name}: {error}")

    async def scenario() -> None:
        await asyncio.gather(writer("a"), writer("b"))

    asyncio.run(scenario())
    db._shared = real
    assert errors == ["a: database or disk is full", "b: database or disk is full"]
    assert names(db) == []
    assert not db._lock.locked()


def test_a_task_that_awaits_inside_a_batched_block_still_refuses_others(db: Database) -> None:
    async def scenario() -> str:
        opened = asyncio.Event()
        release = asyncio.Event()

        async def a() -> None:
            with db.transaction(batched=True) as tx:
                add(tx, "a")
                opened.set()
                await release.wait()
            await db.settle()

        async def b() -> str:
            await opened.wait()
            try:
                with db.transaction(batched=True) as tx:
                    add(tx, "b")
            except TransactionConflict as error:
                return str(error)
            finally:
                release.set()
            return "joined"  # pragma: no cover

        return (await asyncio.gather(a(), b()))[1]

    assert "must not span an await" in asyncio.run(scenario())
    assert names(db) == ["a"]


def test_another_thread_waits_for_a_pending_batch_to_commit(file_db: Database) -> None:
    db = file_db
    spy = _SpyLock(db._lock)
    db._lock = spy  # type: ignore[assignment]
    seen: list[list[str]] = []

    def other_thread() -> None:
        with db.transaction() as tx:
            seen.append([row["name"] for row in tx.all(NAMES)])

    async def scenario() -> None:
        with db.transaction(batched=True) as tx:
            add(tx, "batched")
        thread = threading.Thread(target=other_thread)
        thread.start()
        await asyncio.to_thread(spy.waiting.wait, 5)  # the thread is blocked on the batch's lock
        await db.settle()
        await asyncio.to_thread(thread.join, 5)

    asyncio.run(scenario())
    assert spy.waiting.is_set()
    assert seen == [["batched"]]
