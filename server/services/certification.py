"""The operator's side of certification: list submitted programs, certify with normative costs, refuse."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.sync.protocol import ChangeEntity
from server.db.models import CertificationDecision, ModuleRow, Organization, ProgramRow, User
from server.errors import ApiError, not_found
from server.services.audit import audit
from server.services.changes import record_change
from server.services.operations import money


def programs_by_status(session: Session, status: str | None) -> list[tuple[ProgramRow, Organization]]:
    query = select(ProgramRow, Organization).join(Organization, Organization.id == ProgramRow.organization_id)
    if status is not None:
        query = query.where(ProgramRow.status == status)
    rows = session.execute(query.where(~ProgramRow.archived).order_by(ProgramRow.updated_at)).all()
    return [(program, organization) for program, organization in rows]


def active_modules(session: Session, program_id: uuid.UUID) -> list[ModuleRow]:
    return list(
        session.scalars(
            select(ModuleRow)
            .where(ModuleRow.program_id == program_id, ~ModuleRow.archived)
            .order_by(ModuleRow.position)
        )
    )


def _submitted(session: Session, program_id: uuid.UUID) -> ProgramRow:
    program = session.get(ProgramRow, program_id)
    if program is None or program.archived:
        raise not_found("Программа")
    if program.status != "submitted":
        raise ApiError(409, "not_submitted", f"Программа «{program.short_name}» не ждёт решения оператора.")
    return program


def certify(
    session: Session,
    *,
    program_id: uuid.UUID,
    normatives: dict[uuid.UUID, int],
    remark: str,
    operator: User,
    now: datetime,
    max_price_percent: int,
) -> ProgramRow:
    """Certify a submitted program, setting every active module's normative cost.

    Raises:
        ApiError: the program is not waiting for a decision, a module lacks its normative, or a module's
            price is above the allowed share of its normative.
    """
    program = _submitted(session, program_id)
    modules = active_modules(session, program.id)
    missing = [module.name for module in modules if module.id not in normatives]
    if missing:
        raise ApiError(422, "normative_missing", f"Не указана нормативная стоимость модулей: {', '.join(missing)}.")
    for module in modules:
        normative = normatives[module.id]
        if module.price * 100 > normative * max_price_percent:
            raise ApiError(
                422,
                "price_above_normative",
                f"Цена модуля «{module.name}» {money(module.price)} выше {max_price_percent} % нормативной "
                f"стоимости {money(normative)}: сертифицировать нельзя.",
            )
        module.normative = normative
        record_change(
            session, now=now, entity=ChangeEntity.MODULE, entity_id=module.id, organization_id=program.organization_id
        )
    _decide(session, program, "certified", remark, operator, now)
    return program


def refuse(session: Session, *, program_id: uuid.UUID, remark: str, operator: User, now: datetime) -> ProgramRow:
    """Refuse a submitted program with the operator's remark (kept in the program's history)."""
    if not remark.strip():
        raise ApiError(422, "remark_required", "Укажите замечание: организация должна знать, что исправить.")
    program = _submitted(session, program_id)
    _decide(session, program, "refused", remark, operator, now)
    return program


def _decide(session: Session, program: ProgramRow, decision: str, remark: str, operator: User, now: datetime) -> None:
    program.status = decision
    program.updated_at = now
    session.add(
        CertificationDecision(
            program_id=program.id,
            decision=decision,
            remark=remark.strip(),
            author_id=operator.id,
            author_name=operator.full_name,
            decided_at=now,
        )
    )
    session.flush()
    record_change(
        session, now=now, entity=ChangeEntity.PROGRAM, entity_id=program.id, organization_id=program.organization_id
    )
    audit(
        session,
        at=now,
        action=f"program.{decision}",
        entity="program",
        entity_id=program.id,
        user_id=operator.id,
        organization_id=program.organization_id,
        details={"remark": remark.strip()},
    )
