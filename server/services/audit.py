"""The audit log: who did what, written in the same transaction as the change itself."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server.db.models import AuditEntry


def audit(
    session: Session,
    *,
    at: datetime,
    action: str,
    entity: str,
    entity_id: object,
    user_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=at,
            user_id=user_id,
            organization_id=organization_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            details_json=json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
        )
    )
