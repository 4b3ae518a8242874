"""The change log is appended when a transaction commits: in the order recorded, without what a savepoint
rolled back, and on PostgreSQL under a lock held only for that append."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from desktop_app.sync.protocol import ChangeEntity
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import ChangeLogEntry
from server.services.changes import record_change
from tests.server.conftest import BACKENDS


def logged(database: ServerDatabase) -> list[str]:
    with database.transaction() as session:
        return list(
            session.scalars(
                select(ChangeLogEntry.entity_id)
                .where(ChangeLogEntry.entity_id.like("t-%"))
                .order_by(ChangeLogEntry.seq)
            )
        )


def test_entries_are_appended_at_commit_in_the_order_recorded(database: ServerDatabase, clock: FixedClock) -> None:
    with database.transaction() as session:
        for name in ("t-program", "t-module", "t-group"):
            record_change(session, now=clock.now(), entity=ChangeEntity.PROGRAM, entity_id=name)
        assert session.scalar(select(ChangeLogEntry.seq).where(ChangeLogEntry.entity_id.like("t-%"))) is None
    assert logged(database) == ["t-program", "t-module", "t-group"]


def test_a_rolled_back_savepoint_takes_its_entries_with_it(database: ServerDatabase, clock: FixedClock) -> None:
    with database.transaction() as session:
        record_change(session, now=clock.now(), entity=ChangeEntity.CONTRACT, entity_id="t-kept")
        refused = session.begin_nested()
        record_change(session, now=clock.now(), entity=ChangeEntity.CONTRACT, entity_id="t-refused")
        inner = session.begin_nested()
        record_change(session, now=clock.now(), entity=ChangeEntity.CONTRACT, entity_id="t-inner")
        inner.commit()
        refused.rollback()
        accepted = session.begin_nested()
        record_change(session, now=clock.now(), entity=ChangeEntity.CONTRACT, entity_id="t-accepted")
        accepted.commit()
    assert logged(database) == ["t-kept", "t-accepted"]


def test_a_failed_transaction_appends_nothing(database: ServerDatabase, clock: FixedClock) -> None:
    with pytest.raises(RuntimeError), database.transaction() as session:
        record_change(session, now=clock.now(), entity=ChangeEntity.CONTRACT, entity_id="t-lost")
        raise RuntimeError("the operation failed")
    assert logged(database) == []


# Only PostgreSQL runs writers side by side (SQLite's are serial, so there is no lock to hold too long).
@pytest.mark.parametrize("database_url", [backend for backend in BACKENDS if backend == "postgresql"], indirect=True)
def test_an_open_transaction_does_not_hold_the_log_lock(database: ServerDatabase, clock: FixedClock) -> None:
    with database.transaction() as slow:
        record_change(slow, now=clock.now(), entity=ChangeEntity.CONTRACT, entity_id="t-slow")
        slow.flush()
        with database.transaction() as quick:
            quick.execute(text("SET LOCAL lock_timeout = '5s'"))
            record_change(quick, now=clock.now(), entity=ChangeEntity.CONTRACT, entity_id="t-quick")
    assert logged(database) == ["t-quick", "t-slow"]
