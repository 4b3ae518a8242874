"""The regional operator: programs waiting for certification, and the decisions on them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from desktop_app.sync.server_records import ModuleRecord, ProgramRecord
from server.api.deps import OperatorDep, ServicesDep
from server.api.schemas import CertifyRequest, ProgramDetails, ProgramSummary, RefuseRequest
from server.db.models import Organization, ProgramRow, User
from server.errors import not_found, unauthorized
from server.services import certification
from server.services.records import module_record, program_record

router = APIRouter(prefix="/api/v1/operator", tags=["Оператор"])


@router.get("/programs", response_model=list[ProgramSummary], summary="Программы (по умолчанию — ждущие решения)")
def list_programs(
    _operator: OperatorDep,
    found: ServicesDep,
    status: Annotated[str | None, Query(pattern="^(draft|submitted|certified|refused)$")] = "submitted",
) -> list[ProgramSummary]:
    with found.database.transaction() as session:
        return [
            ProgramSummary(
                id=program.id,
                organization_name=organization.short_name,
                full_name=program.full_name,
                short_name=program.short_name,
                status=program.status,
                updated_at=program.updated_at,
            )
            for program, organization in certification.programs_by_status(session, status)
        ]


@router.get("/programs/{program_id}", response_model=ProgramDetails, summary="Программа с модулями")
def program_details(program_id: uuid.UUID, _operator: OperatorDep, found: ServicesDep) -> ProgramDetails:
    with found.database.transaction() as session:
        program = session.get(ProgramRow, program_id)
        if program is None:
            raise not_found("Программа")
        return _details(session, program)


@router.post("/programs/{program_id}/certify", response_model=ProgramDetails, summary="Сертифицировать программу")
def certify(program_id: uuid.UUID, body: CertifyRequest, operator: OperatorDep, found: ServicesDep) -> ProgramDetails:
    with found.database.transaction() as session:
        program = certification.certify(
            session,
            program_id=program_id,
            normatives=dict(body.normatives),
            remark=body.remark,
            operator=_operator_user(session, operator.user_id),
            now=found.clock.now(),
            max_price_percent=found.config.max_price_percent_of_normative,
        )
        return _details(session, program)


@router.post("/programs/{program_id}/refuse", response_model=ProgramDetails, summary="Отказать с замечанием")
def refuse(program_id: uuid.UUID, body: RefuseRequest, operator: OperatorDep, found: ServicesDep) -> ProgramDetails:
    with found.database.transaction() as session:
        program = certification.refuse(
            session,
            program_id=program_id,
            remark=body.remark,
            operator=_operator_user(session, operator.user_id),
            now=found.clock.now(),
        )
        return _details(session, program)


def _operator_user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise unauthorized()
    return user


def _details(session: Session, program: ProgramRow) -> ProgramDetails:
    organization = session.get(Organization, program.organization_id)
    assert organization is not None
    return ProgramDetails(
        organization_name=organization.short_name,
        program=ProgramRecord.model_validate(program_record(session, program)),
        modules=[
            ModuleRecord.model_validate(module_record(module))
            for module in certification.active_modules(session, program.id)
        ],
    )
