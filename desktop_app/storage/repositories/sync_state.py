"""Where the last pull stopped and when the last sync succeeded (a single row)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop_app.storage.models import SyncStateRow
from desktop_app.sync.records import SyncState


class SyncStateRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self) -> SyncState:
        row = self._session.get(SyncStateRow, 1)
        if row is None:
            return SyncState(cursor=0, last_synced_at=None)
        return SyncState(
            cursor=row.cursor,
            last_synced_at=row.last_synced_at,
            organization_id=row.organization_id,
            clock_offset_seconds=row.clock_offset_seconds,
        )

    def save(self, state: SyncState) -> None:
        row = self._session.get(SyncStateRow, 1) or SyncStateRow(id=1)
        row.cursor = state.cursor
        row.last_synced_at = state.last_synced_at
        row.organization_id = state.organization_id
        row.clock_offset_seconds = state.clock_offset_seconds
        self._session.add(row)
