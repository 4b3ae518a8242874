"""Routes with no sign-in: the health check and parents' online applications (rate-limited)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from desktop_app import __version__
from desktop_app.sync.server_records import ContractRecord
from server.api.deps import ServicesDep
from server.api.schemas import ApplicationRequest, ApplicationResponse, Health
from server.errors import too_many
from server.services.portal import file_application

health_router = APIRouter(tags=["Служебное"])
portal_router = APIRouter(prefix="/api/v1/portal", tags=["Портал для родителей"])


@health_router.get("/health", response_model=Health, summary="Сервер работает")
def health() -> Health:
    return Health(status="ok", version=__version__)


@portal_router.post(
    "/applications", response_model=ApplicationResponse, status_code=201, summary="Подать заявку на обучение"
)
def apply(body: ApplicationRequest, request: Request, found: ServicesDep) -> ApplicationResponse:
    client = request.client.host if request.client else "unknown"
    for key in (f"address:{client}", f"certificate:{body.certificate_number}"):
        wait = found.portal_requests.hit(key)
        if wait:
            raise too_many(f"Слишком много заявок подряд. Повторите через {wait} с.", retry_after_seconds=wait)
    record = file_application(
        found.database,
        found.config,
        found.clock,
        certificate_number=body.certificate_number,
        surname=body.surname,
        group_id=body.group_id,
        start_date=body.start_date,
    )
    return ApplicationResponse(contract=ContractRecord.model_validate(record))
