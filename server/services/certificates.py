"""The certificate check a clerk runs for a walk-in parent: number plus the child's surname.

A wrong number and a wrong surname get the same answer, so the check cannot be used to probe the
registry; every look-up, hit or miss, is audited. Only what the clerk needs comes back.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.certificate import is_certificate_expired, normalize_surname
from desktop_app.sync.protocol import CertificateCheckResponse, CertificateState, ContractBrief, PeriodBalance
from server.clock import Clock
from server.db.engine import ServerDatabase
from server.db.models import (
    Agreement,
    Certificate,
    CertificateBalance,
    ContractRow,
    ModuleRow,
    Payer,
    Period,
    ProgramRow,
)
from server.services.audit import audit


def check_certificate(
    database: ServerDatabase,
    clock: Clock,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    number: str,
    surname: str,
) -> CertificateCheckResponse | None:
    """The certificate as the clerk may see it, or None when the number and surname do not match."""
    with database.transaction() as session:
        now = clock.now()
        certificate = session.scalar(select(Certificate).where(Certificate.number == number))
        found = certificate is not None and normalize_surname(certificate.surname) == normalize_surname(surname)
        audit(
            session,
            at=now,
            action="certificate.check",
            entity="certificate",
            entity_id=number,
            user_id=user_id,
            organization_id=organization_id,
            details={"found": found},
        )
        if not found or certificate is None:
            return None
        today = clock.local(now).date()
        payer = session.get(Payer, certificate.payer_id)
        assert payer is not None
        if certificate.frozen:
            state = CertificateState.FROZEN
        elif is_certificate_expired(certificate.birth_date, today):
            state = CertificateState.EXPIRED
        else:
            state = CertificateState.VALID
        current, following = _periods(session, certificate, today)
        return CertificateCheckResponse(
            number=certificate.number,
            child_full_name=certificate.full_name,
            birth_date=certificate.birth_date,
            kind=certificate.kind,
            state=state,
            payer_name=payer.name,
            agreement_active=_agreement_active(session, organization_id, certificate.payer_id, today),
            current_period=current,
            next_period=following,
            contracts=_contracts(session, organization_id, certificate.id),
            checked_at=now,
        )


def _agreement_active(session: Session, organization_id: uuid.UUID, payer_id: uuid.UUID, today: date) -> bool:
    return (
        session.scalar(
            select(Agreement.id).where(
                Agreement.organization_id == organization_id,
                Agreement.payer_id == payer_id,
                Agreement.status == "active",
                Agreement.starts_on <= today,
                Agreement.ends_on >= today,
            )
        )
        is not None
    )


def _periods(
    session: Session, certificate: Certificate, today: date
) -> tuple[PeriodBalance | None, PeriodBalance | None]:
    rows = session.execute(
        select(Period, CertificateBalance)
        .outerjoin(
            CertificateBalance,
            (CertificateBalance.period_id == Period.id) & (CertificateBalance.certificate_id == certificate.id),
        )
        .where(Period.ends_on >= today)
        .order_by(Period.starts_on)
        .limit(2)
    ).all()
    balances = [
        PeriodBalance(
            code=period.code,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            available=balance.balance if balance is not None and certificate.kind == "financing" else 0,
        )
        for period, balance in rows
    ]
    current = next((item for item in balances if item.starts_on <= today), None)
    following = next((item for item in balances if item.starts_on > today), None)
    return current, following


def _contracts(session: Session, organization_id: uuid.UUID, certificate_id: uuid.UUID) -> list[ContractBrief]:
    rows = session.execute(
        select(ContractRow, ProgramRow.short_name, ModuleRow.name)
        .join(ProgramRow, ProgramRow.id == ContractRow.program_id)
        .join(ModuleRow, ModuleRow.id == ContractRow.module_id)
        .where(ContractRow.organization_id == organization_id, ContractRow.certificate_id == certificate_id)
        .order_by(ContractRow.start_date.desc())
    ).all()
    return [
        ContractBrief(
            id=row.id,
            number=row.number,
            status=row.status,
            program_name=program_name,
            module_name=module_name,
            start_date=row.start_date,
            end_date=row.end_date,
        )
        for row, program_name, module_name in rows
    ]
