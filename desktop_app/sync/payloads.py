"""Payloads of the operations a workstation pushes (version 1 of each), and the registry of them all.

Each operation type and version names one schema; the server refuses unknown fields, so a typo is never
silently dropped. Empty strings mean «not filled in»; money is integer kopecks.
"""

from __future__ import annotations

import uuid
from datetime import date, time
from typing import Annotated

from pydantic import Field, StrictInt

from desktop_app.sync.protocol import Kopecks, LongText, ShortText, WireModel


class ProgramPayload(WireModel):
    """``program.create`` and ``program.update``."""

    id: uuid.UUID
    full_name: Annotated[str, Field(max_length=1000)]
    short_name: ShortText
    direction: str | None
    kind: str | None
    form: str | None
    level: str | None
    distance_technologies: bool = False
    age_from_months: Annotated[StrictInt, Field(ge=0, le=300)]
    age_to_months: Annotated[StrictInt, Field(ge=0, le=300)]
    duration_months: Annotated[StrictInt, Field(ge=0, le=1000)]
    annotation: LongText = ""
    goals: LongText = ""
    expected_results: LongText = ""
    medical_certificate_required: bool = False
    accessible_for_disabled: bool = False
    final_document: ShortText = ""
    addresses: Annotated[list[ShortText], Field(max_length=50)] = Field(default_factory=list)


class ModulePayload(WireModel):
    """``module.create`` and ``module.update``."""

    id: uuid.UUID
    program_id: uuid.UUID
    position: Annotated[StrictInt, Field(ge=0, le=1000)]
    name: ShortText
    months: Annotated[StrictInt, Field(ge=0, le=1000)]
    hours: Annotated[StrictInt, Field(ge=0, le=100_000)]
    min_group_size: Annotated[StrictInt, Field(ge=0, le=10_000)]
    max_group_size: Annotated[StrictInt, Field(ge=0, le=10_000)]
    teacher_qualification: ShortText = ""
    price: Kopecks


class GroupPayload(WireModel):
    """``group.create`` and ``group.update``."""

    id: uuid.UUID
    module_id: uuid.UUID
    name: ShortText
    teacher: ShortText
    start_date: date
    end_date: date
    capacity: Annotated[StrictInt, Field(ge=0, le=10_000)]


class ScheduleEntryPayload(WireModel):
    """``schedule.create`` and ``schedule.update``."""

    id: uuid.UUID
    group_id: uuid.UUID
    weekday: Annotated[StrictInt, Field(ge=1, le=7)]
    starts_at: time
    ends_at: time
    room: ShortText = ""
    address: ShortText = ""


class TeacherPayload(WireModel):
    """``teacher.create`` and ``teacher.update``: a teacher (педагог) of the organization's reference list."""

    id: uuid.UUID
    full_name: ShortText
    category: Annotated[str, Field(max_length=100)] = ""
    """Qualification category, free text: «высшая», «первая», «без категории»."""


class AddressPayload(WireModel):
    """``address.create`` and ``address.update``: a place where lessons take place."""

    id: uuid.UUID
    text: ShortText
    note: ShortText = ""
    """A hint for people: which entrance, floor or room."""


class ArchivePayload(WireModel):
    """``<kind>.archive`` of a program, module, group, schedule entry, teacher or address."""

    id: uuid.UUID


class SubmitPayload(WireModel):
    """``program.submit``: send the program for certification."""

    program_id: uuid.UUID


class PersonPayload(WireModel):
    full_name: ShortText
    phone: ShortText = ""
    email: ShortText = ""
    address: ShortText = ""
    identity_document: ShortText = ""


class ChildPayload(WireModel):
    full_name: ShortText
    address: ShortText = ""


class ContractRequestPayload(WireModel):
    """``contract.request``: a contract made at the desk (possibly offline)."""

    id: uuid.UUID
    provisional_number: Annotated[str, Field(min_length=1, max_length=32)]
    certificate_number: Annotated[str, Field(pattern=r"^\d{10}$")]
    child_surname: Annotated[str, Field(min_length=1, max_length=100)]
    group_id: uuid.UUID
    start_date: date
    price: Kopecks
    """What the clerk showed the parent; the server recomputes and must agree."""
    from_certificate: Kopecks
    parent: PersonPayload
    child: ChildPayload


class ContractActionPayload(WireModel):
    """``contract.confirm``."""

    contract_id: uuid.UUID


class ContractActivatePayload(WireModel):
    """``contract.activate``: the parent signed."""

    contract_id: uuid.UUID
    signed_on: date


class ContractReasonPayload(WireModel):
    """``contract.terminate`` and ``contract.refuse``."""

    contract_id: uuid.UUID
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


class ContractCompletePayload(WireModel):
    """``contract.complete``: the parent's and the child's details, filled in when the parent comes to sign
    (an online application arrives without them)."""

    contract_id: uuid.UUID
    parent: PersonPayload
    child: ChildPayload


class RequisitesPayload(WireModel):
    """``organization.requisites``: the requisites printed on contracts, as the organization's admin keeps
    them. Empty strings are «not filled in yet»; a filled value must be valid (check digits)."""

    full_name: ShortText
    short_name: ShortText
    inn: Annotated[str, Field(max_length=12)]
    kpp: Annotated[str, Field(max_length=9)] = ""
    ogrn: Annotated[str, Field(max_length=15)] = ""
    license_number: ShortText = ""
    license_date: date | None = None
    license_issuer: ShortText = ""
    legal_address: ShortText = ""
    actual_address: ShortText = ""
    bank_name: ShortText = ""
    bik: Annotated[str, Field(max_length=9)] = ""
    settlement_account: Annotated[str, Field(max_length=20)] = ""
    correspondent_account: Annotated[str, Field(max_length=20)] = ""
    signatory_name: ShortText = ""
    signatory_position: ShortText = ""
    signatory_basis: ShortText = ""


OPERATION_PAYLOADS: dict[tuple[str, int], type[WireModel]] = {
    ("program.create", 1): ProgramPayload,
    ("program.update", 1): ProgramPayload,
    ("program.archive", 1): ArchivePayload,
    ("program.submit", 1): SubmitPayload,
    ("module.create", 1): ModulePayload,
    ("module.update", 1): ModulePayload,
    ("module.archive", 1): ArchivePayload,
    ("group.create", 1): GroupPayload,
    ("group.update", 1): GroupPayload,
    ("group.archive", 1): ArchivePayload,
    ("schedule.create", 1): ScheduleEntryPayload,
    ("schedule.update", 1): ScheduleEntryPayload,
    ("schedule.archive", 1): ArchivePayload,
    ("contract.request", 1): ContractRequestPayload,
    ("contract.confirm", 1): ContractActionPayload,
    ("contract.activate", 1): ContractActivatePayload,
    ("contract.terminate", 1): ContractReasonPayload,
    ("contract.refuse", 1): ContractReasonPayload,
    ("contract.complete", 1): ContractCompletePayload,
    ("teacher.create", 1): TeacherPayload,
    ("teacher.update", 1): TeacherPayload,
    ("teacher.archive", 1): ArchivePayload,
    ("address.create", 1): AddressPayload,
    ("address.update", 1): AddressPayload,
    ("address.archive", 1): ArchivePayload,
    ("organization.requisites", 1): RequisitesPayload,
}
"""Every operation the server understands, by (type, version)."""
