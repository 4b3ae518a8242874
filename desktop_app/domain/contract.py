"""The life of a contract (договор об образовании): statuses, allowed transitions, termination date.

Server-side statuses follow DOMAIN.md: requested → confirmed → active → terminating → closed, and refused
from requested or confirmed. Two more exist only on the client: **pending** (made offline, the server has
not decided yet) and **rejected** (the server refused to accept it, e.g. the balance was spent meanwhile).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.age import last_day_of_month


class ContractStatus(enum.StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    ACTIVE = "active"
    TERMINATING = "terminating"
    CLOSED = "closed"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        """The status as the clerk reads it."""
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Whether the contract holds (or may hold) a place and money: it blocks a second contract."""
        return self in _OPEN_STATUSES

    @property
    def is_final(self) -> bool:
        return not any(source is self for source, _ in _TRANSITIONS)


_STATUS_LABELS = {
    ContractStatus.PENDING: "ждёт отправки",
    ContractStatus.REJECTED: "отклонён сервером",
    ContractStatus.REQUESTED: "заявка",
    ContractStatus.CONFIRMED: "подтверждён, ждёт подписания",
    ContractStatus.ACTIVE: "действует",
    ContractStatus.TERMINATING: "ожидает расторжения",
    ContractStatus.CLOSED: "расторгнут",
    ContractStatus.REFUSED: "отклонён",
}

_OPEN_STATUSES = frozenset(
    {
        ContractStatus.PENDING,
        ContractStatus.REQUESTED,
        ContractStatus.CONFIRMED,
        ContractStatus.ACTIVE,
        ContractStatus.TERMINATING,
    }
)


class ContractAction(enum.StrEnum):
    ACCEPT = "accept"
    """The server accepted a contract made offline."""
    REJECT = "reject"
    """The server did not accept a contract made offline."""
    CONFIRM = "confirm"
    ACTIVATE = "activate"
    """The parent signed."""
    TERMINATE = "terminate"
    CLOSE = "close"
    """Termination took effect, or the contract ran to its end."""
    REFUSE = "refuse"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    ContractAction.ACCEPT: "принять",
    ContractAction.REJECT: "отклонить при синхронизации",
    ContractAction.CONFIRM: "подтвердить",
    ContractAction.ACTIVATE: "отметить как подписанный",
    ContractAction.TERMINATE: "расторгнуть",
    ContractAction.CLOSE: "закрыть",
    ContractAction.REFUSE: "отклонить",
}

_TRANSITIONS: dict[tuple[ContractStatus, ContractAction], ContractStatus] = {
    (ContractStatus.PENDING, ContractAction.ACCEPT): ContractStatus.REQUESTED,
    (ContractStatus.PENDING, ContractAction.REJECT): ContractStatus.REJECTED,
    (ContractStatus.REQUESTED, ContractAction.CONFIRM): ContractStatus.CONFIRMED,
    (ContractStatus.REQUESTED, ContractAction.REFUSE): ContractStatus.REFUSED,
    (ContractStatus.CONFIRMED, ContractAction.ACTIVATE): ContractStatus.ACTIVE,
    (ContractStatus.CONFIRMED, ContractAction.REFUSE): ContractStatus.REFUSED,
    (ContractStatus.ACTIVE, ContractAction.TERMINATE): ContractStatus.TERMINATING,
    (ContractStatus.ACTIVE, ContractAction.CLOSE): ContractStatus.CLOSED,
    (ContractStatus.TERMINATING, ContractAction.CLOSE): ContractStatus.CLOSED,
}


class TransitionNotAllowed(ValueError):  # noqa: N818 — a refusal the clerk reads, named as such
    """An action the contract's status does not allow; ``message`` is for the clerk."""

    def __init__(self, status: ContractStatus, action: ContractAction) -> None:
        self.status = status
        self.action = action
        self.message = f"Договор в статусе «{status.label}» нельзя {action.label}."
        super().__init__(self.message)


def allowed_actions(status: ContractStatus) -> list[ContractAction]:
    """The actions the status allows, in a stable order."""
    return [action for (source, action) in _TRANSITIONS if source is status]


def next_status(status: ContractStatus, action: ContractAction) -> ContractStatus:
    """The status after the action.

    Raises:
        TransitionNotAllowed: the status does not allow the action.
    """
    try:
        return _TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionNotAllowed(status, action) from None


def termination_effective_date(requested_on: date) -> date:
    """A termination takes effect on the last day of the month it was requested in."""
    return last_day_of_month(requested_on)


@dataclass(frozen=True, slots=True)
class Contract:
    """A contract as the workstation knows it. Money in kopecks.

    ``number`` is the final number the server assigns (``17-ПФ``); until then the contract carries the
    ``provisional_number`` the workstation gave it offline.
    """

    id: uuid.UUID
    provisional_number: str
    number: str | None
    status: ContractStatus
    certificate_number: str
    child_full_name: str
    child_birth_date: date
    parent_full_name: str
    program_id: uuid.UUID
    module_id: uuid.UUID
    group_id: uuid.UUID
    start_date: date
    end_date: date
    price: int
    from_certificate: int
    co_payment: int
    normative: int = 0
    child_surname: str = ""
    child_address: str = ""
    parent_phone: str = ""
    parent_email: str = ""
    parent_address: str = ""
    parent_document: str = ""
    source: str = "desk"
    """``desk`` (made at a workstation) or ``portal`` (a parent's online application)."""
    signed_on: date | None = None
    terminates_on: date | None = None
    reason: str = ""
    """Why it was refused, terminated, or rejected by the server."""

    @property
    def display_number(self) -> str:
        return self.number or self.provisional_number
