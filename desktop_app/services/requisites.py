"""The organization's requisites (реквизиты) for contracts: kept by its admin, synced like other records.

The admin may fill them in over several sittings: a value typed wrong is refused with the message next to
its field, an empty one is allowed and listed among what contracts still lack. Saving works offline: the
profile is stored and ``organization.requisites`` is queued in one transaction. Payment agreements with
payers are the operator's; they arrive by sync and are only shown here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop_app.domain.organization import OrganizationProfile
from desktop_app.domain.requisites import entry_errors, validate_requisites
from desktop_app.domain.validation import FieldError
from desktop_app.errors import ExpectedError
from desktop_app.services.session import SessionService
from desktop_app.storage.database import Database
from desktop_app.sync.payloads import RequisitesPayload
from desktop_app.sync.protocol import Role

OPERATION = "organization.requisites"
OPERATION_VERSION = 1
TEXT_LIMIT = 500
"""The longest text the server keeps in a requisite (a name, an address)."""
ADMIN_ONLY = "Реквизиты организации меняет администратор организации. Войдите под его учётной записью."


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RequisitesInvalidError(ExpectedError):
    """Some filled-in requisites are wrong; ``errors`` ties each message to its field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("Реквизиты не сохранены: " + " ".join(error.message for error in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class RequisitesState:
    profile: OrganizationProfile
    can_edit: bool
    """Only the organization's admin changes requisites; a clerk sees them."""
    waiting: bool
    """The last change has not reached the server yet."""
    missing: list[FieldError]
    """What contracts still lack (empty fields and wrong values), in the order of the form."""


class RequisitesService:
    def __init__(self, database: Database, session: SessionService, now: Callable[[], datetime] = _utc_now) -> None:
        self._database = database
        self._session = session
        self._now = now

    def state(self) -> RequisitesState:
        with self._database.read() as work:
            profile = work.organization.get() or OrganizationProfile()
            organization_id = work.sync_state.get().organization_id
            waiting = organization_id is not None and organization_id in work.outbox.pending_entity_ids()
        return RequisitesState(profile, self.can_edit, waiting, validate_requisites(profile))

    @property
    def can_edit(self) -> bool:
        user = self._session.user
        return user is not None and user.role == Role.ORG_ADMIN.value

    def save(self, profile: OrganizationProfile) -> RequisitesState:
        """Store the requisites and queue them for the server.

        Raises:
            ExpectedError: the user is not the organization's admin, or the workstation has never signed in.
            RequisitesInvalidError: a filled-in value is wrong, or the name or the ИНН is empty.
        """
        if not self.can_edit:
            raise ExpectedError(ADMIN_ONLY)
        profile = _stripped(profile)
        errors = _required(profile) + entry_errors(profile)
        if errors:
            raise RequisitesInvalidError(errors)
        now = self._now()
        with self._database.write() as work:
            organization_id = work.sync_state.get().organization_id
            if organization_id is None:
                raise ExpectedError("Войдите в программу: реквизиты сохраняются для организации учётной записи.")
            stored = work.organization.get() or OrganizationProfile()
            kept = dataclasses.replace(profile, payment_agreements=stored.payment_agreements)
            if kept != stored:
                work.organization.save(kept, now)
                work.outbox.enqueue(
                    OPERATION,
                    OPERATION_VERSION,
                    organization_id,
                    _payload(kept),
                    now,
                    summary=f"Реквизиты организации «{kept.short_name or kept.full_name}»",
                )
        return self.state()


def _stripped(profile: OrganizationProfile) -> OrganizationProfile:
    changes = {
        field.name: getattr(profile, field.name).strip()
        for field in dataclasses.fields(profile)
        if isinstance(getattr(profile, field.name), str)
    }
    return dataclasses.replace(profile, **changes)


def _required(profile: OrganizationProfile) -> list[FieldError]:
    errors = [
        FieldError(field.name, f"Не более {TEXT_LIMIT} знаков.")
        for field in dataclasses.fields(profile)
        if isinstance(value := getattr(profile, field.name), str) and len(value) > TEXT_LIMIT
    ]
    if not profile.full_name:
        errors.append(FieldError("full_name", "Укажите полное наименование организации."))
    if not profile.inn:
        errors.append(FieldError("inn", "Укажите ИНН."))
    return errors


def _payload(profile: OrganizationProfile) -> dict[str, object]:
    values = {name: getattr(profile, name) for name in RequisitesPayload.model_fields}
    return RequisitesPayload.model_validate(values).model_dump(mode="json")
