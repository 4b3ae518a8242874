"""The change log that workstations pull, in an order no reader can skip past.

Every change to a record an organization sees appends a row; its ``seq`` is the pull cursor. On PostgreSQL
two transactions could take sequence values 10 and 11 and commit 11 first: a reader would see 11, move its
cursor past 10, and never see it. So writers take a transaction-level advisory lock before appending: they
append one at a time, each committing before the next can take a number. (SQLite writers are serial.)

The lock serializes writers for as long as it is held, so a transaction's entries wait in the session and
are inserted together when it commits: the lock is taken right before that insert, and the work of the
transaction (arbitration, its checks and updates) runs concurrently. An entry recorded in a savepoint that
rolls back is dropped with it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, event, func, insert, select, text
from sqlalchemy.orm import Session, SessionTransaction

from desktop_app.sync.protocol import ChangeEntity
from server.db.engine import rows_affected
from server.db.models import ChangeLogEntry, ServerState

CHANGE_LOG_LOCK = 7_301_001
LOG_FLOOR_KEY = "change_log_floor"
_PENDING = "pending_changes"


def record_change(
    session: Session,
    *,
    now: datetime,
    entity: ChangeEntity,
    entity_id: object,
    organization_id: uuid.UUID | None = None,
    payer_id: uuid.UUID | None = None,
    deleted: bool = False,
) -> None:
    """Append a change for the organization (its own records) or the payer (certificates) when the transaction
    commits."""
    entry = {
        "organization_id": organization_id,
        "payer_id": payer_id,
        "entity": entity.value,
        "entity_id": str(entity_id),
        "deleted": deleted,
        "created_at": now,
    }
    recorded_in = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((recorded_in, entry))


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's entries wait for the transaction's commit
    pending: list[tuple[SessionTransaction | None, dict[str, object]]] = session.info.pop(_PENDING, [])
    if not pending:
        return
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})
    session.execute(insert(ChangeLogEntry), [entry for _recorded_in, entry in pending])


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, rolled_back: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [item for item in pending if not _within(item[0], rolled_back)]


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, ended: SessionTransaction) -> None:
    if ended.parent is None:
        session.info.pop(_PENDING, None)


def _within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


def log_floor(session: Session) -> int:
    """Changes at or below this position may have been pruned; an older cursor must refetch."""
    row = session.get(ServerState, LOG_FLOOR_KEY)
    return int(row.value) if row else 0


def prune_log(session: Session, *, before: datetime) -> int:
    """Compact the log; returns how many entries were dropped.

    Entries older than ``before`` go when a later entry of the same record supersedes them, except a
    record's first entry: it keeps parents ahead of their children in the log (a program's first entry comes
    before its modules'), so a client applying pages in order never meets an orphan. An old tombstone goes
    with the whole history of its record, and the floor rises past it: a cursor below the floor may have
    missed a deletion and must refetch.
    """
    old = ChangeLogEntry.created_at < before
    tombstones = session.execute(
        select(ChangeLogEntry.seq, ChangeLogEntry.entity, ChangeLogEntry.entity_id).where(old, ChangeLogEntry.deleted)
    ).all()
    dropped = 0
    for seq, entity, entity_id in tombstones:
        dropped += rows_affected(
            session.execute(
                delete(ChangeLogEntry).where(
                    ChangeLogEntry.entity == entity, ChangeLogEntry.entity_id == entity_id, ChangeLogEntry.seq <= seq
                )
            )
        )
    bounds = (
        select(
            ChangeLogEntry.entity,
            ChangeLogEntry.entity_id,
            func.min(ChangeLogEntry.seq).label("first"),
            func.max(ChangeLogEntry.seq).label("last"),
        )
        .group_by(ChangeLogEntry.entity, ChangeLogEntry.entity_id)
        .subquery()
    )
    superseded = select(ChangeLogEntry.seq).join(
        bounds,
        (ChangeLogEntry.entity == bounds.c.entity)
        & (ChangeLogEntry.entity_id == bounds.c.entity_id)
        & (ChangeLogEntry.seq > bounds.c.first)
        & (ChangeLogEntry.seq < bounds.c.last),
    )
    dropped += rows_affected(session.execute(delete(ChangeLogEntry).where(old, ChangeLogEntry.seq.in_(superseded))))
    if tombstones:
        row = session.get(ServerState, LOG_FLOOR_KEY) or ServerState(key=LOG_FLOOR_KEY, value="0")
        row.value = str(max(int(row.value), *(seq for seq, _entity, _id in tombstones)))
        session.add(row)
    return dropped
