"""Tests the arbitration of contract requests: each precondition refused with its own code and Russian
message, money and places taken only when everything holds, the database's own guards, and parents'
online applications from the portal.

After every scenario the certificate money is checked against its ledger: for every balance row
``balance + reserve == nominal`` (nothing is spent yet: invoices are not in the server), the reserve equals the
reserved minus the released amounts, and nothing is negative.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from desktop_app.domain.pricing import PriceSplit
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import (
    Agreement,
    Certificate,
    CertificateBalance,
    ChangeLogEntry,
    ContractRow,
    GroupRow,
    LedgerEntry,
    ModuleRow,
    Organization,
    Period,
    ProgramRow,
)
from tests.server.conftest import TEST_NOW
from tests.server.world import (
    GROUP_DATES,
    PROTOCOL,
    CertificateFixture,
    OrganizationFixture,
    World,
    expected_split,
    login,
    operation,
    push,
)

NOT_FOUND = "Сертификат не найден или фамилия не совпадает."
START = date(2026, 10, 1)
DECIDED_AT = "2026-09-10T03:30:00+00:00"
"""The fixed clock's instant as the figures carry it (UTC); messages show it as 10.09.2026 10:30."""

Operation = dict[str, Any]


# ---------------------------------------------------------------- the region's state


def add_certificate(
    database: ServerDatabase,
    world: World,
    key: str,
    *,
    number: str,
    surname: str = "Кузнецова",
    birth_date: date = date(2015, 5, 5),
    kind: str = "financing",
    payer: str = "12",
    balance: int = 2_000_000,
) -> CertificateFixture:
    """A certificate with a balance in the current period and 30 000 ₽ in the next one."""
    with database.transaction() as session:
        periods = session.scalars(select(Period).order_by(Period.starts_on)).all()
        certificate = Certificate(
            number=number,
            surname=surname,
            first_name="Тест",
            patronymic="",
            birth_date=birth_date,
            kind=kind,
            payer_id=world.payer_ids[payer],
            frozen=False,
            created_at=TEST_NOW,
            updated_at=TEST_NOW,
        )
        session.add(certificate)
        session.flush()
        for period, amount in zip(periods, (balance, 3_000_000), strict=True):
            session.add(
                CertificateBalance(
                    certificate_id=certificate.id, period_id=period.id, nominal=amount, balance=amount, reserve=0
                )
            )
        fixture = CertificateFixture(certificate.id, number, surname, birth_date, balance, payer)
    world.certificates[key] = fixture
    return fixture


def money_state(database: ServerDatabase) -> dict[str, Any]:
    """What a contract request may change: money, places, contracts, numbers, the change log."""
    with database.transaction() as session:
        return {
            "balances": sorted(
                (str(row.id), row.balance, row.reserve) for row in session.scalars(select(CertificateBalance))
            ),
            "ledger entries": session.scalar(select(func.count()).select_from(LedgerEntry)),
            "contracts": session.scalar(select(func.count()).select_from(ContractRow)),
            "places taken": sorted((str(row.id), row.taken) for row in session.scalars(select(GroupRow))),
            "contract counters": sorted(
                (str(row.id), row.contract_counter) for row in session.scalars(select(Organization))
            ),
            "change log": session.scalar(select(func.max(ChangeLogEntry.seq))),
        }


def assert_money_invariants(database: ServerDatabase) -> None:
    with database.transaction() as session:
        sums = {
            (balance_id, kind): total
            for balance_id, kind, total in session.execute(
                select(LedgerEntry.balance_id, LedgerEntry.kind, func.sum(LedgerEntry.amount)).group_by(
                    LedgerEntry.balance_id, LedgerEntry.kind
                )
            )
        }
        for row in session.scalars(select(CertificateBalance)):
            assert row.balance >= 0, row.id
            assert row.reserve >= 0, row.id
            assert row.balance + row.reserve == row.nominal, (row.id, row.nominal, row.balance, row.reserve)
            reserved = sums.get((row.id, "reserve"), 0)
            released = sums.get((row.id, "release"), 0)
            assert row.reserve == reserved - released, (row.id, row.reserve, reserved, released)
        reservations = {
            entry.contract_id: entry.amount
            for entry in session.scalars(select(LedgerEntry).where(LedgerEntry.kind == "reserve"))
        }
        for contract in session.scalars(select(ContractRow)):
            expected = contract.from_certificate or None
            assert reservations.get(contract.id) == expected, (contract.number, contract.from_certificate)
            assert contract.price == contract.from_certificate + contract.co_payment


def request(
    world: World,
    certificate: CertificateFixture,
    *,
    group_id: uuid.UUID,
    start: date = START,
    surname: str | None = None,
    number: str | None = None,
    promised: tuple[int, int] | None = None,
) -> Operation:
    """A ``contract.request``; the promise is the domain's split for the certificate's balance unless given."""
    if promised is None:
        split = expected_split(start, certificate.balance)
        promised = (split.price, split.from_certificate)
    return operation(
        "contract.request",
        {
            "id": str(uuid.uuid4()),
            "provisional_number": f"П-{uuid.uuid4().hex[:6]}",
            "certificate_number": number or certificate.number,
            "child_surname": certificate.surname if surname is None else surname,
            "group_id": str(group_id),
            "start_date": start.isoformat(),
            "price": promised[0],
            "from_certificate": promised[1],
            "parent": {"full_name": "Кузнецова Анна Петровна", "phone": "+7 913 000-00-00"},
            "child": {"full_name": f"{certificate.surname} Тест"},
        },
    )


@dataclass
class Region:
    client: TestClient
    world: World
    database: ServerDatabase
    clock: FixedClock
    headers: dict[str, dict[str, str]]

    def desk(self, organization: str) -> dict[str, str]:
        if organization not in self.headers:
            self.headers[organization] = login(self.client, f"clerk_{organization}")
        return self.headers[organization]

    def organization(self, key: str) -> OrganizationFixture:
        return self.world.organizations[key]

    def apply(self, op: Operation, organization: str = "a") -> dict[str, Any]:
        (result,) = push(self.client, self.desk(organization), op)
        assert result["status"] == "applied", result
        record: dict[str, Any] = result["record"]
        assert_money_invariants(self.database)
        return record

    def refused(self, op: Operation, code: str, message: str, organization: str = "a") -> dict[str, Any]:
        """Push a request that must be refused with that code and message, changing nothing."""
        before = money_state(self.database)
        (result,) = push(self.client, self.desk(organization), op)
        assert (result["status"], result["code"], result["message"]) == ("rejected", code, message), result
        assert result["record"] is None
        assert money_state(self.database) == before
        assert_money_invariants(self.database)
        return result

    def balance(self, certificate: CertificateFixture) -> tuple[int, int]:
        """(balance, reserve) in the current period."""
        with self.database.transaction() as session:
            row = session.scalars(
                select(CertificateBalance)
                .join(Period, Period.id == CertificateBalance.period_id)
                .where(CertificateBalance.certificate_id == certificate.id, Period.code == "2026/27")
            ).one()
            return row.balance, row.reserve


@pytest.fixture
def region(client: TestClient, world: World, database: ServerDatabase, clock: FixedClock) -> Region:
    return Region(client, world, database, clock, {})


def test_the_worlds_figures() -> None:
    """The amounts the messages below are written with, computed by the domain."""
    split = expected_split(START, 2_000_000)
    assert (split.price, split.normative, split.from_certificate, split.co_payment) == (
        1_068_132,
        1_335_165,
        1_068_132,
        0,
    )
    poorer = expected_split(START, 500_000)
    assert (poorer.from_certificate, poorer.co_payment) == (500_000, 568_132)


# ---------------------------------------------------------------- the certificate


def test_an_unknown_number_and_a_wrong_surname_get_the_same_answer(region: Region) -> None:
    world = region.world
    group = world.a.group_id
    c1, c2 = world.certificates["c1"], world.certificates["c2"]
    for op in (
        request(world, c1, group_id=group, number="4212999999"),
        request(world, c1, group_id=group, surname="Сидоров"),
        request(world, c1, group_id=group, surname="Петрова"),
        request(world, c2, group_id=group, surname="Соколова"),
        request(world, c2, group_id=group, surname="Ёлкина"),
    ):
        result = region.refused(op, "certificate_not_found", NOT_FOUND)
        assert result["figures"] is None


SURNAMES_AS_TYPED = [
    ("c1", "ПЕТРОВ"),
    ("c1", "петров"),
    ("c1", " Петров "),
    ("c2", "Соколова-Елкина"),
    ("c2", "соколова-ёлкина"),
    ("c2", "СОКОЛОВА – ЁЛКИНА"),
    ("c2", "Соколова\u2010Елкина"),
]


def test_the_surname_matches_whatever_the_case_yo_and_dash(region: Region) -> None:
    world = region.world
    for key, typed in SURNAMES_AS_TYPED:
        certificate = world.certificates[key]
        record = region.apply(request(world, certificate, group_id=world.a.group_id, surname=typed))
        split = expected_split(START, certificate.balance)
        assert (record["status"], record["from_certificate"], record["co_payment"]) == (
            "requested",
            split.from_certificate,
            split.co_payment,
        ), typed
        assert region.balance(certificate) == (certificate.balance - split.from_certificate, split.from_certificate)
        region.apply(operation("contract.refuse", {"contract_id": record["id"], "reason": "Проверка фамилии"}))
        assert region.balance(certificate) == (certificate.balance, 0)


def test_a_frozen_certificate(region: Region) -> None:
    world = region.world
    c1 = world.certificates["c1"]
    with region.database.transaction() as session:
        session.execute(update(Certificate).where(Certificate.id == c1.id).values(frozen=True))
    region.refused(
        request(world, c1, group_id=world.a.group_id),
        "certificate_frozen",
        "Сертификат 4212000001 заморожен: средства недоступны.",
    )


def test_a_certificate_expires_when_the_child_turns_18_by_the_start(region: Region) -> None:
    world = region.world
    teen = add_certificate(region.database, world, "teen", number="4212000005", birth_date=date(2008, 10, 1))
    region.refused(
        request(world, teen, group_id=world.a.group_id, start=date(2026, 10, 1)),
        "certificate_expired",
        "Сертификат 4212000005 недействителен: ребёнку исполнилось 18 лет.",
    )
    day_before = date(2026, 9, 30)
    record = region.apply(request(world, teen, group_id=world.a.group_id, start=day_before))
    split = expected_split(day_before, teen.balance)
    assert (record["start_date"], record["price"], record["from_certificate"]) == (
        "2026-09-30",
        split.price,
        split.from_certificate,
    )


def test_no_active_agreement_with_the_certificates_payer(region: Region) -> None:
    world = region.world
    region.refused(
        request(world, world.certificates["c3"], group_id=world.b.group_id),
        "no_agreement",
        "У организации нет действующего соглашения с плательщиком по этому сертификату.",
        organization="b",
    )
    with region.database.transaction() as session:
        session.execute(
            update(Agreement)
            .where(Agreement.organization_id == world.a.id, Agreement.payer_id == world.payer_ids["12"])
            .values(status="suspended")
        )
    region.refused(
        request(world, world.certificates["c1"], group_id=world.a.group_id),
        "no_agreement",
        "У организации нет действующего соглашения с плательщиком по этому сертификату.",
    )
    region.apply(request(world, world.certificates["c3"], group_id=world.a.group_id))


# ---------------------------------------------------------------- the program and the group


def test_a_program_that_is_not_certified(region: Region) -> None:
    world = region.world
    with region.database.transaction() as session:
        session.execute(update(ProgramRow).where(ProgramRow.id == world.a.program_id).values(status="submitted"))
    region.refused(
        request(world, world.certificates["c1"], group_id=world.a.group_id),
        "program_not_certified",
        "Программа «Робототехника» не сертифицирована: запись по сертификату невозможна.",
    )


def test_a_group_of_another_organization_or_archived(region: Region) -> None:
    world = region.world
    c1 = world.certificates["c1"]
    region.refused(request(world, c1, group_id=world.b.group_id), "not_found", "Группа не найдена на сервере.")
    region.refused(request(world, c1, group_id=uuid.uuid4()), "not_found", "Группа не найдена на сервере.")
    with region.database.transaction() as session:
        session.execute(update(GroupRow).where(GroupRow.id == world.a.group_id).values(archived=True))
    region.refused(request(world, c1, group_id=world.a.group_id), "not_found", "Группа не найдена на сервере.")


def test_a_start_outside_the_groups_dates(region: Region) -> None:
    world = region.world
    for start, shown in ((date(2026, 8, 31), "31.08.2026"), (date(2027, 6, 1), "01.06.2027")):
        region.refused(
            request(world, world.certificates["c1"], group_id=world.a.group_id, start=start, promised=(1_000, 1_000)),
            "start_outside_group",
            f"Дата начала {shown} вне периода занятий группы (01.09.2026 – 31.05.2027).",
        )


def test_a_child_too_young_for_the_program(region: Region) -> None:
    world = region.world
    toddler = add_certificate(region.database, world, "toddler", number="4212000006", birth_date=date(2021, 10, 2))
    region.refused(
        request(world, toddler, group_id=world.a.group_id),
        "age_out_of_range",
        "Возраст ребёнка на 01.10.2026 не подходит программе: от 5 до 18 лет.",
    )
    five_on_start = date(2021, 10, 1)
    with region.database.transaction() as session:
        session.execute(update(Certificate).where(Certificate.id == toddler.id).values(birth_date=five_on_start))
    region.apply(request(world, toddler, group_id=world.a.group_id))


def test_a_second_open_contract_on_the_same_module(region: Region) -> None:
    world = region.world
    c1 = world.certificates["c1"]
    first = region.apply(request(world, c1, group_id=world.a.group_id))
    remaining = c1.balance - first["from_certificate"]
    split = expected_split(START, remaining)
    region.refused(
        request(world, c1, group_id=world.a.small_group_id, promised=(split.price, split.from_certificate)),
        "duplicate_contract",
        "У ребёнка уже есть действующий договор по этому модулю.",
    )
    region.apply(operation("contract.refuse", {"contract_id": first["id"], "reason": "Перевод в малую группу"}))
    second = region.apply(request(world, c1, group_id=world.a.small_group_id))
    assert (second["number"], second["from_certificate"]) == ("2-ПФ", first["from_certificate"])


def test_no_places_left_in_the_group(region: Region) -> None:
    world = region.world
    region.apply(request(world, world.certificates["c1"], group_id=world.a.small_group_id))
    result = region.refused(
        request(world, world.certificates["c2"], group_id=world.a.small_group_id),
        "no_places",
        "Свободных мест в группе «Малая группа» не осталось: кто-то опередил Вас (10.09.2026 10:30).",
    )
    assert result["figures"] == {"capacity": 1, "decided_at": DECIDED_AT}


# ---------------------------------------------------------------- money


def test_a_price_differing_from_the_servers(region: Region) -> None:
    world = region.world
    split = expected_split(START, world.certificates["c1"].balance)
    result = region.refused(
        request(
            world, world.certificates["c1"], group_id=world.a.group_id, promised=(split.price + 1, split.price + 1)
        ),
        "price_changed",
        "Стоимость договора изменилась: рассчитано 10 681,33 ₽, по данным сервера 10 681,32 ₽. "
        "Пересчитайте договор с родителем.",
    )
    assert result["figures"] == {"requested_price": split.price + 1, "price": split.price, "decided_at": DECIDED_AT}


def test_more_than_the_balance_is_refused_with_the_figures(region: Region) -> None:
    """The clerk's mirror still showed 20 000 ₽ on «c2»; the server knows only 5 000 ₽ are left."""
    world = region.world
    c2 = world.certificates["c2"]
    promised = expected_split(START, 2_000_000)
    result = region.refused(
        request(world, c2, group_id=world.a.group_id, promised=(promised.price, promised.from_certificate)),
        "insufficient_balance",
        "Запрошено 10 681,32 ₽, доступно 5 000,00 ₽ на 10.09.2026 10:30.",
    )
    assert result["figures"] == {"requested": 1_068_132, "available": 500_000, "decided_at": DECIDED_AT}


def test_the_decision_time_is_shown_in_the_regions_time(region: Region) -> None:
    """20:05 UTC on 10 September is 03:05 on 11 September in Kemerovo."""
    world = region.world
    region.clock.advance(datetime(2026, 9, 10, 20, 5, tzinfo=UTC) - region.clock.now())
    region.headers.clear()
    promised = expected_split(START, 2_000_000)
    result = region.refused(
        request(
            world, world.certificates["poor"], group_id=world.a.group_id, promised=(promised.price, promised.price)
        ),
        "insufficient_balance",
        "Запрошено 10 681,32 ₽, доступно 0,00 ₽ на 11.09.2026 03:05.",
    )
    assert result["figures"] == {"requested": 1_068_132, "available": 0, "decided_at": "2026-09-10T20:05:00+00:00"}


def test_less_than_the_server_would_pay_is_refused_too(region: Region) -> None:
    world = region.world
    split = expected_split(START, 2_000_000)
    result = region.refused(
        request(world, world.certificates["c1"], group_id=world.a.group_id, promised=(split.price, 400_000)),
        "balance_changed",
        "Запрошено 4 000,00 ₽, доступно 20 000,00 ₽ на 10.09.2026 10:30.",
    )
    assert result["figures"] == {"requested": 400_000, "available": 2_000_000, "decided_at": DECIDED_AT}


def test_a_partly_covered_contract_reserves_the_whole_balance(region: Region) -> None:
    world = region.world
    c2 = world.certificates["c2"]
    record = region.apply(request(world, c2, group_id=world.a.group_id))
    assert (record["from_certificate"], record["co_payment"]) == (500_000, 568_132)
    assert region.balance(c2) == (0, 500_000)
    poor = world.certificates["poor"]
    record = region.apply(request(world, poor, group_id=world.a.group_id))
    assert (record["from_certificate"], record["co_payment"]) == (0, 1_068_132)
    with region.database.transaction() as session:
        entries = session.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.contract_id == uuid.UUID(record["id"]))
        )
    assert entries == 0, "nothing from the certificate, nothing in the ledger"


def _free_module(database: ServerDatabase, organization: OrganizationFixture) -> uuid.UUID:
    """A free module (price 0) of the organization's certified program, with one group; returns the group."""
    with database.transaction() as session:
        module = ModuleRow(
            id=uuid.uuid4(),
            program_id=organization.program_id,
            organization_id=organization.id,
            position=1,
            name="Бесплатный модуль",
            months=9,
            hours=36,
            min_group_size=1,
            max_group_size=20,
            teacher_qualification="",
            price=0,
            normative=600_000,
            archived=False,
        )
        session.add(module)
        session.flush()
        group = GroupRow(
            id=uuid.uuid4(),
            module_id=module.id,
            organization_id=organization.id,
            name="Бесплатная группа",
            teacher="Сидоров С. С.",
            start_date=GROUP_DATES[0],
            end_date=GROUP_DATES[1],
            capacity=20,
            taken=0,
            archived=False,
        )
        session.add(group)
        return group.id


def test_an_accounting_certificate_only_on_a_free_module(region: Region) -> None:
    world = region.world
    counted = add_certificate(region.database, world, "counted", number="4212000007", kind="accounting", balance=0)
    region.refused(
        request(world, counted, group_id=world.a.group_id),
        "accounting_certificate",
        "По сертификату учёта можно записаться только на бесплатную программу.",
    )
    free_group = _free_module(region.database, world.a)
    record = region.apply(request(world, counted, group_id=free_group, promised=(0, 0)))
    assert (record["price"], record["from_certificate"], record["co_payment"]) == (0, 0, 0)


# ---------------------------------------------------------------- the database's own guards


def test_the_database_refuses_a_negative_balance(region: Region) -> None:
    c1 = region.world.certificates["c1"]
    with pytest.raises(IntegrityError), region.database.transaction() as session:
        session.execute(update(CertificateBalance).where(CertificateBalance.certificate_id == c1.id).values(balance=-1))
    with pytest.raises(IntegrityError), region.database.transaction() as session:
        session.execute(text("UPDATE certificate_balances SET reserve = reserve - 1"))
    assert region.balance(c1) == (c1.balance, 0)
    assert_money_invariants(region.database)


def test_the_database_refuses_a_second_charge_for_one_contract(region: Region) -> None:
    world = region.world
    record = region.apply(request(world, world.certificates["c1"], group_id=world.a.group_id))
    with region.database.transaction() as session:
        reservation = session.scalars(
            select(LedgerEntry).where(LedgerEntry.contract_id == uuid.UUID(record["id"]))
        ).one()
        balance_id = reservation.balance_id
    for kind in ("reserve", "release"):
        with pytest.raises(IntegrityError), region.database.transaction() as session:
            for _ in range(2 if kind == "release" else 1):
                session.add(
                    LedgerEntry(
                        balance_id=balance_id,
                        contract_id=uuid.UUID(record["id"]),
                        kind=kind,
                        amount=1,
                        created_at=TEST_NOW,
                    )
                )
                session.flush()
    assert_money_invariants(region.database)


def test_the_database_refuses_a_second_open_contract_on_a_module(region: Region) -> None:
    world = region.world
    record = region.apply(request(world, world.certificates["c1"], group_id=world.a.group_id))
    with pytest.raises(IntegrityError), region.database.transaction() as session:
        original = session.get(ContractRow, uuid.UUID(record["id"]))
        assert original is not None
        values = {column.key: getattr(original, column.key) for column in ContractRow.__table__.columns}
        session.add(ContractRow(**{**values, "id": uuid.uuid4(), "number": "999-ПФ", "status": "confirmed"}))
        session.flush()


# ---------------------------------------------------------------- parents' online applications


def apply_online(
    client: TestClient, certificate: CertificateFixture, group_id: uuid.UUID, surname: str | None = None
) -> httpx2.Response:
    return client.post(
        "/api/v1/portal/applications",
        headers=PROTOCOL,
        json={
            "certificate_number": certificate.number,
            "surname": certificate.surname if surname is None else surname,
            "group_id": str(group_id),
            "start_date": START.isoformat(),
        },
    )


def pull_all(client: TestClient, headers: dict[str, str], cursor: int) -> tuple[list[dict[str, Any]], int]:
    response = client.get("/api/v1/sync/pull", headers=headers, params={"cursor": cursor, "limit": 1000})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["has_more"] is False
    return body["changes"], body["cursor"]


def test_an_online_application_becomes_a_request_the_organization_pulls(region: Region) -> None:
    world = region.world
    c2 = world.certificates["c2"]
    _, cursor_a = pull_all(region.client, region.desk("a"), 0)
    _, cursor_b = pull_all(region.client, region.desk("b"), 0)

    response = apply_online(region.client, c2, world.a.group_id, surname="соколова-елкина")
    assert response.status_code == 201, response.text
    contract = response.json()["contract"]
    split: PriceSplit = expected_split(START, c2.balance)
    assert (contract["status"], contract["source"], contract["number"], contract["parent"]) == (
        "requested",
        "portal",
        "1-ПФ",
        None,
    )
    assert (contract["price"], contract["from_certificate"], contract["co_payment"]) == (
        split.price,
        split.from_certificate,
        split.co_payment,
    )
    assert contract["child_full_name"] == "Соколова-Ёлкина Тест"
    assert region.balance(c2) == (0, 500_000)
    assert_money_invariants(region.database)

    changes, _ = pull_all(region.client, region.desk("a"), cursor_a)
    pulled = [change["data"] for change in changes if change["entity"] == "contract"]
    assert pulled == [contract]
    groups = [change["data"] for change in changes if change["entity"] == "group"]
    assert [(group["id"], group["taken"]) for group in groups] == [(str(world.a.group_id), 1)]
    changes_b, _ = pull_all(region.client, region.desk("b"), cursor_b)
    assert {change["entity"] for change in changes_b} == {"certificate"}, "b sees only the mirror of c2"

    confirmed = region.apply(operation("contract.confirm", {"contract_id": contract["id"]}))
    assert (confirmed["status"], confirmed["source"]) == ("confirmed", "portal")


def test_an_online_application_is_refused_like_a_desk_request(region: Region) -> None:
    world = region.world
    before = money_state(region.database)
    response = apply_online(region.client, world.certificates["c1"], world.a.group_id, surname="Петровa")
    assert response.status_code == 404
    assert response.json() == {"code": "certificate_not_found", "message": NOT_FOUND, "details": {}}
    response = apply_online(region.client, world.certificates["c1"], uuid.uuid4())
    assert response.status_code == 404
    assert response.json()["message"] == "Группа не найдена."
    assert money_state(region.database) == before

    assert apply_online(region.client, world.certificates["c1"], world.a.small_group_id).status_code == 201
    response = apply_online(region.client, world.certificates["c2"], world.a.small_group_id)
    assert response.status_code == 409
    assert response.json() == {
        "code": "no_places",
        "message": "Свободных мест в группе «Малая группа» не осталось: кто-то опередил Вас (10.09.2026 10:30).",
        "details": {"capacity": 1, "decided_at": DECIDED_AT},
    }
    assert_money_invariants(region.database)


def test_online_applications_are_rate_limited(region: Region) -> None:
    world = region.world
    c1 = world.certificates["c1"]
    for _ in range(10):
        assert apply_online(region.client, c1, world.a.group_id, surname="Чужой").status_code == 404
    refused = apply_online(region.client, c1, world.a.group_id)
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 61
    assert refused.json() == {
        "code": "too_many_requests",
        "message": f"Слишком много заявок подряд. Повторите через {wait} с.",
        "details": {"retry_after": wait},
    }
    region.clock.advance(timedelta(seconds=wait - 2))
    assert apply_online(region.client, c1, world.a.group_id).status_code == 429
    region.clock.advance(timedelta(seconds=2))
    accepted = apply_online(region.client, c1, world.a.group_id)
    assert accepted.status_code == 201, accepted.text
    assert_money_invariants(region.database)
