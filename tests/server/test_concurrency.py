"""Tests arbitration under concurrency: many workstations racing for one certificate's money, for the last
place of a group, and for the same module, through a real uvicorn on loopback.

Each thread has its own HTTP client and its own sign-in; all of them wait at a barrier and push at once.
The expected winners are computed from the domain's split, so the outcome is exact, not "at most".
Runs on SQLite and, when PFDO_TEST_PG_URL is set, on PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx2
from sqlalchemy import ScalarSelect, func, select

from desktop_app.domain.pricing import ContractTerms, split_price
from server.db.engine import ServerDatabase
from server.db.models import (
    Certificate,
    CertificateBalance,
    ContractRow,
    GroupRow,
    LedgerEntry,
    ModuleRow,
    Period,
    ProcessedOperation,
    ProgramRow,
)
from tests.server.conftest import TEST_NOW, LiveServer
from tests.server.world import (
    GROUP_DATES,
    PASSWORD,
    PROTOCOL,
    SCHOOL_YEAR,
    CertificateFixture,
    World,
    contract_request,
    operation,
)

START = date(2026, 10, 1)
MODULES_PER_ORGANIZATION = 8
SMALL_PRICE = 300_000
SMALL_NORMATIVE = 400_000
BARRIER_TIMEOUT = 60
JOIN_TIMEOUT = 90
DECIDED_AT = "2026-09-10T03:30:00+00:00"


def small_split_from_certificate() -> int:
    """What one contract on a cheap module takes from a rich certificate (the domain's split)."""
    split = split_price(
        ContractTerms(SMALL_PRICE, SMALL_NORMATIVE, GROUP_DATES[0], GROUP_DATES[1], START, SCHOOL_YEAR[1], 10**9)
    )
    assert split.from_certificate == split.price
    return split.from_certificate


def add_cheap_modules(database: ServerDatabase, world: World) -> dict[str, list[uuid.UUID]]:
    """Eight cheap modules with one group each in every organization's certified program; returns the groups."""
    groups: dict[str, list[uuid.UUID]] = {}
    with database.transaction() as session:
        for key, organization in world.organizations.items():
            groups[key] = []
            for position in range(1, MODULES_PER_ORGANIZATION + 1):
                module = ModuleRow(
                    id=uuid.uuid4(),
                    program_id=organization.program_id,
                    organization_id=organization.id,
                    position=position,
                    name=f"Модуль {position}",
                    months=9,
                    hours=36,
                    min_group_size=1,
                    max_group_size=10,
                    teacher_qualification="",
                    price=SMALL_PRICE,
                    normative=SMALL_NORMATIVE,
                    archived=False,
                )
                session.add(module)
                session.flush()
                group = GroupRow(
                    id=uuid.uuid4(),
                    module_id=module.id,
                    organization_id=organization.id,
                    name=f"Группа {position}",
                    teacher="Сидоров С. С.",
                    start_date=GROUP_DATES[0],
                    end_date=GROUP_DATES[1],
                    capacity=10,
                    taken=0,
                    archived=False,
                )
                session.add(group)
                groups[key].append(group.id)
    return groups


def add_certificates(database: ServerDatabase, world: World, count: int) -> list[CertificateFixture]:
    """Children of payer 12 with 20 000 ₽ each, so only places are contended."""
    added = []
    with database.transaction() as session:
        periods = session.scalars(select(Period).order_by(Period.starts_on)).all()
        for index in range(count):
            number = f"42125{index:05d}"
            certificate = Certificate(
                number=number,
                surname=f"Ребёнок{index}",
                first_name="Тест",
                patronymic="",
                birth_date=date(2015, 1, 1),
                kind="financing",
                payer_id=world.payer_ids["12"],
                frozen=False,
                created_at=TEST_NOW,
                updated_at=TEST_NOW,
            )
            session.add(certificate)
            session.flush()
            for period in periods:
                session.add(
                    CertificateBalance(
                        certificate_id=certificate.id,
                        period_id=period.id,
                        nominal=2_000_000,
                        balance=2_000_000,
                        reserve=0,
                    )
                )
            fixture = CertificateFixture(
                certificate.id, number, certificate.surname, certificate.birth_date, 2_000_000, "12"
            )
            world.certificates[f"extra{index}"] = fixture
            added.append(fixture)
    return added


@dataclass(frozen=True)
class Observation:
    nominal: int
    balance: int
    reserve: int
    reserved: int
    released: int


def _ledger_sum(kind: str) -> ScalarSelect[int]:
    return (
        select(func.coalesce(func.sum(LedgerEntry.amount), 0))
        .where(LedgerEntry.balance_id == CertificateBalance.id, LedgerEntry.kind == kind)
        .scalar_subquery()
    )


def observe(database: ServerDatabase, certificate: CertificateFixture) -> Observation:
    """The certificate's current-period money and its ledger sums, read by ONE statement.

    One statement sees one snapshot; two statements in a READ COMMITTED transaction (PostgreSQL) could see a
    contract committed between them, and the figures would disagree for no fault of the server.
    """
    with database.transaction() as session:
        nominal, balance, reserve, reserved, released = session.execute(
            select(
                CertificateBalance.nominal,
                CertificateBalance.balance,
                CertificateBalance.reserve,
                _ledger_sum("reserve"),
                _ledger_sum("release"),
            )
            .join(Period, Period.id == CertificateBalance.period_id)
            .where(CertificateBalance.certificate_id == certificate.id, Period.code == "2026/27")
        ).one()
        return Observation(nominal, balance, reserve, reserved, released)


@dataclass
class Race:
    """Threads that sign in, wait for each other, push one operation each, and report what they got."""

    live_server: LiveServer
    results: dict[int, dict[str, Any]] = field(default_factory=dict)
    bodies: dict[int, bytes] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(
        self,
        contestants: list[tuple[str, list[dict[str, Any]]]],
        after_each: Callable[[], None],
    ) -> list[dict[str, Any]]:
        """``contestants``: (username, operations) per thread; ``after_each`` runs in a thread after its answer.

        Returns the first result of each contestant's push (the whole replies are kept in ``bodies``).
        """
        barrier = threading.Barrier(len(contestants), timeout=BARRIER_TIMEOUT)
        threads = [
            threading.Thread(
                target=self._contest,
                args=(index, username, operations, barrier, after_each),
                name=f"contestant-{index}",
            )
            for index, (username, operations) in enumerate(contestants)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_TIMEOUT)
        assert not [thread.name for thread in threads if thread.is_alive()], "a contestant is still running"
        assert not self.errors, self.errors
        return [self.results[index] for index in range(len(contestants))]

    def _contest(
        self,
        index: int,
        username: str,
        operations: list[dict[str, Any]],
        barrier: threading.Barrier,
        after_each: Callable[[], None],
    ) -> None:
        try:
            with httpx2.Client(base_url=self.live_server.url, timeout=60) as client:
                signed_in = client.post(
                    "/api/v1/auth/login",
                    headers=PROTOCOL,
                    json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())},
                )
                signed_in.raise_for_status()
                headers = {**PROTOCOL, "Authorization": f"Bearer {signed_in.json()['access_token']}"}
                barrier.wait()
                response = client.post("/api/v1/sync/push", headers=headers, json={"operations": operations})
                response.raise_for_status()
                results = response.json()["results"]
                assert len(results) == len(operations)
            with self.lock:
                self.results[index] = results[0]
                self.bodies[index] = response.content
            after_each()
        except BaseException as error:  # reported to the test, never lost in a thread
            barrier.abort()
            with self.lock:
                self.errors.append(error)


def _usernames(count: int) -> list[str]:
    """Organizations «a» and «b» alternately, clerks and admins, so many sessions run side by side."""
    names = ["clerk_a", "clerk_b", "admin_a", "admin_b"]
    return [names[index % len(names)] for index in range(count)]


def test_many_requests_on_one_certificate_win_exactly_what_the_balance_affords(
    live_server: LiveServer, world: World, database: ServerDatabase
) -> None:
    groups = add_cheap_modules(database, world)
    certificate = world.certificates["c1"]
    cost = small_split_from_certificate()
    affordable = certificate.balance // cost
    left_over = certificate.balance - affordable * cost
    assert (cost, affordable, left_over) == (267_033, 7, 130_769)

    usernames = _usernames(2 * MODULES_PER_ORGANIZATION)
    contestants = []
    for index, username in enumerate(usernames):
        key = username[-1]
        group_id = groups[key][index // 2]
        op = contract_request(world, world.organizations[key], "c1", group_id=group_id, start=START)
        op["payload"]["price"] = op["payload"]["from_certificate"] = cost
        contestants.append((username, [op]))
    assert len({ops[0]["payload"]["group_id"] for _, ops in contestants}) == len(contestants), "one module each"

    observations: list[Observation] = []
    observations_lock = threading.Lock()

    def check_money() -> None:
        seen = observe(database, certificate)
        with observations_lock:
            observations.append(seen)

    results = Race(live_server).run(contestants, check_money)

    winners = [result for result in results if result["status"] == "applied"]
    losers = [result for result in results if result["status"] != "applied"]
    assert len(winners) == affordable
    for result in winners:
        assert (result["record"]["from_certificate"], result["record"]["co_payment"]) == (cost, 0)
    for result in losers:
        assert (result["status"], result["code"]) == ("rejected", "insufficient_balance"), result
        assert result["figures"] == {"requested": cost, "available": left_over, "decided_at": DECIDED_AT}
        assert result["message"] == "Запрошено 2 670,33 ₽, доступно 1 307,69 ₽ на 10.09.2026 10:30."

    assert len(observations) == len(contestants)
    for seen in observations:
        assert seen.balance >= 0
        assert seen.balance + seen.reserve == seen.nominal == certificate.balance
        assert seen.reserve == seen.reserved - seen.released
        assert seen.reserve % cost == 0
        assert seen.reserve <= affordable * cost
    final = observe(database, certificate)
    assert final == Observation(certificate.balance, left_over, affordable * cost, affordable * cost, 0)

    with database.transaction() as session:
        contracts = session.scalars(select(ContractRow).where(ContractRow.certificate_id == certificate.id)).all()
        taken = session.scalar(select(func.sum(GroupRow.taken)))
    assert sorted(str(contract.id) for contract in contracts) == sorted(result["record"]["id"] for result in winners)
    assert taken == affordable
    for key, organization in world.organizations.items():
        numbers = sorted(
            int(contract.number.removesuffix("-ПФ"))
            for contract in contracts
            if contract.organization_id == organization.id
        )
        assert numbers == list(range(1, len(numbers) + 1)), f"numbers of {key} have gaps or repeats: {numbers}"


def test_many_children_race_for_the_last_place(live_server: LiveServer, world: World, database: ServerDatabase) -> None:
    children = add_certificates(database, world, 10)
    small_group = world.a.small_group_id
    contestants = [
        (("clerk_a", "admin_a")[index % 2], [contract_request(world, world.a, child_key, group_id=small_group)])
        for index, child_key in enumerate(f"extra{index}" for index in range(len(children)))
    ]
    results = Race(live_server).run(contestants, lambda: None)

    winners = [result for result in results if result["status"] == "applied"]
    assert len(winners) == 1
    for result in results:
        if result is winners[0]:
            continue
        assert (result["status"], result["code"]) == ("rejected", "no_places"), result
        assert result["message"] == (
            "Свободных мест в группе «Малая группа» не осталось: кто-то опередил Вас (10.09.2026 10:30)."
        )
        assert result["figures"] == {"capacity": 1, "decided_at": DECIDED_AT}

    winner = next(child for child in children if child.number == winners[0]["record"]["certificate_number"])
    cost = winners[0]["record"]["from_certificate"]
    for child in children:
        reserved = cost if child is winner else 0
        assert observe(database, child) == Observation(2_000_000, 2_000_000 - reserved, reserved, reserved, 0)
    with database.transaction() as session:
        group = session.get(GroupRow, small_group)
        assert group is not None
        assert (group.taken, group.capacity) == (1, 1)
        assert session.scalar(select(func.count()).select_from(ContractRow)) == 1


def test_one_child_many_requests_on_one_module_make_one_contract(
    live_server: LiveServer, world: World, database: ServerDatabase
) -> None:
    certificate = world.certificates["c1"]
    contestants = [(("clerk_a", "admin_a")[index % 2], [contract_request(world, world.a, "c1")]) for index in range(8)]
    results = Race(live_server).run(contestants, lambda: None)
    winners = [result for result in results if result["status"] == "applied"]
    assert len(winners) == 1
    assert (
        sorted((result["code"], result["message"]) for result in results if result is not winners[0])
        == [("duplicate_contract", "У ребёнка уже есть действующий договор по этому модулю.")] * 7
    )
    cost = winners[0]["record"]["from_certificate"]
    assert observe(database, certificate) == Observation(certificate.balance, certificate.balance - cost, cost, cost, 0)
    assert winners[0]["record"]["number"] == "1-ПФ"


def test_one_batch_pushed_at_once_by_many_sessions_is_applied_once(
    live_server: LiveServer, world: World, database: ServerDatabase
) -> None:
    """A workstation that retries while its first push is still running: the same op_ids race each other."""
    program_id = uuid.uuid4()
    batch = [
        operation(
            "program.create",
            {
                "id": str(program_id),
                "full_name": "Программа «Шахматы»",
                "short_name": "Шахматы",
                "direction": "social",
                "kind": "general_developmental",
                "form": "full_time",
                "level": "starting",
                "age_from_months": 72,
                "age_to_months": 144,
                "duration_months": 9,
            },
        ),
        contract_request(world, world.a, "c1"),
    ]
    race = Race(live_server)
    results = race.run([(("clerk_a", "admin_a")[index % 2], batch) for index in range(8)], lambda: None)
    assert len(set(race.bodies.values())) == 1, "every push must get the stored answers byte for byte"
    assert results[0]["status"] == "applied"
    (contract,) = [result for result in json.loads(race.bodies[0])["results"] if result["record"].get("number")]
    assert contract["record"]["number"] == "1-ПФ"
    certificate = world.certificates["c1"]
    cost = contract["record"]["from_certificate"]
    assert observe(database, certificate) == Observation(certificate.balance, certificate.balance - cost, cost, cost, 0)
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ContractRow)) == 1
        assert session.scalar(select(func.count()).select_from(ProgramRow).where(ProgramRow.id == program_id)) == 1
        assert session.scalar(select(func.count()).select_from(ProcessedOperation)) == 2
