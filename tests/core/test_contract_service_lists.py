"""Tests of ContractService on a workstation's own database (no server): completing the parent's and the child's
details (one ``contract.complete`` in the outbox, refused once signed), the queue of online applications, the
places offered at the desk, and the money a quote keeps aside for requests not sent yet.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from desktop_app.domain.age import AgeRange
from desktop_app.domain.certificate import CertificateKind
from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.money import format_kopecks
from desktop_app.domain.pricing import FinancingPeriod
from desktop_app.domain.program import CertificationStatus, Group, Module, Program
from desktop_app.errors import ExpectedError
from desktop_app.services.certificates import CertificateCheck, CertificateState
from desktop_app.services.contracts import Person
from desktop_app.sync.payloads import OPERATION_PAYLOADS
from desktop_app.sync.records import OutboxOperation
from desktop_app.sync.server_records import GroupRecord
from tests.core.russian import assert_russian

NOW = datetime(2026, 9, 10, 3, 30, tzinfo=UTC)
START = date(2026, 10, 1)
PERIODS = (
    FinancingPeriod("2026/27", date(2026, 9, 1), date(2027, 8, 31)),
    FinancingPeriod("2027/28", date(2027, 9, 1), date(2028, 8, 31)),
)
PARENT = Person(
    "  Петрова Анна Сергеевна ",
    phone=" +7 913 000-12-34",
    email="petrova@example.ru ",
    address="г. Кемерово, ул. Весенняя, д. 5, кв. 12",
    identity_document="Паспорт 3210 123456",
)
CHILD = Person("Петров Пётр Петрович ", address=" г. Кемерово, ул. Весенняя, д. 5, кв. 12")
MISSING = "Укажите ФИО родителя и ребёнка."


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    built = build_context(tmp_path / "data", secrets=MemorySecretStore())
    yield built
    built.close()


def group(name: str, *, capacity: int = 10, taken: int = 0, start: date = date(2026, 9, 1)) -> Group:
    return Group(uuid.uuid4(), name, "Сидоров С. С.", start, date(2027, 5, 31), capacity, taken=taken)


def module(name: str, *groups: Group, price: int = 1_200_000, normative: int | None = 1_500_000) -> Module:
    return Module(
        id=uuid.uuid4(),
        name=name,
        months=9,
        hours=72,
        min_group_size=1,
        max_group_size=30,
        price=price,
        teacher_qualification="",
        normative=normative,
        groups=groups,
    )


def program(name: str, *modules: Module, status: CertificationStatus = CertificationStatus.CERTIFIED) -> Program:
    return Program(
        id=uuid.uuid4(),
        full_name=f"{name}: дополнительная общеразвивающая программа",
        short_name=name,
        direction=None,
        kind=None,
        form=None,
        level=None,
        age_range=AgeRange.from_years(7, 12),
        duration_months=9,
        status=status,
        modules=modules,
    )


def check(kind: CertificateKind = CertificateKind.FINANCING, balance: int = 2_000_000) -> CertificateCheck:
    return CertificateCheck(
        number="4212000001",
        surname="Петров",
        child_full_name="Петров Пётр Петрович",
        birth_date=date(2016, 3, 1),
        kind=kind,
        state=CertificateState.VALID,
        balance_current=balance,
        balance_next=3_000_000,
        agreement_active=True,
        contracts=(),
        offline=False,
        as_of=NOW,
    )


def contract(placed: Program, status: ContractStatus, number: str | None = None, **changes: object) -> Contract:
    first = placed.modules[0]
    made = Contract(
        id=uuid.uuid4(),
        provisional_number=f"П-TEST-{uuid.uuid4().hex[:6]}",
        number=number,
        status=status,
        certificate_number="4212000001",
        child_full_name="Петров Пётр",
        child_birth_date=date(2016, 3, 1),
        parent_full_name="Петрова Анна Сергеевна",
        program_id=placed.id,
        module_id=first.id,
        group_id=first.groups[0].id,
        start_date=START,
        end_date=date(2027, 5, 31),
        price=1_068_132,
        from_certificate=1_068_132,
        co_payment=0,
        normative=1_335_165,
    )
    made = dataclasses.replace(made, **changes)  # type: ignore[arg-type]
    return dataclasses.replace(made, co_payment=made.price - made.from_certificate)


def store(context: AppContext, programs: tuple[Program, ...] = (), contracts: tuple[Contract, ...] = ()) -> None:
    """Save programs (with the places the server counted in their groups), periods and contracts."""
    with context.database.write() as work:
        for item in programs:
            work.programs.save(item, NOW)
            for part in item.modules:
                for each in part.groups:
                    record = GroupRecord(
                        id=each.id,
                        module_id=part.id,
                        name=each.name,
                        teacher=each.teacher,
                        start_date=each.start_date,
                        end_date=each.end_date,
                        capacity=each.capacity,
                        taken=each.taken,
                        archived=False,
                    )
                    work.synced.apply_group(record, local_edits_pending=True)
        for period in PERIODS:
            work.periods.save(period)
        for item in contracts:
            work.contracts.save(item, NOW)


def outbox(context: AppContext) -> list[OutboxOperation]:
    with context.database.read() as work:
        return work.outbox.pending()


def stored(context: AppContext, contract_id: uuid.UUID) -> Contract:
    with context.database.read() as work:
        found = work.contracts.get(contract_id)
    assert found is not None
    return found


@pytest.fixture
def robots() -> Program:
    return program("Робототехника", module("Первый год", group("Группа 1")))


# ---------------------------------------------------------------- completing the details


@pytest.mark.parametrize("status", [ContractStatus.REQUESTED, ContractStatus.CONFIRMED])
def test_complete_details_queues_one_operation(context: AppContext, robots: Program, status: ContractStatus) -> None:
    application = contract(robots, status, "7-ПФ", source="portal", parent_full_name="", child_full_name="Петров Тест")
    store(context, (robots,), (application,))

    updated = context.contracts.complete_details(application.id, PARENT, CHILD)

    expected = dataclasses.replace(
        application,
        parent_full_name="Петрова Анна Сергеевна",
        parent_phone="+7 913 000-12-34",
        parent_email="petrova@example.ru",
        parent_address="г. Кемерово, ул. Весенняя, д. 5, кв. 12",
        parent_document="Паспорт 3210 123456",
        child_full_name="Петров Пётр Петрович",
        child_address="г. Кемерово, ул. Весенняя, д. 5, кв. 12",
    )
    assert updated == expected
    assert stored(context, application.id) == expected
    (operation,) = outbox(context)
    assert (operation.op_type, operation.op_version, operation.entity_id) == ("contract.complete", 1, application.id)
    assert operation.refs == (application.id,)
    assert operation.summary == "Договор 7-ПФ: данные родителя и ребёнка"
    payload = OPERATION_PAYLOADS[("contract.complete", 1)].model_validate(operation.payload)
    assert payload.model_dump(mode="json") == {
        "contract_id": str(application.id),
        "parent": {
            "full_name": "Петрова Анна Сергеевна",
            "phone": "+7 913 000-12-34",
            "email": "petrova@example.ru",
            "address": "г. Кемерово, ул. Весенняя, д. 5, кв. 12",
            "identity_document": "Паспорт 3210 123456",
        },
        "child": {"full_name": "Петров Пётр Петрович", "address": "г. Кемерово, ул. Весенняя, д. 5, кв. 12"},
    }


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (ContractStatus.ACTIVE, "действует"),
        (ContractStatus.TERMINATING, "ожидает расторжения"),
        (ContractStatus.CLOSED, "расторгнут"),
        (ContractStatus.REFUSED, "отклонён"),
        (ContractStatus.PENDING, "ждёт отправки"),
        (ContractStatus.REJECTED, "отклонён сервером"),
    ],
)
def test_complete_details_is_refused_once_signed_or_decided(
    context: AppContext, robots: Program, status: ContractStatus, label: str
) -> None:
    signed = contract(robots, status, "1-ПФ", signed_on=date(2026, 9, 5))
    store(context, (robots,), (signed,))
    with pytest.raises(ExpectedError) as refused:
        context.contracts.complete_details(signed.id, PARENT, CHILD)
    assert refused.value.user_message == (
        f"Данные родителя и ребёнка дополняются до подписания договора; договор в статусе «{label}»."
    )
    assert_russian(refused.value.user_message)
    assert stored(context, signed.id) == signed
    assert outbox(context) == []


@pytest.mark.parametrize(
    ("parent", "child"),
    [(Person(""), CHILD), (Person("  "), CHILD), (PARENT, Person("")), (PARENT, Person("\t"))],
)
def test_complete_details_needs_both_names(context: AppContext, robots: Program, parent: Person, child: Person) -> None:
    application = contract(robots, ContractStatus.REQUESTED, "2-ПФ", source="portal", parent_full_name="")
    store(context, (robots,), (application,))
    with pytest.raises(ExpectedError, match=re.escape(MISSING)):
        context.contracts.complete_details(application.id, parent, child)
    assert stored(context, application.id) == application
    assert outbox(context) == []


def test_complete_details_of_an_unknown_contract(context: AppContext) -> None:
    with pytest.raises(ExpectedError, match=r"^Договор не найден\.$"):
        context.contracts.complete_details(uuid.uuid4(), PARENT, CHILD)
    assert outbox(context) == []


# ---------------------------------------------------------------- the queue of online applications


def test_applications_are_portal_requests_oldest_first(context: AppContext, robots: Program) -> None:
    portal = {"source": "portal", "parent_full_name": ""}
    made = [
        contract(robots, ContractStatus.REQUESTED, "12-ПФ", **portal),
        contract(robots, ContractStatus.REQUESTED, "3-ПФ", **portal),
        contract(robots, ContractStatus.REQUESTED, "101-ПФ", **portal),
        contract(robots, ContractStatus.REQUESTED, "2-ПФ"),  # made at the desk
        contract(robots, ContractStatus.CONFIRMED, "4-ПФ", **portal),
        contract(robots, ContractStatus.REFUSED, "5-ПФ", **portal),
        contract(robots, ContractStatus.ACTIVE, "1-ПФ", source="portal"),
        contract(robots, ContractStatus.PENDING),
    ]
    store(context, (robots,), tuple(made))
    views = context.contracts.applications()
    assert [view.contract.number for view in views] == ["3-ПФ", "12-ПФ", "101-ПФ"]
    assert all(view.needs_details and view.source_label == "с портала" for view in views)


def test_no_applications(context: AppContext, robots: Program) -> None:
    store(context, (robots,), (contract(robots, ContractStatus.REQUESTED, "1-ПФ"),))
    assert context.contracts.applications() == []


def test_the_childs_contracts_are_those_on_the_certificate(context: AppContext, robots: Program) -> None:
    own = [
        contract(robots, ContractStatus.ACTIVE, "1-ПФ", certificate_number="4212000001"),
        contract(robots, ContractStatus.REFUSED, "2-ПФ", certificate_number="4212000001"),
    ]
    store(context, (robots,), (*own, contract(robots, ContractStatus.ACTIVE, "3-ПФ", certificate_number="4212000002")))
    views = context.contracts.of_certificate("4212000001")
    assert sorted(view.contract.number for view in views) == ["1-ПФ", "2-ПФ"]
    assert all(view.program_name == "Робототехника" for view in views)
    assert context.contracts.of_certificate("4212000009") == []


# ---------------------------------------------------------------- places offered at the desk


def offered(context: AppContext, kind: CertificateKind = CertificateKind.FINANCING) -> dict[str, int]:
    """Group name → free places, of what the desk offers this child on START."""
    return {
        placement.group.name: placement.free_places for placement in context.contracts.placements(check(kind), START)
    }


def test_a_group_whose_last_place_a_pending_request_holds_is_not_offered(context: AppContext) -> None:
    last = group("Последнее место", capacity=3, taken=2)
    two = group("Два места", capacity=5, taken=3)
    robots = program("Робототехника", module("Первый год", last, two))
    store(context, (robots,))
    assert offered(context) == {"Последнее место": 1, "Два места": 2}

    pending = contract(robots, ContractStatus.PENDING, group_id=last.id)
    other = contract(robots, ContractStatus.PENDING, group_id=two.id, certificate_number="4212000002")
    counted = contract(robots, ContractStatus.REQUESTED, "1-ПФ", group_id=two.id, certificate_number="4212000003")
    rejected = contract(robots, ContractStatus.REJECTED, group_id=two.id, certificate_number="4212000004")
    store(context, contracts=(pending, other, counted, rejected))
    assert offered(context) == {"Два места": 1}, "a request the server has counted is in «taken» already"


def test_an_accounting_certificate_is_offered_free_modules_only(context: AppContext) -> None:
    paid = module("Платный модуль", group("Платная группа"))
    free = module("Бесплатный модуль", group("Бесплатная группа"), price=0, normative=0)
    uncertified = module("Без норматива", group("Группа без норматива"), price=0, normative=None)
    store(context, (program("Шахматы", paid, free, uncertified),))
    assert set(offered(context, CertificateKind.ACCOUNTING)) == {"Бесплатная группа"}
    assert set(offered(context, CertificateKind.FINANCING)) == {"Платная группа", "Бесплатная группа"}


def test_only_certified_programs_open_on_the_start_with_a_fitting_age_are_offered(context: AppContext) -> None:
    later = group("Набор в ноябре", start=date(2026, 11, 1))
    full = group("Полная группа", capacity=4, taken=4)
    draft = program("Черновик", module("Первый год", group("Группа черновика")), status=CertificationStatus.DRAFT)
    grown_up = dataclasses.replace(
        program("Для старших", module("Первый год", group("Старшая группа"))), age_range=AgeRange.from_years(14, 18)
    )
    store(
        context,
        (program("Робототехника", module("Первый год", group("Открытая группа"), later, full)), draft, grown_up),
    )
    assert offered(context) == {"Открытая группа": 10}


# ---------------------------------------------------------------- money kept aside for requests not sent


def test_a_quote_keeps_aside_what_pending_requests_of_the_same_period_take(context: AppContext) -> None:
    first, second = module("Первый год", group("Группа 1")), module("Второй год", group("Группа 2"))
    robots = program("Робототехника", first, second)
    this_year = contract(robots, ContractStatus.PENDING, from_certificate=400_000)
    next_year = contract(
        robots,
        ContractStatus.PENDING,
        module_id=second.id,
        group_id=second.groups[0].id,
        start_date=date(2027, 9, 1),
        end_date=date(2028, 5, 31),
        from_certificate=900_000,
    )
    decided = contract(robots, ContractStatus.REQUESTED, "1-ПФ", from_certificate=50_000)
    store(context, (robots,), (this_year, next_year, decided))

    quote = context.contracts.quote(check(balance=1_000_000), second.groups[0].id, START)
    assert quote.queued_from_certificate == 400_000, "a request of the next period draws on the next balance"
    assert quote.split.from_certificate == 600_000
    assert quote.warning is not None and format_kopecks(400_000) in quote.warning
    assert_russian(quote.warning)
