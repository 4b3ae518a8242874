"""Creating the operator, organizations and their users, payers, agreements and periods (CLI and demo)."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.sync.protocol import ChangeEntity, Role
from server.auth.passwords import Passwords
from server.db.models import Agreement, Certificate, Organization, Payer, Period, User
from server.errors import ApiError
from server.services.audit import audit
from server.services.changes import record_change
from server.services.requisites_ops import publish_organization


def create_user(
    session: Session,
    passwords: Passwords,
    *,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    organization_id: uuid.UUID | None,
    now: datetime,
) -> User:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ApiError(409, "username_taken", f"Пользователь «{username}» уже существует.")
    if (role is Role.OPERATOR) != (organization_id is None):
        raise ApiError(422, "bad_role", "Оператор не принадлежит организации, а сотрудники — принадлежат.")
    user = User(
        username=username,
        password_hash=passwords.hash(password),
        full_name=full_name,
        role=role.value,
        organization_id=organization_id,
        created_at=now,
    )
    session.add(user)
    session.flush()
    audit(
        session,
        at=now,
        action="user.create",
        entity="user",
        entity_id=user.id,
        organization_id=organization_id,
        details={"username": username, "role": role.value},
    )
    return user


def create_organization(session: Session, *, name: str, short_name: str, inn: str, now: datetime) -> Organization:
    if session.scalar(select(Organization.id).where(Organization.inn == inn)) is not None:
        raise ApiError(409, "inn_taken", f"Организация с ИНН {inn} уже есть.")
    organization = Organization(
        name=name, short_name=short_name, inn=inn, mirror_key=secrets.token_hex(32), contract_counter=0, created_at=now
    )
    session.add(organization)
    session.flush()
    audit(
        session,
        at=now,
        action="organization.create",
        entity="organization",
        entity_id=organization.id,
        organization_id=organization.id,
        details={"inn": inn},
    )
    publish_organization(session, organization, now)
    return organization


def create_payer(session: Session, *, code: str, name: str) -> Payer:
    payer = Payer(code=code, name=name)
    session.add(payer)
    session.flush()
    return payer


def create_period(
    session: Session, *, code: str, starts_on: date, ends_on: date, now: datetime | None = None
) -> Period:
    """A financing period; every workstation receives it (reference data) with its next pull."""
    period = Period(code=code, starts_on=starts_on, ends_on=ends_on)
    session.add(period)
    session.flush()
    record_change(session, now=now or datetime.now(UTC), entity=ChangeEntity.PERIOD, entity_id=code)
    return period


def create_agreement(
    session: Session,
    *,
    organization: Organization,
    payer: Payer,
    number: str,
    signed_on: date,
    starts_on: date,
    ends_on: date,
) -> Agreement:
    agreement = Agreement(
        organization_id=organization.id,
        payer_id=payer.id,
        number=number,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        status="active",
    )
    session.add(agreement)
    session.flush()
    now = datetime.now(UTC)
    publish_payer_certificates(session, organization.id, payer.id, now)
    publish_organization(session, organization, now)
    return agreement


def publish_payer_certificates(
    session: Session, organization_id: uuid.UUID, payer_id: uuid.UUID, now: datetime
) -> None:
    """Give the organization the payer's certificates it has not mirrored yet (a new agreement).

    The entries are the organization's own, so other organizations with the same payer are not asked to
    download them again.
    """
    for certificate_id in session.scalars(select(Certificate.id).where(Certificate.payer_id == payer_id)):
        record_change(
            session, now=now, entity=ChangeEntity.CERTIFICATE, entity_id=certificate_id, organization_id=organization_id
        )


def organization_by_reference(session: Session, reference: str) -> Organization:
    """An organization by its ИНН or id, as the CLI names it."""
    organization = session.scalar(select(Organization).where(Organization.inn == reference))
    if organization is None:
        try:
            organization = session.get(Organization, uuid.UUID(reference))
        except ValueError:
            organization = None
    if organization is None:
        raise ApiError(404, "not_found", f"Организация «{reference}» не найдена.")
    return organization
