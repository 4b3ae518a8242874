"""Pull: the changes an organization may see after its cursor, each with the record's current state.

An organization sees its own records and the certificates of the payers it has an active agreement with
(as its offline mirror: keyed hashes, no names). A page holds each record once, at its latest position.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.sync.protocol import Change, ChangeEntity, PullResponse
from desktop_app.sync.server_records import PeriodRecord
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
from server.services.requisites_ops import organization_record


def pull(database: ServerDatabase, clock: Clock, organization_id: uuid.UUID, cursor: int, limit: int) -> PullResponse:
    with database.transaction() as session:
        now = clock.now()
        if 0 < cursor < log_floor(session):
            return PullResponse(changes=[], cursor=0, has_more=True, must_refetch=True, server_time=now)
        organization = session.get(Organization, organization_id)
        assert organization is not None
        payers = visible_payers(session, organization_id, clock.local(now).date())
        entries = session.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.seq > cursor, _page_scope(organization_id, payers))
            .order_by(ChangeLogEntry.seq)
            .limit(limit + 1)
        ).all()
        has_more = len(entries) > limit
        page = entries[:limit]
        latest: dict[tuple[str, str], ChangeLogEntry] = {}
        for entry in page:
            latest[(entry.entity, entry.entity_id)] = entry
        periods = _current_and_next_periods(session, clock.local(now).date())
        ordered = sorted(latest.values(), key=lambda entry: entry.seq)
        mirror = _MirrorPage.load(session, ordered, periods)
        _load_rows(session, ordered)
        changes = [_change(session, organization, entry, periods, mirror) for entry in ordered]
        new_cursor = page[-1].seq if page else cursor
        remaining: int | None = 0
        if has_more:
            remaining = _remaining(session, new_cursor, organization_id, payers)
        return PullResponse(
            changes=changes,
            cursor=new_cursor,
            has_more=has_more,
            must_refetch=False,
            server_time=now,
            remaining=remaining or 0,
        )


def _page_scope(organization_id: uuid.UUID, payers: list[uuid.UUID]) -> ColumnElement[bool]:
    """The scope of a page, in a form no index can serve, so the page is read by walking ``seq`` in order.

    Served by the scope's indexes, SQLite (MULTI-INDEX OR) collects and sorts every entry after the cursor
    to return the first few hundred: a full pull of a region became quadratic. Walking the log in ``seq``
    order stops as soon as the page is full. (``coalesce(x, x)`` is ``x``, but hides the column from the
    planner.)
    """
    organization = func.coalesce(ChangeLogEntry.organization_id, ChangeLogEntry.organization_id)
    payer = func.coalesce(ChangeLogEntry.payer_id, ChangeLogEntry.payer_id)
    scope = or_(organization == organization_id, organization.is_(None) & payer.is_(None))
    return or_(scope, payer.in_(payers)) if payers else scope


def _remaining(session: Session, cursor: int, organization_id: uuid.UUID, payers: list[uuid.UUID]) -> int:
    """Entries in scope after the cursor (for the progress bar), one count per part of the scope.

    Each count walks one index; counted at once, SQLite merges every index's row ids first (twice slower).
    The parts are disjoint: an entry belongs to an organization or to a payer, never both
    (``changes.record_change``).
    """
    after = ChangeLogEntry.seq > cursor
    parts = [
        ChangeLogEntry.organization_id == organization_id,
        ChangeLogEntry.organization_id.is_(None) & ChangeLogEntry.payer_id.is_(None),
    ]
    if payers:
        parts.append(ChangeLogEntry.payer_id.in_(payers))
    return sum(
        session.scalar(select(func.count()).select_from(ChangeLogEntry).where(after, part)) or 0 for part in parts
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


@dataclass(frozen=True)
class _MirrorPage:
    """The certificates of one page with their payers and balances, read in three queries for the page."""

    certificates: dict[uuid.UUID, Certificate]
    payers: dict[uuid.UUID, Payer]
    balances: dict[tuple[uuid.UUID, uuid.UUID], int]

    @classmethod
    def load(
        cls,
        session: Session,
        entries: list[ChangeLogEntry],
        periods: tuple[uuid.UUID | None, uuid.UUID | None],
    ) -> _MirrorPage:
        ids = [uuid.UUID(entry.entity_id) for entry in entries if entry.entity == ChangeEntity.CERTIFICATE.value]
        if not ids:
            return cls({}, {}, {})
        certificates = {row.id: row for row in session.scalars(select(Certificate).where(Certificate.id.in_(ids)))}
        payer_ids = {row.payer_id for row in certificates.values()}
        payers = {row.id: row for row in session.scalars(select(Payer).where(Payer.id.in_(payer_ids)))}
        wanted = [period for period in periods if period is not None]
        balances = {
            (certificate_id, period_id): balance
            for certificate_id, period_id, balance in session.execute(
                select(
                    CertificateBalance.certificate_id, CertificateBalance.period_id, CertificateBalance.balance
                ).where(CertificateBalance.certificate_id.in_(ids), CertificateBalance.period_id.in_(wanted))
            )
        }
        return cls(certificates, payers, balances)


def _load_rows(session: Session, entries: list[ChangeLogEntry]) -> None:
    """Read the page's own records of each kind in one query, so that ``session.get`` finds them loaded."""
    ids: dict[str, list[uuid.UUID]] = {}
    for entry in entries:
        if entry.entity in ORGANIZATION_ENTITIES:
            ids.setdefault(entry.entity, []).append(uuid.UUID(entry.entity_id))
    for entity, wanted in ids.items():
        model, _entity = ORGANIZATION_ENTITIES[entity]
        session.scalars(select(model).where(model.id.in_(wanted))).all()


def _change(
    session: Session,
    organization: Organization,
    entry: ChangeLogEntry,
    periods: tuple[uuid.UUID | None, uuid.UUID | None],
    mirror: _MirrorPage,
) -> Change:
    if entry.entity == ChangeEntity.CERTIFICATE.value:
        return _certificate_change(organization, entry, periods, mirror)
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
    if entry.entity == ChangeEntity.ORGANIZATION.value:
        return Change(
            seq=entry.seq,
            entity=ChangeEntity.ORGANIZATION,
            id=entry.entity_id,
            deleted=False,
            data=organization_record(session, organization),
        )
    model, entity = ORGANIZATION_ENTITIES[entry.entity]
    row = session.get(model, uuid.UUID(entry.entity_id))
    if entry.deleted or row is None:
        return Change(seq=entry.seq, entity=entity, id=entry.entity_id, deleted=True, data=None)
    return Change(seq=entry.seq, entity=entity, id=entry.entity_id, deleted=False, data=record_of(session, row))


def _certificate_change(
    organization: Organization,
    entry: ChangeLogEntry,
    periods: tuple[uuid.UUID | None, uuid.UUID | None],
    mirror: _MirrorPage,
) -> Change:
    certificate = mirror.certificates.get(uuid.UUID(entry.entity_id))
    assert certificate is not None, "certificates are never deleted"
    payer = mirror.payers[certificate.payer_id]
    current, following = periods
    data = mirror_record(
        certificate,
        payer,
        organization.mirror_key,
        mirror.balances.get((certificate.id, current), 0) if current else 0,
        mirror.balances.get((certificate.id, following), 0) if following else 0,
    )
    return Change(
        seq=entry.seq,
        entity=ChangeEntity.CERTIFICATE,
        id=data["lookup_key"],
        deleted=entry.deleted,
        data=None if entry.deleted else data,
    )
