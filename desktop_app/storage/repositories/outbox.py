"""The outbox: local changes in the order they were made, waiting to be pushed to the server."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desktop_app.storage.models import OutboxRow
from desktop_app.sync.records import OutboxOperation


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def enqueue(
        self,
        op_type: str,
        op_version: int,
        entity_id: uuid.UUID,
        payload: dict[str, Any],
        now: datetime,
        *,
        refs: tuple[uuid.UUID, ...] = (),
        summary: str = "",
    ) -> OutboxOperation:
        """Queue an operation; call it in the same transaction as the change it describes."""
        row = OutboxRow(
            op_id=uuid.uuid4(),
            op_type=op_type,
            op_version=op_version,
            entity_id=entity_id,
            refs_json=json.dumps([str(ref) for ref in refs]),
            summary=summary,
            payload_json=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _to_record(row)

    def pending(self, limit: int | None = None, *, held: frozenset[str] = frozenset()) -> list[OutboxOperation]:
        """Operations not yet sent, oldest first; those of the ``held`` types are left out (they wait)."""
        query = select(OutboxRow).order_by(OutboxRow.seq)
        if held:
            query = query.where(OutboxRow.op_type.not_in(held))
        if limit is not None:
            query = query.limit(limit)
        return [_to_record(row) for row in self._session.scalars(query)]

    def count(self, *, held: frozenset[str] = frozenset()) -> int:
        """Operations not yet sent, less those of the ``held`` types."""
        query = select(func.count()).select_from(OutboxRow)
        if held:
            query = query.where(OutboxRow.op_type.not_in(held))
        return self._session.scalar(query) or 0

    def pending_by_id(self, op_id: uuid.UUID) -> bool:
        """Whether the operation is still waiting (not yet answered)."""
        return self._session.scalar(select(OutboxRow.seq).where(OutboxRow.op_id == op_id)) is not None

    def pending_entity_ids(self) -> set[uuid.UUID]:
        """Records with changes still waiting to be sent."""
        return set(self._session.scalars(select(OutboxRow.entity_id).distinct()))

    def depending_on(self, entity_ids: set[uuid.UUID]) -> list[OutboxOperation]:
        """Queued operations on these records or needing them, oldest first."""
        return [
            operation
            for operation in self.pending()
            if operation.entity_id in entity_ids or entity_ids.intersection(operation.refs)
        ]

    def remove(self, op_ids: list[uuid.UUID]) -> None:
        """Drop operations the server has answered for good."""
        self._session.execute(delete(OutboxRow).where(OutboxRow.op_id.in_(op_ids)))


def _to_record(row: OutboxRow) -> OutboxOperation:
    return OutboxOperation(
        seq=row.seq,
        op_id=row.op_id,
        op_type=row.op_type,
        op_version=row.op_version,
        entity_id=row.entity_id,
        payload=json.loads(row.payload_json),
        created_at=row.created_at,
        refs=tuple(uuid.UUID(ref) for ref in json.loads(row.refs_json)),
        summary=row.summary,
    )
