"""What the status bar shows: the server, the last successful sync, and changes waiting to be sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from desktop_app.storage.database import Database


@dataclass(frozen=True, slots=True)
class WorkstationStatus:
    server_url: str | None
    last_synced_at: datetime | None
    pending_changes: int


class StatusService:
    def __init__(self, database: Database, server_url: Callable[[], str | None]) -> None:
        self._database = database
        self._server_url = server_url

    def current(self) -> WorkstationStatus:
        with self._database.read() as work:
            return WorkstationStatus(
                server_url=self._server_url(),
                last_synced_at=work.sync_state.get().last_synced_at,
                pending_changes=work.outbox.count(),
            )
