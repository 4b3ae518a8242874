"""Tests of the outbox (ordered operations with fixed op_ids) and of the stored sync state."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import StatementError

from desktop_app.storage.database import Database
from desktop_app.sync.records import OutboxOperation, SyncState
from tests.storage.builders import MOSCOW, NOW, row_count

PAYLOAD = {
    "ребёнок": {"фамилия": "Пётр Ёлкин", "дата рождения": "2017-03-14"},
    "сумма": 1_234_550,
    "части": [1_000_000, 234_550],
    "номер": "17-ПФ",
    "пусто": None,
    "флаг": True,
}


def _enqueue(database: Database, count: int) -> list[OutboxOperation]:
    with database.write() as work:
        return [
            work.outbox.enqueue("contract.create", 1, uuid.uuid4(), {"index": index}, NOW + timedelta(seconds=index))
            for index in range(count)
        ]


def test_enqueue_assigns_increasing_seq_and_unique_op_ids(database: Database) -> None:
    first = _enqueue(database, 3)
    second = _enqueue(database, 2)  # in a later transaction
    operations = first + second

    seqs = [operation.seq for operation in operations]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)
    assert len({operation.op_id for operation in operations}) == len(operations)
    assert all(isinstance(operation.op_id, uuid.UUID) for operation in operations)


def test_enqueued_operation_round_trips_with_cyrillic_text(database: Database) -> None:
    entity_id = uuid.uuid4()
    created_at = NOW.astimezone(MOSCOW)

    with database.write() as work:
        queued = work.outbox.enqueue("contract.create", 2, entity_id, PAYLOAD, created_at)

    with database.read() as work:
        (stored,) = work.outbox.pending()
    assert stored == queued
    assert stored.payload == PAYLOAD
    assert stored.op_type == "contract.create"
    assert stored.op_version == 2
    assert stored.entity_id == entity_id
    assert stored.created_at == created_at
    assert stored.created_at.tzinfo is UTC


def test_pending_is_oldest_first_and_honours_the_limit(database: Database) -> None:
    operations = _enqueue(database, 5)

    with database.read() as work:
        assert work.outbox.pending() == operations
        assert work.outbox.pending(limit=2) == operations[:2]
        assert work.outbox.pending(limit=10) == operations
        assert work.outbox.count() == 5


def test_remove_drops_only_the_answered_operations(database: Database) -> None:
    operations = _enqueue(database, 4)

    with database.write() as work:
        work.outbox.remove([operations[0].op_id, operations[2].op_id, uuid.uuid4()])

    with database.read() as work:
        assert work.outbox.pending() == [operations[1], operations[3]]
        assert work.outbox.count() == 2
    assert row_count(database.path, "outbox") == 2


def test_new_operations_still_come_after_the_remaining_ones(database: Database) -> None:
    operations = _enqueue(database, 3)
    with database.write() as work:
        work.outbox.remove([operations[0].op_id])

    (later,) = _enqueue(database, 1)

    with database.read() as work:
        assert work.outbox.pending() == [operations[1], operations[2], later]


def test_sequence_numbers_are_never_reused_after_the_outbox_empties(database: Database) -> None:
    first = _enqueue(database, 2)
    with database.write() as work:
        work.outbox.remove([operation.op_id for operation in first])
    [later] = _enqueue(database, 1)
    assert later.seq > max(operation.seq for operation in first)


def test_empty_outbox(database: Database) -> None:
    with database.read() as work:
        assert work.outbox.pending() == []
        assert work.outbox.count() == 0


def test_sync_state_starts_at_cursor_zero_never_synced(database: Database) -> None:
    with database.read() as work:
        assert work.sync_state.get() == SyncState(cursor=0, last_synced_at=None)


def test_sync_state_round_trips_with_a_utc_timestamp(database: Database) -> None:
    synced_at = datetime(2026, 11, 28, 23, 59, 59, 999_999, tzinfo=UTC)
    with database.write() as work:
        work.sync_state.save(SyncState(cursor=2**40, last_synced_at=synced_at))

    with database.read() as work:
        state = work.sync_state.get()
    assert state == SyncState(cursor=2**40, last_synced_at=synced_at)
    assert state.last_synced_at is not None
    assert state.last_synced_at.tzinfo is UTC


def test_sync_state_keeps_the_instant_of_another_time_zone(database: Database) -> None:
    moscow_midnight = datetime(2026, 11, 29, 0, 30, tzinfo=MOSCOW)
    with database.write() as work:
        work.sync_state.save(SyncState(cursor=1, last_synced_at=moscow_midnight))

    with database.read() as work:
        state = work.sync_state.get()
    assert state.last_synced_at == moscow_midnight
    assert state.last_synced_at == datetime(2026, 11, 28, 21, 30, tzinfo=UTC)


def test_saving_sync_state_again_updates_the_single_row(database: Database) -> None:
    with database.write() as work:
        work.sync_state.save(SyncState(cursor=10, last_synced_at=NOW))
    with database.write() as work:
        work.sync_state.save(SyncState(cursor=20, last_synced_at=None))

    with database.read() as work:
        assert work.sync_state.get() == SyncState(cursor=20, last_synced_at=None)
    assert row_count(database.path, "sync_state") == 1


def test_a_naive_timestamp_is_refused(database: Database) -> None:
    with database.write() as work:
        work.sync_state.save(SyncState(cursor=10, last_synced_at=NOW))
    naive = datetime(2026, 11, 28, 12, 0)  # noqa: DTZ001 - the point of the test

    with pytest.raises(StatementError, match="naive datetime") as raised, database.write() as work:
        work.sync_state.save(SyncState(cursor=11, last_synced_at=naive))

    assert isinstance(raised.value.orig, ValueError)
    with database.read() as work:
        assert work.sync_state.get() == SyncState(cursor=10, last_synced_at=NOW)


def test_an_outbox_operation_with_a_naive_timestamp_is_refused(database: Database) -> None:
    naive = datetime(2026, 11, 28, 12, 0)  # noqa: DTZ001 - the point of the test

    with pytest.raises(StatementError, match="naive datetime"), database.write() as work:
        work.outbox.enqueue("contract.create", 1, uuid.uuid4(), {}, naive)

    assert row_count(database.path, "outbox") == 0
