"""The server's answers to the workstation's operations: the sync history and the inbox of rejections."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.storage.models import SyncResultRow
from desktop_app.sync.records import OutboxOperation, SyncResult

NEEDS_A_LOOK = ("rejected", "needs_review")


class SyncResultsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(
        self,
        operation: OutboxOperation,
        *,
        status: str,
        code: str | None,
        message: str | None,
        figures: dict[str, int | str] | None,
        decided_at: datetime,
    ) -> None:
        self._session.add(
            SyncResultRow(
                op_id=operation.op_id,
                op_type=operation.op_type,
                entity_id=operation.entity_id,
                summary=operation.summary,
                status=status,
                code=code,
                message=message,
                figures_json=json.dumps(figures, ensure_ascii=False) if figures else None,
                queued_at=operation.created_at,
                decided_at=decided_at,
            )
        )
        self._session.flush()

    def inbox(self) -> list[SyncResult]:
        """Rejections and flagged results the clerk has not acknowledged yet, oldest first."""
        rows = self._session.scalars(
            select(SyncResultRow)
            .where(SyncResultRow.status.in_(NEEDS_A_LOOK), SyncResultRow.acknowledged_at.is_(None))
            .order_by(SyncResultRow.id)
        )
        return [_result(row) for row in rows]

    def inbox_count(self) -> int:
        return (
            self._session.scalar(
                select(func.count())
                .select_from(SyncResultRow)
                .where(SyncResultRow.status.in_(NEEDS_A_LOOK), SyncResultRow.acknowledged_at.is_(None))
            )
            or 0
        )

    def history(self, limit: int = 200) -> list[SyncResult]:
        """The latest answers, newest first."""
        rows = self._session.scalars(select(SyncResultRow).order_by(SyncResultRow.id.desc()).limit(limit))
        return [_result(row) for row in rows]

    def acknowledge(self, result_id: int, now: datetime) -> None:
        row = self._session.get(SyncResultRow, result_id)
        if row is not None and row.acknowledged_at is None:
            row.acknowledged_at = now
            self._session.flush()


def _result(row: SyncResultRow) -> SyncResult:
    return SyncResult(
        id=row.id,
        op_id=row.op_id,
        op_type=row.op_type,
        entity_id=row.entity_id,
        summary=row.summary,
        status=row.status,
        code=row.code,
        message=row.message,
        figures=json.loads(row.figures_json) if row.figures_json else {},
        queued_at=row.queued_at,
        decided_at=row.decided_at,
        acknowledged_at=row.acknowledged_at,
    )
