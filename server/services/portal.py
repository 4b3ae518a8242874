"""Parents' online applications from the regional portal: a contract request with no workstation behind it.

The parent gives the certificate number, the child's surname and the group; the same checks and the same
reservation apply as at the desk, and the organization sees the request (status «requested») through pull.
"""

from __future__ import annotations

import uuid
from datetime import date

from server.clock import Clock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.db.models import ContractRow, GroupRow, Organization
from server.errors import ApiError
from server.services.contract_request import NOT_FOUND, Request, request_contract
from server.services.operations import OperationContext, Rejection
from server.services.records import contract_record


def file_application(
    database: ServerDatabase,
    config: ServerConfig,
    clock: Clock,
    *,
    certificate_number: str,
    surname: str,
    group_id: uuid.UUID,
    start_date: date,
) -> dict[str, object]:
    """File an application; return the new contract as the organization will see it.

    Raises:
        ApiError: 409 with the reason when a precondition fails (the same reasons as at the desk).
    """
    with database.transaction() as session:
        group = session.get(GroupRow, group_id)
        organization = session.get(Organization, group.organization_id) if group else None
        if group is None or organization is None:
            raise ApiError(404, "not_found", "Группа не найдена.")
        context = OperationContext(session, organization, None, clock.now(), clock, config)
        savepoint = session.begin_nested()
        try:
            row: ContractRow = request_contract(
                context,
                Request(
                    contract_id=uuid.uuid4(),
                    certificate_number=certificate_number,
                    child_surname=surname,
                    group_id=group_id,
                    start_date=start_date,
                    source="portal",
                ),
            )
        except Rejection as rejection:
            savepoint.rollback()
            status = 404 if rejection.message == NOT_FOUND else 409
            raise ApiError(status, rejection.code, rejection.message, dict(rejection.figures or {})) from rejection
        savepoint.commit()
        return contract_record(session, row)
