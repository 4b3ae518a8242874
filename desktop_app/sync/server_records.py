"""Records as the server sends them: in pull pages and in the results of pushed operations."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from desktop_app.sync.payloads import PersonPayload, RequisitesPayload
from desktop_app.sync.protocol import WireModel


class DecisionRecord(WireModel):
    decision: str
    remark: str
    author: str
    decided_at: datetime


class ProgramRecord(WireModel):
    id: uuid.UUID
    full_name: str
    short_name: str
    direction: str | None
    kind: str | None
    form: str | None
    level: str | None
    distance_technologies: bool
    age_from_months: int
    age_to_months: int
    duration_months: int
    annotation: str
    goals: str
    expected_results: str
    medical_certificate_required: bool
    accessible_for_disabled: bool
    final_document: str
    addresses: list[str]
    status: str
    archived: bool
    decisions: list[DecisionRecord]
    """Certification decisions with the operator's remarks, newest first."""


class ModuleRecord(WireModel):
    id: uuid.UUID
    program_id: uuid.UUID
    position: int
    name: str
    months: int
    hours: int
    min_group_size: int
    max_group_size: int
    teacher_qualification: str
    price: int
    normative: int | None
    archived: bool


class GroupRecord(WireModel):
    id: uuid.UUID
    module_id: uuid.UUID
    name: str
    teacher: str
    start_date: date
    end_date: date
    capacity: int
    taken: int
    """Places held by open contracts, across every workstation."""
    archived: bool


class ScheduleEntryRecord(WireModel):
    id: uuid.UUID
    group_id: uuid.UUID
    weekday: int
    starts_at: time
    ends_at: time
    room: str
    address: str
    archived: bool


class TeacherRecord(WireModel):
    id: uuid.UUID
    full_name: str
    category: str
    archived: bool


class AddressRecord(WireModel):
    id: uuid.UUID
    text: str
    note: str
    archived: bool


class ContractRecord(WireModel):
    id: uuid.UUID
    number: str
    provisional_number: str | None
    status: str
    source: str
    """``desk`` (made at a workstation) or ``portal`` (a parent's online application)."""
    certificate_number: str
    child_full_name: str
    child_birth_date: date
    parent: PersonPayload | None
    program_id: uuid.UUID
    module_id: uuid.UUID
    group_id: uuid.UUID
    start_date: date
    end_date: date
    price: int
    normative: int
    from_certificate: int
    co_payment: int
    requested_at: datetime
    signed_on: date | None
    terminates_on: date | None
    reason: str | None
    """Why it was refused or terminated."""


class PaymentAgreementRecord(WireModel):
    """An agreement of the organization with a payer, as the operator registered it."""

    payer_code: str
    payer_name: str
    number: str
    signed_on: date
    starts_on: date
    ends_on: date
    status: str
    """``active``, ``suspended`` or ``terminated``."""


class OrganizationRecord(RequisitesPayload):
    """The organization itself: its requisites and its payment agreements with payers."""

    id: uuid.UUID
    agreements: list[PaymentAgreementRecord]


class PeriodRecord(WireModel):
    """A financing period of certificates (reference data every organization receives)."""

    code: str
    starts_on: date
    ends_on: date


class CertificateMirrorRecord(WireModel):
    """The offline mirror: no names; ``lookup_key`` is HMAC(mirror key, number + normalized surname)."""

    lookup_key: str
    kind: str
    birth_date: date
    frozen: bool
    balance_current: int
    balance_next: int
    payer_code: str
