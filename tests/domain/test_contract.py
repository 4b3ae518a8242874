"""Tests of desktop_app.domain.contract: statuses, the transition table, termination date, display number."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.contract import (
    Contract,
    ContractAction,
    ContractStatus,
    TransitionNotAllowed,
    allowed_actions,
    next_status,
    termination_effective_date,
)

S = ContractStatus
A = ContractAction

# The table of DOMAIN.md plus the client-only pending/rejected, written out independently of the module.
EXPECTED_TRANSITIONS: dict[tuple[ContractStatus, ContractAction], ContractStatus] = {
    (S.PENDING, A.ACCEPT): S.REQUESTED,
    (S.PENDING, A.REJECT): S.REJECTED,
    (S.REQUESTED, A.CONFIRM): S.CONFIRMED,
    (S.REQUESTED, A.REFUSE): S.REFUSED,
    (S.CONFIRMED, A.ACTIVATE): S.ACTIVE,
    (S.CONFIRMED, A.REFUSE): S.REFUSED,
    (S.ACTIVE, A.TERMINATE): S.TERMINATING,
    (S.ACTIVE, A.CLOSE): S.CLOSED,
    (S.TERMINATING, A.CLOSE): S.CLOSED,
}

STATUS_LABELS = {
    S.PENDING: "ждёт отправки",
    S.REJECTED: "отклонён сервером",
    S.REQUESTED: "заявка",
    S.CONFIRMED: "подтверждён, ждёт подписания",
    S.ACTIVE: "действует",
    S.TERMINATING: "ожидает расторжения",
    S.CLOSED: "расторгнут",
    S.REFUSED: "отклонён",
}

ACTION_LABELS = {
    A.ACCEPT: "принять",
    A.REJECT: "отклонить при синхронизации",
    A.CONFIRM: "подтвердить",
    A.ACTIVATE: "отметить как подписанный",
    A.TERMINATE: "расторгнуть",
    A.CLOSE: "закрыть",
    A.REFUSE: "отклонить",
}

FORBIDDEN_PAIRS = [
    (status, action)
    for status, action in itertools.product(ContractStatus, ContractAction)
    if (status, action) not in EXPECTED_TRANSITIONS
]

# How far along its life each status is: every allowed transition moves strictly forward.
PROGRESS = {
    S.PENDING: 0,
    S.REJECTED: 1,
    S.REQUESTED: 1,
    S.CONFIRMED: 2,
    S.REFUSED: 3,
    S.ACTIVE: 3,
    S.TERMINATING: 4,
    S.CLOSED: 5,
}


def test_status_values_are_stable() -> None:
    assert [status.value for status in ContractStatus] == [
        "pending",
        "rejected",
        "requested",
        "confirmed",
        "active",
        "terminating",
        "closed",
        "refused",
    ]


@pytest.mark.parametrize(("status", "label"), list(STATUS_LABELS.items()), ids=[s.value for s in STATUS_LABELS])
def test_status_labels(status: ContractStatus, label: str) -> None:
    assert status.label == label


@pytest.mark.parametrize(("action", "label"), list(ACTION_LABELS.items()), ids=[a.value for a in ACTION_LABELS])
def test_action_labels(action: ContractAction, label: str) -> None:
    assert action.label == label


# ---------------------------------------------------------------- transitions


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [(status, action, target) for (status, action), target in EXPECTED_TRANSITIONS.items()],
    ids=[f"{status.value}-{action.value}" for status, action in EXPECTED_TRANSITIONS],
)
def test_allowed_transitions(status: ContractStatus, action: ContractAction, expected: ContractStatus) -> None:
    assert next_status(status, action) is expected


def test_forbidden_pairs_cover_the_rest() -> None:
    assert len(FORBIDDEN_PAIRS) == len(ContractStatus) * len(ContractAction) - len(EXPECTED_TRANSITIONS)
    assert len(FORBIDDEN_PAIRS) == 8 * 7 - 9


@pytest.mark.parametrize(
    ("status", "action"),
    FORBIDDEN_PAIRS,
    ids=[f"{status.value}-{action.value}" for status, action in FORBIDDEN_PAIRS],
)
def test_forbidden_transitions_raise_with_a_russian_message(status: ContractStatus, action: ContractAction) -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        next_status(status, action)
    error = caught.value
    assert error.status is status
    assert error.action is action
    assert error.message == f"Договор в статусе «{STATUS_LABELS[status]}» нельзя {ACTION_LABELS[action]}."
    assert str(error) == error.message
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        pytest.param(S.CLOSED, A.ACCEPT, "Договор в статусе «расторгнут» нельзя принять.", id="closed-accept"),
        pytest.param(
            S.PENDING, A.ACTIVATE, "Договор в статусе «ждёт отправки» нельзя отметить как подписанный.", id="pending"
        ),
        pytest.param(S.REQUESTED, A.TERMINATE, "Договор в статусе «заявка» нельзя расторгнуть.", id="requested"),
        pytest.param(S.REFUSED, A.REFUSE, "Договор в статусе «отклонён» нельзя отклонить.", id="refused-refuse"),
        pytest.param(
            S.ACTIVE,
            A.REJECT,
            "Договор в статусе «действует» нельзя отклонить при синхронизации.",
            id="active-reject",
        ),
    ],
)
def test_forbidden_transition_messages_read_well(status: ContractStatus, action: ContractAction, message: str) -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        next_status(status, action)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        pytest.param(S.PENDING, [A.ACCEPT, A.REJECT], id="pending"),
        pytest.param(S.REJECTED, [], id="rejected"),
        pytest.param(S.REQUESTED, [A.CONFIRM, A.REFUSE], id="requested"),
        pytest.param(S.CONFIRMED, [A.ACTIVATE, A.REFUSE], id="confirmed"),
        pytest.param(S.ACTIVE, [A.TERMINATE, A.CLOSE], id="active"),
        pytest.param(S.TERMINATING, [A.CLOSE], id="terminating"),
        pytest.param(S.CLOSED, [], id="closed"),
        pytest.param(S.REFUSED, [], id="refused"),
    ],
)
def test_allowed_actions(status: ContractStatus, actions: list[ContractAction]) -> None:
    assert allowed_actions(status) == actions
    assert allowed_actions(status) == allowed_actions(status)


@pytest.mark.parametrize(
    ("status", "is_open", "is_final"),
    [
        pytest.param(S.PENDING, True, False, id="pending"),
        pytest.param(S.REJECTED, False, True, id="rejected"),
        pytest.param(S.REQUESTED, True, False, id="requested"),
        pytest.param(S.CONFIRMED, True, False, id="confirmed"),
        pytest.param(S.ACTIVE, True, False, id="active"),
        pytest.param(S.TERMINATING, True, False, id="terminating"),
        pytest.param(S.CLOSED, False, True, id="closed"),
        pytest.param(S.REFUSED, False, True, id="refused"),
    ],
)
def test_open_and_final(status: ContractStatus, is_open: bool, is_final: bool) -> None:
    assert status.is_open is is_open
    assert status.is_final is is_final
    assert status.is_final is (not allowed_actions(status))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_random_walk_follows_the_table(data: st.DataObject) -> None:
    status = data.draw(st.sampled_from(list(ContractStatus)), label="start")
    path = [status]
    for _ in range(12):
        action = data.draw(st.sampled_from(list(ContractAction)), label=f"action from {status.value}")
        expected = EXPECTED_TRANSITIONS.get((status, action))
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                next_status(status, action)
            continue
        assert action in allowed_actions(status)
        new_status = next_status(status, action)
        assert new_status is expected
        assert PROGRESS[new_status] > PROGRESS[status]
        status = new_status
        path.append(status)
    # A walk never revisits a status, and a final status is where a walk stops moving.
    assert len(path) == len(set(path))
    assert len(path) <= 6
    if status.is_final:
        assert not status.is_open
        assert allowed_actions(status) == []


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_walks_of_allowed_actions_from_pending_end_in_reachable_states(data: st.DataObject) -> None:
    status = S.PENDING
    while allowed_actions(status):
        action = data.draw(st.sampled_from(allowed_actions(status)))
        status = next_status(status, action)
    assert status in {S.REJECTED, S.REFUSED, S.CLOSED}
    assert status.is_final


# ---------------------------------------------------------------- termination date


@pytest.mark.parametrize(
    ("requested_on", "effective"),
    [
        pytest.param(date(2025, 10, 1), date(2025, 10, 31), id="first-day"),
        pytest.param(date(2025, 10, 31), date(2025, 10, 31), id="last-day"),
        pytest.param(date(2025, 11, 15), date(2025, 11, 30), id="thirty-day-month"),
        pytest.param(date(2025, 2, 3), date(2025, 2, 28), id="february-common"),
        pytest.param(date(2024, 2, 3), date(2024, 2, 29), id="february-leap"),
        pytest.param(date(2024, 2, 29), date(2024, 2, 29), id="leap-day-itself"),
        pytest.param(date(2025, 12, 1), date(2025, 12, 31), id="december"),
        pytest.param(date(2025, 12, 31), date(2025, 12, 31), id="new-years-eve"),
    ],
)
def test_termination_effective_date(requested_on: date, effective: date) -> None:
    assert termination_effective_date(requested_on) == effective


@settings(max_examples=150, deadline=None)
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_termination_takes_effect_on_the_months_last_day(day: date) -> None:
    effective = termination_effective_date(day)
    assert effective >= day
    assert (effective.year, effective.month) == (day.year, day.month)
    assert (effective + timedelta(days=1)).day == 1


# ---------------------------------------------------------------- Contract


def make_contract(*, number: str | None, provisional_number: str = "Л-3") -> Contract:
    """A contract with plausible data; only the numbers vary."""
    return Contract(
        id=uuid.UUID(int=1),
        provisional_number=provisional_number,
        number=number,
        status=ContractStatus.PENDING,
        certificate_number="4212345678",
        child_full_name="Иванов Иван Иванович",
        child_birth_date=date(2015, 5, 15),
        parent_full_name="Иванова Мария Петровна",
        program_id=uuid.UUID(int=2),
        module_id=uuid.UUID(int=3),
        group_id=uuid.UUID(int=4),
        start_date=date(2025, 9, 1),
        end_date=date(2026, 5, 31),
        price=1_000_000,
        from_certificate=800_000,
        co_payment=200_000,
    )


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param("17-ПФ", "17-ПФ", id="final-number"),
        pytest.param(None, "Л-3", id="provisional-number"),
        pytest.param("", "Л-3", id="empty-number-is-absent"),
    ],
)
def test_display_number(number: str | None, expected: str) -> None:
    assert make_contract(number=number).display_number == expected


def test_contract_is_immutable() -> None:
    contract = make_contract(number=None)
    numbered = replace(contract, number="17-ПФ", status=ContractStatus.REQUESTED)
    assert contract.display_number == "Л-3"
    assert numbered.display_number == "17-ПФ"
    with pytest.raises(AttributeError):
        contract.number = "18-ПФ"  # type: ignore[misc]
