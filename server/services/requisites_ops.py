"""The organization's requisites (реквизиты) and its record as workstations receive it.

Only the organization's admin changes requisites; a filled value must pass the shared check-digit rules
(ИНН, КПП, ОГРН, БИК, accounts), an empty one means «not filled in yet». The record carries the payment
agreements the operator registered, so a contract names the right one without anybody typing it twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.organization import OrganizationProfile
from desktop_app.domain.requisites import entry_errors
from desktop_app.sync.payloads import RequisitesPayload
from desktop_app.sync.protocol import ChangeEntity, Role
from desktop_app.sync.server_records import OrganizationRecord, PaymentAgreementRecord
from server.db.models import Agreement, Organization, Payer, User
from server.services.audit import audit
from server.services.changes import record_change
from server.services.operations import HANDLERS, OperationContext, Outcome, Rejection

SCALAR_REQUISITES = tuple(name for name in RequisitesPayload.model_fields if name not in ("full_name", "license_date"))
"""Requisites stored under the same name on the organization (``full_name`` is its ``name``)."""


def organization_record(session: Session, organization: Organization) -> dict[str, Any]:
    agreements = session.execute(
        select(Agreement, Payer)
        .join(Payer, Payer.id == Agreement.payer_id)
        .where(Agreement.organization_id == organization.id)
        .order_by(Agreement.signed_on, Agreement.number)
    ).all()
    return OrganizationRecord(
        id=organization.id,
        full_name=organization.name,
        license_date=organization.license_date,
        **{name: getattr(organization, name) for name in SCALAR_REQUISITES},
        agreements=[
            PaymentAgreementRecord(
                payer_code=payer.code,
                payer_name=payer.name,
                number=agreement.number,
                signed_on=agreement.signed_on,
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
                status=agreement.status,
            )
            for agreement, payer in agreements
        ],
    ).model_dump(mode="json")


def publish_organization(session: Session, organization: Organization, now: datetime) -> None:
    """The organization's record changed (requisites or agreements): its workstations pull it anew."""
    record_change(
        session, now=now, entity=ChangeEntity.ORGANIZATION, entity_id=organization.id, organization_id=organization.id
    )


@HANDLERS.register("organization.requisites")
def save_requisites(context: OperationContext, payload: RequisitesPayload) -> Outcome:
    user = context.session.get(User, context.user_id) if context.user_id else None
    if user is None or user.role != Role.ORG_ADMIN.value:
        raise Rejection("forbidden", "Реквизиты организации меняет администратор организации.")
    values = {name: getattr(payload, name).strip() for name in ("full_name", *SCALAR_REQUISITES)}
    profile = OrganizationProfile(**values, license_date=payload.license_date)
    problems = entry_errors(profile)
    if problems:
        raise Rejection("invalid_requisites", " ".join(problem.message for problem in problems))
    if not values["full_name"] or not values["inn"]:
        raise Rejection("invalid_requisites", "Укажите полное наименование и ИНН организации.")
    organization = context.organization
    taken = context.session.scalar(
        select(Organization.id).where(Organization.inn == values["inn"], Organization.id != organization.id)
    )
    if taken is not None:
        raise Rejection("inn_taken", f"ИНН {values['inn']} принадлежит другой организации региона.")
    fields = (*values, "license_date")
    changed = sorted(name for name in fields if _current(organization, name) != getattr(profile, name))
    organization.name = profile.full_name
    organization.license_date = profile.license_date
    for name in SCALAR_REQUISITES:
        setattr(organization, name, getattr(profile, name))
    publish_organization(context.session, organization, context.now)
    audit(
        context.session,
        at=context.now,
        action="organization.requisites",
        entity="organization",
        entity_id=organization.id,
        user_id=context.user_id,
        organization_id=organization.id,
        details={"fields": changed},
    )
    return Outcome(organization_record(context.session, organization))


def _current(organization: Organization, name: str) -> object:
    if name == "full_name":
        return organization.name
    return getattr(organization, name)
