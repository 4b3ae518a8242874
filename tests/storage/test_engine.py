"""Tests of the SQLite engine and transactions: pragmas, WAL snapshots, queued writers, atomic units of work."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text

from desktop_app.domain.program import Program
from desktop_app.storage.database import Database
from desktop_app.storage.engine import BUSY_TIMEOUT_MS, create_sqlite_engine, writer_engine
from desktop_app.sync.records import SyncState
from tests.storage.builders import (
    NOW,
    background,
    make_contract,
    make_organization,
    make_program,
    row_count,
    wait_for,
)


class WriteFailedError(Exception):
    """Raised on purpose inside a write block."""


def _pragma(connection: Connection, name: str) -> object:
    return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_every_new_connection_has_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "engine.sqlite3")
    try:
        # Two connections at once, so the second one is new as well (not the first one from the pool).
        with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):
                assert _pragma(connection, "journal_mode") == "wal"
                assert _pragma(connection, "foreign_keys") == 1
                assert _pragma(connection, "busy_timeout") == BUSY_TIMEOUT_MS
        assert BUSY_TIMEOUT_MS >= 1000
    finally:
        engine.dispose()


def test_the_file_is_in_wal_mode_for_other_programs_too(database: Database) -> None:
    with closing(sqlite3.connect(database.path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_engine_creates_missing_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "нет" / "такой" / "папки" / "pfdo.sqlite3"
    engine = create_sqlite_engine(path)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
    finally:
        engine.dispose()
    assert path.is_file()


def test_writer_takes_the_write_lock_at_begin_and_reader_does_not(tmp_path: Path) -> None:
    path = tmp_path / "locks.sqlite3"
    engine = create_sqlite_engine(path)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
        with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as other:
            with engine.begin() as reader:
                reader.execute(text("SELECT count(*) FROM probe")).scalar()
                other.execute("BEGIN IMMEDIATE")  # the reader holds no write lock: this succeeds at once
                other.execute("ROLLBACK")
            with writer_engine(engine).begin() as writer:
                writer.execute(text("SELECT 1"))
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
    finally:
        engine.dispose()


def test_reader_is_not_blocked_by_an_open_write_transaction(database: Database) -> None:
    program = make_program()
    inside_write = threading.Event()
    release_writer = threading.Event()

    def write_and_hold() -> None:
        with database.write() as work:
            work.programs.save(program, NOW)
            inside_write.set()
            wait_for(release_writer, "the reader has finished")

    with background(write_and_hold, name="holding-writer", on_exit=[release_writer]):
        wait_for(inside_write, "the writer has saved a program")
        with database.read() as work:
            assert work.programs.get(program.id) is None  # uncommitted: invisible, and no wait for the lock
            assert work.programs.list_all() == []
        release_writer.set()

    with database.read() as work:
        assert work.programs.get(program.id) == program


def test_reader_keeps_its_snapshot_while_a_writer_commits(database: Database) -> None:
    program = make_program()
    writer_committed = threading.Event()

    def write() -> None:
        with database.write() as work:
            work.programs.save(program, NOW)
        writer_committed.set()

    with database.read() as snapshot:
        assert snapshot.programs.list_all() == []  # the snapshot starts here
        # Without WAL the writer could not commit while this snapshot is open and the wait would fail.
        with background(write, name="committing-writer"):
            wait_for(writer_committed, "the writer has committed while a snapshot is open")
        assert snapshot.programs.list_all() == []

    with database.read() as work:
        assert work.programs.list_all() == [program]


def test_second_writer_waits_for_the_first_instead_of_failing(database: Database) -> None:
    first_inside = threading.Event()
    release_first = threading.Event()
    second_begins = threading.Event()
    counts_seen_by_second: list[int] = []

    def note_second_begin(
        _connection: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
    ) -> None:
        if statement.startswith("BEGIN IMMEDIATE") and threading.current_thread().name == "second-writer":
            second_begins.set()

    def first_writer() -> None:
        with database.write() as work:
            work.outbox.enqueue("test.first", 1, uuid.uuid4(), {"кто": "первый"}, NOW)
            first_inside.set()
            wait_for(release_first, "the second writer is waiting for the lock")

    def second_writer() -> None:
        with database.write() as work:
            counts_seen_by_second.append(work.outbox.count())
            work.outbox.enqueue("test.second", 1, uuid.uuid4(), {"кто": "второй"}, NOW)

    event.listen(Engine, "before_cursor_execute", note_second_begin)
    try:
        with background(first_writer, name="first-writer", on_exit=[release_first]):
            wait_for(first_inside, "the first writer holds the write lock")
            with background(second_writer, name="second-writer", on_exit=[release_first]):
                wait_for(second_begins, "the second writer asks for the write lock")
                release_first.set()
    finally:
        event.remove(Engine, "before_cursor_execute", note_second_begin)

    assert counts_seen_by_second == [1]  # the second transaction began after the first one committed
    with database.read() as work:
        pending = work.outbox.pending()
    assert [operation.op_type for operation in pending] == ["test.first", "test.second"]
    assert pending[0].seq < pending[1].seq


def test_write_block_that_raises_stores_nothing_of_it(database: Database, saved_program: Program) -> None:
    program = make_program("Шахматы")
    contract = make_contract(saved_program)

    with pytest.raises(WriteFailedError), database.write() as work:
        work.programs.save(program, NOW)
        work.contracts.save(contract, NOW)
        work.outbox.enqueue("program.save", 1, program.id, {"name": program.full_name}, NOW)
        work.organization.save(make_organization(), NOW)
        work.sync_state.save(SyncState(cursor=5, last_synced_at=NOW))
        assert work.programs.get(program.id) == program  # the block sees its own writes
        raise WriteFailedError

    with database.read() as work:
        assert work.programs.get(program.id) is None
        assert work.programs.list_all() == [saved_program]
        assert work.contracts.get(contract.id) is None
        assert work.outbox.count() == 0
        assert work.organization.get() is None
        assert work.sync_state.get() == SyncState(cursor=0, last_synced_at=None)
    assert row_count(database.path, "outbox") == 0
    assert row_count(database.path, "programs") == 1


def test_write_block_commits_every_change_together(database: Database) -> None:
    program = make_program()
    with database.write() as work:
        work.programs.save(program, NOW)
        work.outbox.enqueue("program.save", 1, program.id, {"name": program.full_name}, NOW)

    assert row_count(database.path, "programs") == 1
    assert row_count(database.path, "outbox") == 1


def test_read_never_persists_writes_made_inside_it(database: Database, saved_program: Program) -> None:
    program = make_program("Шахматы")

    with database.read() as work:
        work.programs.save(program, NOW)
        work.contracts.save(make_contract(saved_program), NOW)
        work.outbox.enqueue("program.save", 1, program.id, {}, NOW)
        work.organization.save(make_organization(), NOW)
        work.sync_state.save(SyncState(cursor=9, last_synced_at=NOW))
        work.certificates.upsert_many([])
        assert work.programs.get(program.id) == program  # visible inside the block only

    with database.read() as work:
        assert work.programs.list_all() == [saved_program]
        assert work.contracts.list_all() == []
        assert work.outbox.count() == 0
        assert work.organization.get() is None
        assert work.sync_state.get() == SyncState(cursor=0, last_synced_at=None)
    for table in ("programs", "modules", "contracts", "outbox", "organization_profile", "sync_state"):
        expected = {"programs": 1, "modules": len(saved_program.modules)}.get(table, 0)
        assert row_count(database.path, table) == expected, table


def test_read_rolls_back_even_when_the_block_raises(database: Database) -> None:
    program = make_program()
    with pytest.raises(WriteFailedError), database.read() as work:
        work.programs.save(program, NOW)
        raise WriteFailedError

    with database.read() as work:
        assert work.programs.get(program.id) is None


def test_close_releases_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pfdo.sqlite3"
    database = Database.open(path)
    with database.write() as work:
        work.outbox.enqueue("test.op", 1, uuid.uuid4(), {}, NOW)
    database.close()

    moved = path.rename(tmp_path / "moved.sqlite3")
    reopened = Database.open(moved)
    try:
        assert reopened.path == moved
        with reopened.read() as work:
            assert work.outbox.count() == 1
    finally:
        reopened.close()
