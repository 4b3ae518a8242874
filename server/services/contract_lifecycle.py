"""The life of a contract after the request: confirm, activate, terminate, refuse, and closing when due.

Also the parent's and the child's details, completed when the parent comes to sign an online application.
Every transition goes through the domain's state machine. Refusal returns the whole reservation to the
certificate; termination takes effect on the last day of the month and returns what the months after it
would have cost; the place is freed when the contract closes.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select, update

from desktop_app.domain.contract import (
    ContractAction,
    ContractStatus,
    TransitionNotAllowed,
    next_status,
    termination_effective_date,
)
from desktop_app.domain.pricing import PriceSplit, monthly_schedule
from desktop_app.sync.payloads import (
    ContractActionPayload,
    ContractActivatePayload,
    ContractCompletePayload,
    ContractReasonPayload,
)
from desktop_app.sync.protocol import ChangeEntity
from server.db.models import Certificate, CertificateBalance, ContractRow, ContractStatusChange, GroupRow, LedgerEntry
from server.services.audit import audit
from server.services.changes import record_change
from server.services.operations import HANDLERS, OperationContext, Outcome, Rejection
from server.services.records import contract_record


def _own_contract(context: OperationContext, contract_id: uuid.UUID) -> ContractRow:
    row = context.session.scalar(select(ContractRow).where(ContractRow.id == contract_id).with_for_update())
    if row is None or row.organization_id != context.organization.id:
        raise Rejection("not_found", "Договор не найден на сервере.")
    return row


def _move(context: OperationContext, row: ContractRow, action: ContractAction, reason: str = "") -> None:
    try:
        row.status = next_status(ContractStatus(row.status), action).value
    except TransitionNotAllowed as error:
        raise Rejection("transition_not_allowed", error.message) from error
    row.updated_at = context.now
    if reason:
        row.reason = reason
    context.session.add(
        ContractStatusChange(
            contract_id=row.id, status=row.status, changed_at=context.now, user_id=context.user_id, reason=reason
        )
    )
    record_change(
        context.session,
        now=context.now,
        entity=ChangeEntity.CONTRACT,
        entity_id=row.id,
        organization_id=row.organization_id,
    )
    audit(
        context.session,
        at=context.now,
        action=f"contract.{action.value}",
        entity="contract",
        entity_id=row.id,
        user_id=context.user_id,
        organization_id=row.organization_id,
        details={"status": row.status, "reason": reason},
    )


@HANDLERS.register("contract.confirm")
def confirm(context: OperationContext, payload: ContractActionPayload) -> Outcome:
    row = _own_contract(context, payload.contract_id)
    _move(context, row, ContractAction.CONFIRM)
    return Outcome(contract_record(context.session, row))


@HANDLERS.register("contract.activate")
def activate(context: OperationContext, payload: ContractActivatePayload) -> Outcome:
    row = _own_contract(context, payload.contract_id)
    if payload.signed_on > context.today:
        raise Rejection("signed_in_future", "Дата подписания не может быть позже сегодняшнего дня.")
    _move(context, row, ContractAction.ACTIVATE)
    row.signed_on = payload.signed_on
    return Outcome(contract_record(context.session, row))


@HANDLERS.register("contract.refuse")
def refuse(context: OperationContext, payload: ContractReasonPayload) -> Outcome:
    row = _own_contract(context, payload.contract_id)
    _move(context, row, ContractAction.REFUSE, payload.reason)
    _release(context, row, row.from_certificate)
    _free_place(context, row)
    return Outcome(contract_record(context.session, row))


@HANDLERS.register("contract.terminate")
def terminate(context: OperationContext, payload: ContractReasonPayload) -> Outcome:
    row = _own_contract(context, payload.contract_id)
    _move(context, row, ContractAction.TERMINATE, payload.reason)
    effective = termination_effective_date(context.today)
    row.terminates_on = min(effective, row.end_date)
    _release(context, row, unspent_after(row, row.terminates_on))
    return Outcome(contract_record(context.session, row))


COMPLETABLE = (ContractStatus.REQUESTED.value, ContractStatus.CONFIRMED.value)
"""Details can be completed until the parent signs: an application, or a contract waiting for signature."""


@HANDLERS.register("contract.complete")
def complete(context: OperationContext, payload: ContractCompletePayload) -> Outcome:
    """Fill in the parent's and the child's details; the audit names the fields changed, not their values."""
    row = _own_contract(context, payload.contract_id)
    if row.status not in COMPLETABLE:
        raise Rejection(
            "transition_not_allowed",
            "Данные родителя и ребёнка дополняются до подписания договора; "
            f"договор в статусе «{ContractStatus(row.status).label}».",
        )
    if not payload.parent.full_name.strip() or not payload.child.full_name.strip():
        raise Rejection("details_missing", "Укажите ФИО родителя и ребёнка.")
    values = {
        "parent_full_name": payload.parent.full_name.strip(),
        "parent_phone": payload.parent.phone.strip(),
        "parent_email": payload.parent.email.strip(),
        "parent_address": payload.parent.address.strip(),
        "parent_document": payload.parent.identity_document.strip(),
        "child_full_name": payload.child.full_name.strip(),
        "child_address": payload.child.address.strip(),
    }
    changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = context.now
    record_change(
        context.session,
        now=context.now,
        entity=ChangeEntity.CONTRACT,
        entity_id=row.id,
        organization_id=row.organization_id,
    )
    audit(
        context.session,
        at=context.now,
        action="contract.complete",
        entity="contract",
        entity_id=row.id,
        user_id=context.user_id,
        organization_id=row.organization_id,
        details={"fields": changed},
    )
    return Outcome(contract_record(context.session, row))


def unspent_after(row: ContractRow, last_day: date) -> int:
    """What the certificate would have paid for the months after ``last_day``'s month."""
    split = PriceSplit(
        contract_start=row.start_date,
        contract_end=row.end_date,
        period_days=0,
        group_days=0,
        price=row.price,
        normative=row.normative,
        from_certificate=row.from_certificate,
        co_payment=row.co_payment,
    )
    cutoff = last_day.replace(day=1)
    return sum(payment.from_certificate for payment in monthly_schedule(split) if payment.month > cutoff)


def _release(context: OperationContext, row: ContractRow, amount: int) -> None:
    """Return money from the reserve to the balance (once per contract: the ledger's unique key)."""
    if amount <= 0:
        return
    entry = context.session.scalar(
        select(LedgerEntry).where(LedgerEntry.contract_id == row.id, LedgerEntry.kind == "reserve")
    )
    assert entry is not None, "a contract paid from a certificate always has its reservation"
    context.session.execute(
        update(CertificateBalance)
        .where(CertificateBalance.id == entry.balance_id)
        .values(balance=CertificateBalance.balance + amount, reserve=CertificateBalance.reserve - amount)
        .execution_options(synchronize_session=False)
    )
    context.session.add(
        LedgerEntry(
            balance_id=entry.balance_id, contract_id=row.id, kind="release", amount=amount, created_at=context.now
        )
    )
    certificate = context.session.get(Certificate, row.certificate_id)
    assert certificate is not None
    record_change(
        context.session,
        now=context.now,
        entity=ChangeEntity.CERTIFICATE,
        entity_id=certificate.id,
        payer_id=certificate.payer_id,
    )


def _free_place(context: OperationContext, row: ContractRow) -> None:
    context.session.execute(
        update(GroupRow)
        .where(GroupRow.id == row.group_id, GroupRow.taken > 0)
        .values(taken=GroupRow.taken - 1)
        .execution_options(synchronize_session=False)
    )
    record_change(
        context.session,
        now=context.now,
        entity=ChangeEntity.GROUP,
        entity_id=row.group_id,
        organization_id=row.organization_id,
    )


def close_due(context: OperationContext) -> int:
    """Close the organization's contracts whose termination took effect or whose term ended; free places."""
    today = context.today
    due = context.session.scalars(
        select(ContractRow)
        .where(
            ContractRow.organization_id == context.organization.id,
            ((ContractRow.status == "terminating") & (ContractRow.terminates_on < today))
            | ((ContractRow.status == "active") & (ContractRow.end_date < today)),
        )
        .with_for_update()
    ).all()
    for row in due:
        _move(context, row, ContractAction.CLOSE, row.reason or "")
        _free_place(context, row)
    return len(due)
