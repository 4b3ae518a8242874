"""Pull: the changes an organization may see after its cursor, each with the record's current state.

An organization sees its own records and the certificates of the payers it has an active agreement with
(as its offline mirror: keyed hashes, no names). A page holds each record once, at its latest position.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop_app.sync.protocol import Change, ChangeEntity, PeriodRecord, PullResponse
from server.clock import Clock
from server.db.engine import ServerDatabase
from server.db.models import (
    Agreement,
    Certificate,
    CertificateBalance,
    ChangeLogEntry,
    Organization,
    Payer,
    Period,
)
from server.services.changes import log_floor
from server.services.records import ORGANIZATION_ENTITIES, mirror_record, record_of


def pull(database: ServerDatabase, clock: Clock, organization_id: uuid.UUID, cursor: int, limit: int) -> PullResponse:
    with database.transaction() as session:
        now = clock.now()
        if 0 < cursor < log_floor(session):
            return PullResponse(changes=[], cursor=0, has_more=True, must_refetch=True, server_time=now)
        organization = session.get(Organization, organization_id)
        assert organization is not None
        payers = visible_payers(session, organization_id, clock.local(now).date())
        everyone = ChangeLogEntry.organization_id.is_(None) & ChangeLogEntry.payer_id.is_(None)
        scope = or_(ChangeLogEntry.organization_id == organization_id, everyone)
        if payers:
            scope = or_(scope, ChangeLogEntry.payer_id.in_(payers))
        entries = session.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.seq > cursor, scope)
            .order_by(ChangeLogEntry.seq)
            .limit(limit + 1)
        ).all()
        has_more = len(entries) > limit
        page = entries[:limit]
        latest: dict[tuple[str, str], ChangeLogEntry] = {}
        for entry in page:
            latest[(entry.entity, entry.entity_id)] = entry
        periods = _current_and_next_periods(session, clock.local(now).date())
        changes = [
            _change(session, organization, entry, periods)
            for entry in sorted(latest.values(), key=lambda entry: entry.seq)
        ]
        new_cursor = page[-1].seq if page else cursor
        remaining: int | None = 0
        if has_more:
            remaining = session.scalar(
                select(func.count()).select_from(ChangeLogEntry).where(ChangeLogEntry.seq > new_cursor, scope)
            )
        return PullResponse(
            changes=changes,
            cursor=new_cursor,
            has_more=has_more,
            must_refetch=False,
            server_time=now,
            remaining=remaining or 0,
        )


def visible_payers(session: Session, organization_id: uuid.UUID, today: date) -> list[uuid.UUID]:
    """Payers whose certificates the organization mirrors: those it has an active agreement with."""
    return list(
        session.scalars(
            select(Agreement.payer_id).where(
                Agreement.organization_id == organization_id,
                Agreement.status == "active",
                Agreement.ends_on >= today,
            )
        ).unique()
    )


def _current_and_next_periods(session: Session, today: date) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    periods = session.scalars(select(Period).where(Period.ends_on >= today).order_by(Period.starts_on).limit(2)).all()
    current = next((period for period in periods if period.starts_on <= today), None)
    following = next((period for period in periods if period.starts_on > today), None)
    return (current.id if current else None, following.id if following else None)


def _change(
    session: Session,
    organization: Organization,
    entry: ChangeLogEntry,
    periods: tuple[uuid.UUID | None, uuid.UUID | None],
) -> Change:
    if entry.entity == ChangeEntity.CERTIFICATE.value:
        return _certificate_change(session, organization, entry, periods)
    if entry.entity == ChangeEntity.PERIOD.value:
        period = session.scalar(select(Period).where(Period.code == entry.entity_id))
        if entry.deleted or period is None:
            return Change(seq=entry.seq, entity=ChangeEntity.PERIOD, id=entry.entity_id, deleted=True, data=None)
        record = PeriodRecord(code=period.code, starts_on=period.starts_on, ends_on=period.ends_on)
        return Change(
            seq=entry.seq,
            entity=ChangeEntity.PERIOD,
            id=entry.entity_id,
            deleted=False,
            data=record.model_dump(mode="json"),
        )
    model, entity = ORGANIZATION_ENTITIES[entry.entity]
    row = session.get(model, uuid.UUID(entry.entity_id))
    if entry.deleted or row is None:
        return Change(seq=entry.seq, entity=entity, id=entry.entity_id, deleted=True, data=None)
    return Change(seq=entry.seq, entity=entity, id=entry.entity_id, deleted=False, data=record_of(session, row))


def _certificate_change(
    session: Session,
    organization: Organization,
    entry: ChangeLogEntry,
    periods: tuple[uuid.UUID | None, uuid.UUID | None],
) -> Change:
    certificate = session.get(Certificate, uuid.UUID(entry.entity_id))
    assert certificate is not None, "certificates are never deleted"
    payer = session.get(Payer, certificate.payer_id)
    assert payer is not None
    balances = {
        balance.period_id: balance.balance
        for balance in session.scalars(
            select(CertificateBalance).where(CertificateBalance.certificate_id == certificate.id)
        )
    }
    current, following = periods
    data = mirror_record(
        certificate,
        payer,
        organization.mirror_key,
        balances.get(current, 0) if current else 0,
        balances.get(following, 0) if following else 0,
    )
    return Change(
        seq=entry.seq,
        entity=ChangeEntity.CERTIFICATE,
        id=data["lookup_key"],
        deleted=entry.deleted,
        data=None if entry.deleted else data,
    )
