"""Plain records that storage returns for its own bookkeeping (outbox, sync state).

Business objects come from ``desktop_app.domain``; these are the workstation's housekeeping, still plain
frozen dataclasses, so no ORM object ever leaves the storage package.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class OutboxOperation:
    """A local change waiting to be pushed: its ``op_id`` is the idempotency key, fixed for ever."""

    seq: int
    op_id: uuid.UUID
    op_type: str
    op_version: int
    entity_id: uuid.UUID
    payload: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SyncState:
    cursor: int
    """The server's change-log position the mirror is up to date with."""
    last_synced_at: datetime | None
