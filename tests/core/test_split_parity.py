"""Property: the split the clerk shows the parent is the split the server reserves.

For random module prices and normatives, group dates, start dates within the group and certificate balances
(of the current and of the next financing period), a workstation checks the certificate (online, or offline
through its mirror), quotes, requests the contract and syncs; the server's contract, its ledger and the
certificate's balance must carry exactly the quoted price, normative, certificate part and co-payment.

One region, one live server and one workstation serve every example of a test: each example adds a module
and a group of its own to the certified program (so no example meets another's contract) and sets the
certificate's balances, then publishes them as operators' changes would be.
"""

# ruff: noqa: F811 — the server's fixtures are imported by name and taken by the tests as arguments

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.pricing import PriceSplit
from desktop_app.services.contracts import Person
from desktop_app.sync.protocol import ChangeEntity
from server.clock import FixedClock
from server.config import DEFAULT_TIMEZONE, RateLimit, ServerConfig
from server.db.engine import ServerDatabase
from server.db.models import Certificate, CertificateBalance, ContractRow, GroupRow, LedgerEntry, ModuleRow, Period
from server.services.changes import record_change
from tests.server.world import NEXT_YEAR, SCHOOL_YEAR, World
from tests.sync.conftest import (  # noqa: F401 — fixtures, found by pytest by name
    LiveServer,
    app,
    clock,
    database,
    database_url,
    live_server,
    world,
)
from tests.sync.stations import TODAY, Fleet, Station

MAX_EXAMPLES = 30
FIRST_GROUP_START = date(2026, 9, 1)
LAST_START = date(2027, 12, 31)
"""Organization «a»'s agreements with the payers end on this day (tests/server/world.py)."""
LAST_GROUP_END = date(2028, 8, 31)
"""The end of the last financing period the region has."""
MAX_AMOUNT = 5_000_000
CERTIFICATE = "c1"


@pytest.fixture
def config(database_url: str) -> ServerConfig:
    """The test server's settings, with room for every example's certificate look-ups in one still minute."""
    lookups = RateLimit(10 * MAX_EXAMPLES, timedelta(minutes=1))
    return ServerConfig(
        database_url=database_url,
        secret=b"s" * 32,
        timezone=DEFAULT_TIMEZONE,
        fast_password_hashing=True,
        lookup_limit_per_user=lookups,
        lookup_limit_per_organization=lookups,
    )


@dataclass(frozen=True)
class Case:
    price: int
    normative: int
    group_start: date
    group_end: date
    start: date
    balance_current: int
    balance_next: int
    offline: bool
    second_start: date | None
    """The start of a second request on the same certificate (another module, same dates), made before the
    first one is sent; None for a single request."""


@st.composite
def cases(draw: st.DrawFn) -> Case:
    group_start = draw(st.dates(FIRST_GROUP_START, LAST_START))
    group_end = draw(st.dates(group_start, min(group_start + timedelta(days=400), LAST_GROUP_END)))
    starts = st.dates(group_start, min(group_end, LAST_START))
    return Case(
        price=draw(st.integers(0, MAX_AMOUNT)),
        normative=draw(st.integers(0, MAX_AMOUNT)),
        group_start=group_start,
        group_end=group_end,
        start=draw(starts),
        balance_current=draw(st.integers(0, MAX_AMOUNT)),
        balance_next=draw(st.integers(0, MAX_AMOUNT)),
        offline=draw(st.booleans()),
        second_start=draw(st.none() | starts),
    )


COVERED = Case(1_200_000, 1_500_000, date(2026, 9, 1), date(2027, 5, 31), date(2026, 10, 1), 2_000_000, 0, False, None)
"""The certificate pays the whole price (within the normative)."""
OVER_BALANCE = Case(
    1_200_001, 1_500_000, date(2026, 9, 1), date(2027, 5, 31), date(2026, 9, 17), 333_333, 0, True, date(2026, 9, 17)
)
"""The certificate pays only what it has; the parent pays the rest, and all of a second request."""
ACROSS_PERIODS = Case(
    100_000, 100_000, date(2027, 6, 1), date(2027, 10, 31), date(2027, 9, 1), 50_000, 5_000_000, False, date(2027, 6, 1)
)
"""A start in the next financing period, paid from that period's balance up to its end; then a second request
in this period, paid from this period's balance, which the first one (not sent yet) does not touch."""


class Region:
    """The server's side of an example: a new module and group of organization «a», the certificate's money."""

    def __init__(self, database: ServerDatabase, clock: FixedClock, world: World) -> None:
        self.database = database
        self.clock = clock
        self.world = world
        self.certificate = world.certificates[CERTIFICATE]
        self.modules = 0

    def place(self, case: Case) -> uuid.UUID:
        """A module priced as the case says with one group on its dates, published to the organization."""
        organization = self.world.a
        self.modules += 1
        now = self.clock.now()
        with self.database.transaction() as session:
            module = ModuleRow(
                id=uuid.uuid4(),
                program_id=organization.program_id,
                organization_id=organization.id,
                position=self.modules,
                name=f"Модуль {self.modules}",
                months=9,
                hours=72,
                min_group_size=1,
                max_group_size=30,
                teacher_qualification="",
                price=case.price,
                normative=case.normative,
                archived=False,
            )
            session.add(module)
            session.flush()
            group = GroupRow(
                id=uuid.uuid4(),
                module_id=module.id,
                organization_id=organization.id,
                name=f"Группа {self.modules}",
                teacher="Сидоров С. С.",
                start_date=case.group_start,
                end_date=case.group_end,
                capacity=5,
                taken=0,
                archived=False,
            )
            session.add(group)
            session.flush()
            for entity, row_id in ((ChangeEntity.MODULE, module.id), (ChangeEntity.GROUP, group.id)):
                record_change(session, now=now, entity=entity, entity_id=row_id, organization_id=organization.id)
            return group.id

    def fund(self, case: Case) -> None:
        """Set the certificate's balances of this school year and the next, published to the mirrors."""
        with self.database.transaction() as session:
            for balance, period in session.execute(
                select(CertificateBalance, Period)
                .join(Period, Period.id == CertificateBalance.period_id)
                .where(CertificateBalance.certificate_id == self.certificate.id)
            ).all():
                current = period.starts_on == SCHOOL_YEAR[0]
                balance.balance = case.balance_current if current else case.balance_next
                balance.nominal = balance.balance + balance.reserve
            certificate = session.get(Certificate, self.certificate.id)
            assert certificate is not None
            record_change(
                session,
                now=self.clock.now(),
                entity=ChangeEntity.CERTIFICATE,
                entity_id=certificate.id,
                payer_id=certificate.payer_id,
            )

    def balance_in(self, start: date) -> int:
        """The certificate's free balance in the period of ``start``."""
        with self.database.transaction() as session:
            balance: int = session.execute(
                select(CertificateBalance.balance)
                .join(Period, Period.id == CertificateBalance.period_id)
                .where(
                    CertificateBalance.certificate_id == self.certificate.id,
                    Period.starts_on <= start,
                    Period.ends_on >= start,
                )
            ).scalar_one()
            return balance

    def reserved(self, contract_id: uuid.UUID) -> tuple[ContractRow, int]:
        """The server's contract and what its ledger reserved for it."""
        with self.database.transaction() as session:
            row = session.get(ContractRow, contract_id)
            assert row is not None, "the server has no such contract"
            session.expunge(row)
            amounts = session.scalars(
                select(LedgerEntry.amount).where(LedgerEntry.contract_id == contract_id, LedgerEntry.kind == "reserve")
            ).all()
            return row, sum(amounts)


def period_start(day: date) -> date:
    """The first day of the financing period that ``day`` falls in."""
    return SCHOOL_YEAR[0] if day <= SCHOOL_YEAR[1] else NEXT_YEAR[0]


def money(item: ContractRow | Contract | PriceSplit) -> tuple[int, int, int, int]:
    return (item.price, item.normative, item.from_certificate, item.co_payment)


def enroll(
    station: Station, region: Region, case: Case, group_id: uuid.UUID, start: date
) -> tuple[uuid.UUID, PriceSplit]:
    """What the clerk does: check the certificate, show the quote and file the request (sent by the next sync)."""
    certificate = region.certificate
    station.transport.offline = case.offline
    try:
        check = station.context.certificates.check(certificate.number, certificate.surname, TODAY)
        assert check.offline is case.offline
        quote = station.context.contracts.quote(check, group_id, start)
        contract = station.context.contracts.request(
            check, quote, Person("Родитель Тестовый"), Person(f"{certificate.surname} Тест")
        )
    finally:
        station.transport.offline = False
    assert (contract.from_certificate, contract.co_payment) == (quote.split.from_certificate, quote.split.co_payment)
    return contract.id, quote.split


def test_the_split_shown_is_the_split_the_server_reserves(
    tmp_path: Path, live_server: LiveServer, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    region = Region(database, clock, world)
    reached: set[str] = set()
    with Fleet(tmp_path, live_server.url, world) as fleet:
        station = fleet.open("a")

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None)
        @example(COVERED)
        @example(OVER_BALANCE)
        @example(ACROSS_PERIODS)
        @given(cases())
        def check(case: Case) -> None:
            starts = [case.start] if case.second_start is None else [case.start, case.second_start]
            groups = [region.place(case) for _start in starts]
            region.fund(case)
            station.sync()  # the new modules and groups, and the mirror's balances
            available = {period_start(start): region.balance_in(start) for start in starts}

            made = [enroll(station, region, case, group, start) for group, start in zip(groups, starts, strict=True)]
            report = station.sync()
            assert (report.pushed, report.rejected) == (len(made), 0), [station.contract(c).reason for c, _ in made]

            left = dict(available)
            for contract_id, shown in made:
                row, reserved = region.reserved(contract_id)
                assert (row.start_date, row.end_date) == (shown.contract_start, shown.contract_end)
                assert money(row) == money(shown)
                assert reserved == shown.from_certificate
                local = station.contract(contract_id)
                assert local.status is ContractStatus.REQUESTED and local.number == row.number
                assert money(local) == money(shown)

                period = period_start(shown.contract_start)
                over_balance = shown.from_certificate == left[period] < min(shown.price, shown.normative)
                reached.add("over balance" if over_balance else "covered")
                left[period] -= shown.from_certificate
            assert {period: region.balance_in(period) for period in left} == left

        check()
    assert reached == {"over balance", "covered"}
