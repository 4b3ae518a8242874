"""The wire protocol between the workstation and the regional server (pydantic models, shared by both).

Every request carries ``X-PFDO-Protocol``; a server that cannot serve that version answers 426 with a
Russian message. Money is integer kopecks; dates are ISO dates; timestamps are UTC with a zone.

Push: a batch of ``Operation`` (``op_id`` is the idempotency key, fixed for ever; ``type`` and ``version``
name the payload schema). The reply has one ``OperationResult`` per operation, in order.
Pull: changes after a cursor, in pages; each ``Change`` carries the current state of one record (or a
tombstone). The payload schemas of operations and of pulled records are below.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-PFDO-Protocol"
MAX_OPERATIONS_PER_PUSH = 200
MAX_PULL_PAGE = 1000

Kopecks = Annotated[StrictInt, Field(ge=0, le=10**12)]
ShortText = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(max_length=10_000)]


class WireModel(BaseModel):
    """Unknown fields are an error: a typo must not be silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(WireModel):
    """Every 4xx/5xx answer of the server: a code for programs and a Russian message for people."""

    code: str
    message: str
    details: dict[str, Any] | None = None


# ---------------------------------------------------------------- auth


class Role(enum.StrEnum):
    CLERK = "clerk"
    ORG_ADMIN = "org_admin"
    OPERATOR = "operator"


class LoginRequest(WireModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    device_id: uuid.UUID


class RefreshRequest(WireModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]
    device_id: uuid.UUID


class LogoutRequest(WireModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


class UserInfo(WireModel):
    id: uuid.UUID
    username: str
    full_name: str
    role: Role
    organization_id: uuid.UUID | None
    organization_name: str | None


class TokenPair(WireModel):
    access_token: str
    refresh_token: str
    access_expires_in: int
    """Seconds until the access token expires."""
    user: UserInfo
    mirror_key: str | None
    """Hex key of the organization's offline certificate mirror (keyed hashes); None for the operator."""


# ---------------------------------------------------------------- certificate check


class CertificateCheckRequest(WireModel):
    number: Annotated[str, Field(pattern=r"^\d{10}$")]
    surname: Annotated[str, Field(min_length=1, max_length=100)]


class CertificateState(enum.StrEnum):
    VALID = "valid"
    FROZEN = "frozen"
    EXPIRED = "expired"


class PeriodBalance(WireModel):
    code: str
    starts_on: date
    ends_on: date
    available: Kopecks


class ContractBrief(WireModel):
    id: uuid.UUID
    number: str
    status: str
    program_name: str
    module_name: str
    start_date: date
    end_date: date


class CertificateCheckResponse(WireModel):
    number: str
    child_full_name: str
    birth_date: date
    kind: str
    state: CertificateState
    payer_name: str
    agreement_active: bool
    """Whether this organization has an active payment agreement with the certificate's payer."""
    current_period: PeriodBalance | None
    next_period: PeriodBalance | None
    contracts: list[ContractBrief]
    checked_at: datetime


# ---------------------------------------------------------------- push


class Operation(WireModel):
    op_id: uuid.UUID
    type: Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+$", max_length=64)]
    version: Annotated[StrictInt, Field(ge=1, le=1000)]
    payload: dict[str, Any]


class PushRequest(WireModel):
    operations: Annotated[list[Operation], Field(min_length=1, max_length=MAX_OPERATIONS_PER_PUSH)]


class OperationStatus(enum.StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"
    NEEDS_REVIEW = "needs_review"
    """Applied, but the operator has to look at it (e.g. a program edited while under certification)."""


class OperationResult(WireModel):
    op_id: uuid.UUID
    status: OperationStatus
    code: str | None = None
    message: str | None = None
    """Russian, for the clerk: why it was rejected, or what the operator will look at."""
    figures: dict[str, int | str] | None = None
    """The amounts and times behind a rejection (kopecks, ISO timestamps)."""
    record: dict[str, Any] | None = None
    """The server's view of the record after an applied operation (e.g. the final contract number)."""


class PushResponse(WireModel):
    results: list[OperationResult]
    server_time: datetime


# ---------------------------------------------------------------- pull


class ChangeEntity(enum.StrEnum):
    PROGRAM = "program"
    MODULE = "module"
    GROUP = "group"
    SCHEDULE_ENTRY = "schedule_entry"
    CONTRACT = "contract"
    CERTIFICATE = "certificate"
    PERIOD = "period"
    TEACHER = "teacher"
    ADDRESS = "address"
    ORGANIZATION = "organization"


class Change(WireModel):
    seq: int
    entity: ChangeEntity
    id: str
    deleted: bool
    data: dict[str, Any] | None
    """The record's current state (one of the ``*Record`` models below); None for a tombstone."""


class PullResponse(WireModel):
    changes: list[Change]
    cursor: int
    """Pass it back to get the next changes."""
    has_more: bool
    must_refetch: bool
    """The cursor is older than the retained log: drop the server-owned mirror and pull from 0."""
    server_time: datetime
    remaining: int | None = None
    """How many changes are left after this page (for a progress bar); None when the server does not say."""


# ---------------------------------------------------------------- operation payloads (version 1)


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
    addresses: Annotated[list[ShortText], Field(max_length=50)] = []


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


# ---------------------------------------------------------------- pulled records


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
