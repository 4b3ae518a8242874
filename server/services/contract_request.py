"""Arbitration of a contract request: everything re-checked in one transaction, money and place taken.

Several organizations draw on one certificate, and many race for the last places in September. So the
server re-checks every precondition, recomputes the split with the domain's own formula, and takes the place
and the money with conditional updates (``… WHERE taken < capacity``, ``… WHERE balance >= amount``) that
cannot oversell under concurrency; the database's CHECK constraints and unique keys stand behind them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from desktop_app.domain.age import AgeRange
from desktop_app.domain.certificate import is_certificate_expired, normalize_surname
from desktop_app.domain.contract import ContractStatus
from desktop_app.domain.pricing import ContractTerms, PriceSplit, PricingError, split_price
from desktop_app.sync.payloads import ChildPayload, ContractRequestPayload, PersonPayload
from desktop_app.sync.protocol import ChangeEntity
from server.db.models import (
    Agreement,
    Certificate,
    CertificateBalance,
    ContractRow,
    ContractStatusChange,
    GroupRow,
    LedgerEntry,
    ModuleRow,
    Organization,
    Period,
    ProgramRow,
)
from server.db.models.contracts import OPEN_STATUSES
from server.services.audit import audit
from server.services.changes import record_change
from server.services.operations import HANDLERS, OperationContext, Outcome, Rejection, money
from server.services.records import contract_record

NOT_FOUND = "Сертификат не найден или фамилия не совпадает."


@dataclass(frozen=True)
class Request:
    """A contract request, from a workstation or from the parents' portal."""

    contract_id: uuid.UUID
    certificate_number: str
    child_surname: str
    group_id: uuid.UUID
    start_date: date
    source: str
    provisional_number: str | None = None
    promised: tuple[int, int] | None = None
    """(price, from certificate) the clerk showed the parent; the server's split must agree."""
    parent: PersonPayload | None = None
    child: ChildPayload | None = None


@HANDLERS.register("contract.request")
def request_from_desk(context: OperationContext, payload: ContractRequestPayload) -> Outcome:
    row = request_contract(
        context,
        Request(
            contract_id=payload.id,
            certificate_number=payload.certificate_number,
            child_surname=payload.child_surname,
            group_id=payload.group_id,
            start_date=payload.start_date,
            source="desk",
            provisional_number=payload.provisional_number,
            promised=(payload.price, payload.from_certificate),
            parent=payload.parent,
            child=payload.child,
        ),
    )
    return Outcome(contract_record(context.session, row))


def request_contract(context: OperationContext, request: Request) -> ContractRow:
    """Check, price, reserve and number a new contract in status «requested».

    Raises:
        Rejection: a precondition fails; the message says which, with the figures.
    """
    session = context.session
    if session.get(ContractRow, request.contract_id) is not None:
        raise Rejection("already_exists", "Договор с таким идентификатором уже есть на сервере.")
    certificate = _certificate(context, request)
    group, module, program = _place(context, request.group_id)
    _check_child(context, request, certificate, program, group)
    period = _period(context, request.start_date)
    balance = _balance(context, certificate, period)
    split = _split(context, request, certificate, module, group, period, balance)
    _take_place(context, group)
    _reserve(context, balance, split.from_certificate)
    row = _insert(context, request, certificate, group, module, period, split)
    if split.from_certificate:
        assert balance is not None
        session.add(
            LedgerEntry(
                balance_id=balance.id,
                contract_id=row.id,
                kind="reserve",
                amount=split.from_certificate,
                created_at=context.now,
            )
        )
    session.add(
        ContractStatusChange(contract_id=row.id, status=row.status, changed_at=context.now, user_id=context.user_id)
    )
    organization_id = context.organization.id
    record_change(
        session, now=context.now, entity=ChangeEntity.CONTRACT, entity_id=row.id, organization_id=organization_id
    )
    record_change(
        session, now=context.now, entity=ChangeEntity.GROUP, entity_id=group.id, organization_id=organization_id
    )
    record_change(
        session,
        now=context.now,
        entity=ChangeEntity.CERTIFICATE,
        entity_id=certificate.id,
        payer_id=certificate.payer_id,
    )
    audit(
        session,
        at=context.now,
        action="contract.request",
        entity="contract",
        entity_id=row.id,
        user_id=context.user_id,
        organization_id=organization_id,
        details={"number": row.number, "source": request.source, "from_certificate": split.from_certificate},
    )
    return row


def _certificate(context: OperationContext, request: Request) -> Certificate:
    certificate = context.session.scalar(
        select(Certificate).where(Certificate.number == request.certificate_number).with_for_update()
    )
    if certificate is None or normalize_surname(certificate.surname) != normalize_surname(request.child_surname):
        raise Rejection("certificate_not_found", NOT_FOUND)
    if certificate.frozen:
        raise Rejection("certificate_frozen", f"Сертификат {certificate.number} заморожен: средства недоступны.")
    if is_certificate_expired(certificate.birth_date, max(context.today, request.start_date)):
        raise Rejection(
            "certificate_expired", f"Сертификат {certificate.number} недействителен: ребёнку исполнилось 18 лет."
        )
    agreement = context.session.scalar(
        select(Agreement.id).where(
            Agreement.organization_id == context.organization.id,
            Agreement.payer_id == certificate.payer_id,
            Agreement.status == "active",
            Agreement.starts_on <= request.start_date,
            Agreement.ends_on >= request.start_date,
        )
    )
    if agreement is None:
        raise Rejection(
            "no_agreement", "У организации нет действующего соглашения с плательщиком по этому сертификату."
        )
    return certificate


def _place(context: OperationContext, group_id: uuid.UUID) -> tuple[GroupRow, ModuleRow, ProgramRow]:
    found = context.session.execute(
        select(GroupRow, ModuleRow, ProgramRow)
        .outerjoin(ModuleRow, ModuleRow.id == GroupRow.module_id)
        .outerjoin(ProgramRow, ProgramRow.id == ModuleRow.program_id)
        .where(GroupRow.id == group_id)
    ).first()
    group, module, program = found if found is not None else (None, None, None)
    if group is None or group.organization_id != context.organization.id or group.archived:
        raise Rejection("not_found", "Группа не найдена на сервере.")
    if module is None or program is None or module.archived or program.archived:
        raise Rejection("not_found", "Программа или модуль группы не найдены на сервере.")
    if program.status != "certified" or module.normative is None:
        raise Rejection(
            "program_not_certified",
            f"Программа «{program.short_name}» не сертифицирована: запись по сертификату невозможна.",
        )
    return group, module, program


def _check_child(
    context: OperationContext, request: Request, certificate: Certificate, program: ProgramRow, group: GroupRow
) -> None:
    if not group.start_date <= request.start_date <= group.end_date:
        raise Rejection(
            "start_outside_group",
            f"Дата начала {request.start_date:%d.%m.%Y} вне периода занятий группы "
            f"({group.start_date:%d.%m.%Y} – {group.end_date:%d.%m.%Y}).",
        )
    ages = AgeRange(program.age_from_months, program.age_to_months)
    if not ages.admits(certificate.birth_date, request.start_date):
        raise Rejection(
            "age_out_of_range",
            f"Возраст ребёнка на {request.start_date:%d.%m.%Y} не подходит программе: {ages.describe()}.",
        )
    duplicate = context.session.scalar(
        select(func.count())
        .select_from(ContractRow)
        .where(
            ContractRow.certificate_id == certificate.id,
            ContractRow.module_id == group.module_id,
            ContractRow.status.in_(OPEN_STATUSES),
        )
    )
    if duplicate:
        raise Rejection("duplicate_contract", "У ребёнка уже есть действующий договор по этому модулю.")


def _period(context: OperationContext, start: date) -> Period:
    period = context.session.scalar(select(Period).where(Period.starts_on <= start, Period.ends_on >= start))
    if period is None:
        raise Rejection("no_period", f"На {start:%d.%m.%Y} нет периода финансирования сертификатов.")
    return period


def _balance(context: OperationContext, certificate: Certificate, period: Period) -> CertificateBalance | None:
    return context.session.scalar(
        select(CertificateBalance)
        .where(CertificateBalance.certificate_id == certificate.id, CertificateBalance.period_id == period.id)
        .with_for_update()
    )


def _split(
    context: OperationContext,
    request: Request,
    certificate: Certificate,
    module: ModuleRow,
    group: GroupRow,
    period: Period,
    balance: CertificateBalance | None,
) -> PriceSplit:
    available = balance.balance if balance is not None and certificate.kind == "financing" else 0
    if certificate.kind == "accounting" and module.price > 0:
        raise Rejection(
            "accounting_certificate", "По сертификату учёта можно записаться только на бесплатную программу."
        )
    assert module.normative is not None
    terms = ContractTerms(
        module_price=module.price,
        module_normative=module.normative,
        group_start=group.start_date,
        group_end=group.end_date,
        contract_start=request.start_date,
        period_end=period.ends_on,
        certificate_balance=available,
    )
    try:
        split = split_price(terms)
    except PricingError as error:
        raise Rejection("invalid_dates", error.message) from error
    if request.promised is not None:
        _compare_with_promise(context, request.promised, split, available)
    return split


def _compare_with_promise(
    context: OperationContext, promised: tuple[int, int], split: PriceSplit, available: int
) -> None:
    price, from_certificate = promised
    if price != split.price:
        raise Rejection(
            "price_changed",
            f"Стоимость договора изменилась: рассчитано {money(price)}, по данным сервера {money(split.price)}. "
            "Пересчитайте договор с родителем.",
            {"requested_price": price, "price": split.price, "decided_at": context.now.isoformat()},
        )
    if from_certificate != split.from_certificate:
        raise Rejection(
            "insufficient_balance" if from_certificate > split.from_certificate else "balance_changed",
            f"Запрошено {money(from_certificate)}, доступно {money(available)} на {context.moment()}.",
            {"requested": from_certificate, "available": available, "decided_at": context.now.isoformat()},
        )


def _take_place(context: OperationContext, group: GroupRow) -> None:
    taken = context.session.execute(
        update(GroupRow)
        .where(GroupRow.id == group.id, GroupRow.taken < GroupRow.capacity)
        .values(taken=GroupRow.taken + 1)
        .returning(GroupRow.taken)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if taken is None:
        raise Rejection(
            "no_places",
            f"Свободных мест в группе «{group.name}» не осталось: кто-то опередил Вас ({context.moment()}).",
            {"capacity": group.capacity, "decided_at": context.now.isoformat()},
        )
    set_committed_value(group, "taken", taken)


def _reserve(context: OperationContext, balance: CertificateBalance | None, amount: int) -> None:
    if amount == 0:
        return
    assert balance is not None
    moved = context.session.execute(
        update(CertificateBalance)
        .where(and_(CertificateBalance.id == balance.id, CertificateBalance.balance >= amount))
        .values(balance=CertificateBalance.balance - amount, reserve=CertificateBalance.reserve + amount)
        .returning(CertificateBalance.balance, CertificateBalance.reserve)
        .execution_options(synchronize_session=False)
    ).first()
    if moved is not None:
        set_committed_value(balance, "balance", moved.balance)
        set_committed_value(balance, "reserve", moved.reserve)
    else:
        context.session.refresh(balance)
        raise Rejection(
            "insufficient_balance",
            f"Запрошено {money(amount)}, доступно {money(balance.balance)} на {context.moment()}.",
            {"requested": amount, "available": balance.balance, "decided_at": context.now.isoformat()},
        )


def _next_number(context: OperationContext) -> str:
    counter = context.session.execute(
        update(Organization)
        .where(Organization.id == context.organization.id)
        .values(contract_counter=Organization.contract_counter + 1)
        .returning(Organization.contract_counter)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return f"{counter}-ПФ"


def _insert(
    context: OperationContext,
    request: Request,
    certificate: Certificate,
    group: GroupRow,
    module: ModuleRow,
    period: Period,
    split: PriceSplit,
) -> ContractRow:
    parent = request.parent
    child = request.child
    row = ContractRow(
        id=request.contract_id,
        organization_id=context.organization.id,
        number=_next_number(context),
        provisional_number=request.provisional_number,
        source=request.source,
        status=ContractStatus.REQUESTED.value,
        certificate_id=certificate.id,
        program_id=module.program_id,
        module_id=module.id,
        group_id=group.id,
        period_id=period.id,
        start_date=split.contract_start,
        end_date=split.contract_end,
        price=split.price,
        normative=split.normative,
        from_certificate=split.from_certificate,
        co_payment=split.co_payment,
        child_full_name=child.full_name if child else certificate.full_name,
        child_address=child.address if child else "",
        parent_full_name=parent.full_name if parent else "",
        parent_phone=parent.phone if parent else "",
        parent_email=parent.email if parent else "",
        parent_address=parent.address if parent else "",
        parent_document=parent.identity_document if parent else "",
        requested_at=context.now,
        updated_at=context.now,
    )
    context.session.add(row)
    try:
        context.session.flush()
    except IntegrityError as error:
        raise Rejection("duplicate_contract", "У ребёнка уже есть действующий договор по этому модулю.") from error
    return row
