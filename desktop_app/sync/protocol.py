"""The wire protocol between the workstation and the regional server (pydantic models, shared by both).

Every request carries ``X-PFDO-Protocol``; a server that cannot serve that version answers 426 with a
Russian message. Money is integer kopecks; dates are ISO dates; timestamps are UTC with a zone.

Push: a batch of ``Operation`` (``op_id`` is the idempotency key, fixed for ever; ``type`` and ``version``
name the payload schema). The reply has one ``OperationResult`` per operation, in order.
Pull: changes after a cursor, in pages; each ``Change`` carries the current state of one record (or a
tombstone). The payload schemas of operations are in ``payloads``, those of pulled records in
``server_records``.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
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
