"""Work the server does on its own schedule, triggered lazily by an organization's sync."""

from __future__ import annotations

import uuid

from server.clock import Clock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.db.models import Organization
from server.services.contract_lifecycle import close_due
from server.services.operations import OperationContext


def close_due_contracts(
    database: ServerDatabase, config: ServerConfig, clock: Clock, organization_id: uuid.UUID
) -> int:
    """Close the organization's contracts whose termination took effect or whose term is over."""
    with database.transaction() as session:
        organization = session.get(Organization, organization_id)
        if organization is None:
            return 0
        return close_due(OperationContext(session, organization, None, clock.now(), clock, config))
