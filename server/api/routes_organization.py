"""What a workstation calls: the certificate check, push and pull."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from desktop_app.sync.protocol import (
    MAX_PULL_PAGE,
    CertificateCheckRequest,
    CertificateCheckResponse,
    PullResponse,
    PushRequest,
    PushResponse,
)
from server.api.deps import OrganizationDep, ServicesDep
from server.errors import ApiError, too_many
from server.services.certificates import check_certificate
from server.services.contract_request import NOT_FOUND
from server.services.housekeeping import close_due_contracts
from server.services.pull import pull
from server.services.push import apply_batch

router = APIRouter(prefix="/api/v1", tags=["Рабочее место организации"])

LOOKUP_LIMITED = "Слишком много проверок сертификатов подряд. Повторите через {seconds} с."


@router.post(
    "/certificates/check",
    response_model=CertificateCheckResponse,
    summary="Проверить сертификат по номеру и фамилии ребёнка",
    responses={404: {"description": NOT_FOUND}, 429: {"description": "Слишком много проверок"}},
)
def certificate_check(
    body: CertificateCheckRequest, caller: OrganizationDep, found: ServicesDep
) -> CertificateCheckResponse:
    for limiter, key in (
        (found.lookups_per_user, str(caller.user_id)),
        (found.lookups_per_organization, str(caller.organization_id)),
    ):
        wait = limiter.hit(key)
        if wait:
            raise too_many(LOOKUP_LIMITED.format(seconds=wait), retry_after_seconds=wait)
    result = check_certificate(
        found.database, found.clock, caller.organization_id, caller.user_id, body.number, body.surname
    )
    if result is None:
        raise ApiError(404, "certificate_not_found", NOT_FOUND)
    return result


@router.post(
    "/sync/push",
    response_model=PushResponse,
    summary="Отправить пакет операций; у каждой свой результат",
)
def push(body: PushRequest, caller: OrganizationDep, found: ServicesDep) -> Response:
    close_due_contracts(found.database, found.config, found.clock, caller.organization_id)
    results = apply_batch(
        found.database, found.config, found.clock, caller.organization_id, caller.user_id, list(body.operations)
    )
    # The stored answers go out byte for byte, so a replay is indistinguishable from the first reply.
    server_time = found.clock.now().isoformat().replace("+00:00", "Z")
    content = '{"results":[' + ",".join(results) + '],"server_time":"' + server_time + '"}'
    return Response(content=content, media_type="application/json")


@router.get("/sync/pull", response_model=PullResponse, summary="Получить изменения после курсора")
def pull_changes(
    caller: OrganizationDep,
    found: ServicesDep,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = 500,
) -> PullResponse:
    close_due_contracts(found.database, found.config, found.clock, caller.organization_id)
    return pull(found.database, found.clock, caller.organization_id, cursor, limit)
