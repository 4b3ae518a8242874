"""Plain records of sync bookkeeping that storage returns: outbox operations, sync state, results.

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
    refs: tuple[uuid.UUID, ...] = ()
    """The records this operation needs (its parents); if one of them is refused, so is this."""
    summary: str = ""


@dataclass(frozen=True, slots=True)
class SyncState:
    cursor: int
    """The server's change-log position the mirror is up to date with."""
    last_synced_at: datetime | None
    organization_id: uuid.UUID | None = None
    clock_offset_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class SyncResult:
    """The server's answer to one operation, kept as history; rejections wait in the inbox until seen."""

    id: int
    op_id: uuid.UUID
    op_type: str
    entity_id: uuid.UUID
    summary: str
    status: str
    code: str | None
    message: str | None
    figures: dict[str, int | str]
    queued_at: datetime
    decided_at: datetime
    acknowledged_at: datetime | None
