"""A hypothesis state machine: two organizations' workstations, each often offline, make contract requests
on shared certificates, confirm and refuse them, sync, lose responses and restart; money, contracts and the
outcome of every operation stay consistent at every step, and everything agrees once the network heals.

Fast enough for hundreds of examples: one SQLite server and two signed-in, synced workstations are built
once as templates; each example copies them and calls the server's ASGI app in-process, behind an httpx2
transport. ``PFDO_STATE_MACHINE_EXAMPLES`` sets the number of examples (300 by default).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
import httpx2
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.domain.certificate import certificate_lookup_key
from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.errors import ExpectedError
from desktop_app.progress import TaskControl
from desktop_app.services.contracts import Person
from desktop_app.storage import migrate as local_migrate
from desktop_app.storage import models as local
from desktop_app.sync.client import ServerClient, ServerUnavailable
from server.api.app import create_app
from server.auth.passwords import Passwords
from server.clock import FixedClock
from server.config import DEFAULT_TIMEZONE, ServerConfig
from server.db import migrate
from server.db.engine import ServerDatabase, create_server_engine, sqlite_url
from server.db.models import (
    CertificateBalance,
    ContractRow,
    LedgerEntry,
    Period,
    ProcessedOperation,
)
from tests.server.conftest import TEST_NOW
from tests.server.world import GROUP_DATES, PASSWORD, OrganizationFixture, World, build_world
from tests.sync.publish import publish_world

F = TypeVar("F", bound=Callable[..., Any])

EXAMPLES_VARIABLE = "PFDO_STATE_MACHINE_EXAMPLES"
EXAMPLES = int(os.environ.get(EXAMPLES_VARIABLE, "300"))
STEPS = 10
SERVER_URL = "http://pfdo.test"
ORGANIZATIONS = ("a", "b")
"""Both have agreements with payer 12, whose certificates c1 and c2 they share; only «a» has one with 13 (c3)."""
CERTIFICATES = ("c1", "c2", "c3")
TODAY = TEST_NOW.date()
REASON = "Родитель передумал"
EXPECTED_REFUSALS = (
    "Сертификат не найден или фамилия не совпадает.",  # c3 (payer 13) offline at «b»: not in its mirror
    "У организации нет действующего соглашения с плательщиком по этому сертификату.",  # c3 online at «b»
    "У ребёнка уже есть действующий договор по этому модулю.",
)
"""What the desk itself may refuse when asked for a contract; anything else fails the test."""
DECIDABLE = ("requested", "confirmed")


# ---------------------------------------------------------------- the network


class InProcessServer:
    """The server's ASGI app, called on an event loop of the caller's thread: no socket, no thread.

    Its blocking routes would hop to AnyIO's worker threads; ``run_blocking_inline`` keeps them on this
    thread instead (requests come one at a time here, so nothing changes but the speed). An error inside the
    server is raised to the caller, as Starlette's TestClient does.
    """

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._loop = asyncio.new_event_loop()

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        return self._loop.run_until_complete(self._call(request))

    def close(self) -> None:
        self._loop.close()

    async def _call(self, request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        url = request.url
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?", 1)[0],
            "query_string": url.query,
            "root_path": "",
            "headers": [(name.lower(), value) for name, value in request.headers.raw],
            "client": ("127.0.0.1", 50000),
            "server": (url.host, url.port or 80),
            "state": {},
        }
        delivered = False
        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self._app(scope, receive, send)
        return httpx2.Response(status, headers=headers, content=b"".join(chunks), request=request)


async def run_inline(function: Callable[..., Any], *args: Any, **_options: Any) -> Any:
    return function(*args)


@pytest.fixture
def run_blocking_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocking routes and dependencies of the server run on the calling thread (see ``InProcessServer``)."""
    monkeypatch.setattr(anyio.to_thread, "run_sync", run_inline)


class InProcessNetwork(httpx2.BaseTransport):
    """A workstation's cable to the in-process server: it can be pulled, and a response can be lost."""

    def __init__(self, server: InProcessServer) -> None:
        self._server = server
        self.online = True
        self.lose_response_of: int | None = None
        """Lose the response of the n-th request from now on (1 = the next): the server has done the work."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if not self.online:
            raise httpx2.ConnectError("no network (test)", request=request)
        response = self._server.handle(request)
        if self.lose_response_of is not None:
            self.lose_response_of -= 1
            if self.lose_response_of == 0:
                self.lose_response_of = None
                raise httpx2.ReadError("the response was lost (test)", request=request)
        return response


class HeldSecrets:
    """An in-memory keyring whose contents can be copied into the next example."""

    def __init__(self, held: dict[str, str] | None = None) -> None:
        self.held = dict(held or {})

    def get(self, name: str) -> str | None:
        return self.held.get(name)

    def put(self, name: str, value: str) -> None:
        self.held[name] = value

    def delete(self, name: str) -> None:
        self.held.pop(name, None)


# ---------------------------------------------------------------- templates, built once


@dataclass
class Templates:
    root: Path
    server_file: Path
    world: World
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=itertools.count)

    def workstation(self, key: str) -> Path:
        return self.root / "template" / f"workstation-{key}"


def server_config(database_file: Path) -> ServerConfig:
    return ServerConfig(
        database_url=sqlite_url(database_file),
        secret=b"m" * 32,
        timezone=DEFAULT_TIMEZONE,
        fast_password_hashing=True,
    )


def open_server(database_file: Path) -> tuple[ServerDatabase, InProcessServer]:
    database = ServerDatabase(create_server_engine(sqlite_url(database_file)))
    app = create_app(server_config(database_file), database, FixedClock(DEFAULT_TIMEZONE, TEST_NOW))
    return database, InProcessServer(app)


def workstation_context(folder: Path, secrets: HeldSecrets, network: InProcessNetwork) -> AppContext:
    return build_context(folder, secrets=secrets, make_client=lambda url: ServerClient(url, transport=network))


def build_templates(root: Path) -> Templates:
    """The region of tests/server/world.py, and a workstation per organization, signed in with «Запомнить меня»
    and synced once."""
    server_file = root / "template" / "server.sqlite3"
    database = ServerDatabase(create_server_engine(sqlite_url(server_file)))
    migrate.upgrade(database.engine)
    passwords = Passwords(fast=True)
    world = build_world(database, passwords, TEST_NOW)
    publish_world(database, TEST_NOW)
    database.dispose()
    templates = Templates(root, server_file, world)
    database, server = open_server(server_file)
    try:
        for key in ORGANIZATIONS:
            secrets = HeldSecrets()
            context = workstation_context(templates.workstation(key), secrets, InProcessNetwork(server))
            try:
                context.session.sign_in(SERVER_URL, world.organizations[key].clerk, PASSWORD, remember=True)
                context.sync.sync(TaskControl())
            finally:
                context.close()
            templates.secrets[key] = secrets.held
    finally:
        server.close()
        database.dispose()
    for path in (server_file, *(templates.workstation(key) / "pfdo.sqlite3" for key in ORGANIZATIONS)):
        assert not path.with_name(f"{path.name}-wal").exists(), f"{path} kept a write-ahead log: copies would lack it"
    return templates


# ---------------------------------------------------------------- one workstation in an example


@dataclass
class Desk:
    key: str
    organization: OrganizationFixture
    folder: Path
    secrets: HeldSecrets
    network: InProcessNetwork
    context: AppContext
    queued: set[uuid.UUID] = field(default_factory=set)
    """Every operation ever queued here."""

    def reopen(self) -> None:
        self.context.close()
        self.context = workstation_context(self.folder, self.secrets, self.network)
        assert self.context.session.restore() is not None, "the remembered session did not come back"

    def note_queued(self) -> None:
        with self.context.database.read() as work:
            self.queued |= {operation.op_id for operation in work.outbox.pending()}

    def contracts(self) -> list[Contract]:
        with self.context.database.read() as work:
            return work.contracts.list_all()


def contract_facts(
    number: str | None, status: str, price: int, from_certificate: int, co_payment: int
) -> tuple[Any, ...]:
    return (number, status, price, from_certificate, co_payment)


def guarded(method: F) -> F:
    """Mark the machine broken when a step or a check fails, so teardown does not pile a second failure on it."""

    @functools.wraps(method)
    def run(self: SharedCertificates, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except BaseException:
            self.broken = True
            raise

    return run  # type: ignore[return-value]


class SharedCertificates(RuleBasedStateMachine):
    def __init__(self, templates: Templates) -> None:
        super().__init__()
        self.broken = False
        self.touched: set[str] = set(ORGANIZATIONS)
        """Desks a step may have changed since the last check."""
        self.server_changed = True
        self.decidable: dict[str, dict[uuid.UUID, str]] = {key: {} for key in ORGANIZATIONS}
        """Per desk, its contracts that can be confirmed or refused (kept up to date by the checks)."""
        self.world = templates.world
        self.folder = templates.root / f"example-{next(templates.counter)}"
        self.folder.mkdir()
        server_file = self.folder / "server.sqlite3"
        shutil.copyfile(templates.server_file, server_file)
        self.database, self.server = open_server(server_file)
        self.desks: dict[str, Desk] = {}
        for key in ORGANIZATIONS:
            folder = self.folder / f"workstation-{key}"
            shutil.copytree(templates.workstation(key), folder)
            secrets = HeldSecrets(templates.secrets[key])
            network = InProcessNetwork(self.server)
            context = workstation_context(folder, secrets, network)
            self.desks[key] = Desk(key, self.world.organizations[key], folder, secrets, network, context)
            assert context.session.restore() is not None

    # ------------------------------------------------------------ rules

    @rule(
        key=st.sampled_from(ORGANIZATIONS),
        certificate=st.sampled_from(CERTIFICATES),
        small_group=st.booleans(),
        start=st.dates(GROUP_DATES[0], GROUP_DATES[1]),
    )
    @guarded
    def request_contract(self, key: str, certificate: str, small_group: bool, start: date) -> None:
        self.touched.add(key)
        desk = self.desks[key]
        fixture = self.world.certificates[certificate]
        group_id = desk.organization.small_group_id if small_group else desk.organization.group_id
        services = desk.context
        try:
            check = services.certificates.check(fixture.number, fixture.surname, TODAY)
            quote = services.contracts.quote(check, group_id, start)
            contract = services.contracts.request(check, quote, Person("Родитель Тестовый"), Person("Ребёнок Тестовый"))
        except ExpectedError as refusal:
            assert refusal.user_message in EXPECTED_REFUSALS, refusal.user_message
            return
        assert contract.status is ContractStatus.PENDING
        desk.note_queued()

    @precondition(lambda self: any(self.decidable.values()))
    @rule(data=st.data(), refuse=st.booleans())
    @guarded
    def decide_contract(self, data: st.DataObject, refuse: bool) -> None:
        """Confirm a requested contract, or refuse a requested or confirmed one (the server has them)."""
        key = data.draw(st.sampled_from(sorted(key for key, contracts in self.decidable.items() if contracts)))
        self.touched.add(key)
        desk = self.desks[key]
        allowed = {"requested", "confirmed"} if refuse else {"requested"}
        candidates = sorted(id_ for id_, status in self.decidable[key].items() if status in allowed)
        if not candidates:
            return
        contract_id = data.draw(st.sampled_from(candidates))
        if refuse:
            assert desk.context.contracts.refuse(contract_id, REASON).status is ContractStatus.REFUSED
        else:
            assert desk.context.contracts.confirm(contract_id).status is ContractStatus.CONFIRMED
        desk.note_queued()

    @rule(key=st.sampled_from(ORGANIZATIONS), online=st.booleans())
    @guarded
    def switch_network(self, key: str, online: bool) -> None:
        self.desks[key].network.online = online

    @rule(key=st.sampled_from(ORGANIZATIONS))
    @guarded
    def sync(self, key: str) -> None:
        """Online, a round succeeds and leaves the desk agreeing with the server; offline, it fails cleanly."""
        self.touched.add(key)
        self.server_changed = True
        desk = self.desks[key]
        if desk.network.online:
            desk.context.sync.sync(TaskControl())
            self.check_agrees_with_server(desk)
            return
        with desk.context.database.read() as work:
            before = [operation.op_id for operation in work.outbox.pending()]
        with pytest.raises(ServerUnavailable):
            desk.context.sync.sync(TaskControl())
        with desk.context.database.read() as work:
            assert [operation.op_id for operation in work.outbox.pending()] == before

    @precondition(lambda self: any(desk.network.online for desk in self.desks.values()))
    @rule(data=st.data(), request_number=st.integers(1, 4))
    @guarded
    def sync_and_lose_a_response(self, data: st.DataObject, request_number: int) -> None:
        """The server answers, the answer never arrives: the round fails (or finishes before that request)."""
        key = data.draw(st.sampled_from([key for key, desk in self.desks.items() if desk.network.online]))
        self.touched.add(key)
        self.server_changed = True
        desk = self.desks[key]
        desk.network.lose_response_of = request_number
        try:
            desk.context.sync.sync(TaskControl())
        except ServerUnavailable:
            return
        finally:
            desk.network.lose_response_of = None
        self.check_agrees_with_server(desk)

    @rule(key=st.sampled_from(ORGANIZATIONS))
    @guarded
    def restart(self, key: str) -> None:
        """The program is closed and opened again: the session comes back from the keyring, offline."""
        self.touched.add(key)
        self.desks[key].reopen()

    # ------------------------------------------------------------ checks at every step

    @invariant()
    @guarded
    def consistent(self) -> None:
        """Checked after every step, where the step could have changed something: a desk changes only by its
        own steps, the server only when someone syncs."""
        if self.server_changed:
            self.check_money()
        if self.touched:
            with self.database.transaction() as session:
                processed = {(row.organization_id, row.op_id) for row in session.scalars(select(ProcessedOperation))}
                server_contracts = {(row.organization_id, row.id) for row in session.scalars(select(ContractRow))}
            for key in sorted(self.touched):
                self.check_outcomes(self.desks[key], processed, server_contracts)
        self.server_changed = False
        self.touched.clear()

    def check_money(self) -> None:
        """No balance negative; per balance, reserve = reservations − releases and balance + reserve = nominal;
        each contract reserves its certificate money exactly once."""
        with self.database.transaction() as session:
            ledger: Counter[uuid.UUID] = Counter()
            reservations: Counter[uuid.UUID] = Counter()
            reserved_amount: dict[uuid.UUID, int] = {}
            for entry in session.scalars(select(LedgerEntry)):
                ledger[entry.balance_id] += entry.amount if entry.kind == "reserve" else -entry.amount
                if entry.kind == "reserve":
                    reservations[entry.contract_id] += 1
                    reserved_amount[entry.contract_id] = entry.amount
            for balance in session.scalars(select(CertificateBalance)):
                assert balance.balance >= 0 and balance.reserve >= 0
                assert balance.reserve == ledger[balance.id], "the reserve disagrees with the ledger"
                assert balance.balance + balance.reserve == balance.nominal, "certificate money appeared or vanished"
            for contract in session.scalars(select(ContractRow)):
                expected = 1 if contract.from_certificate else 0
                assert reservations[contract.id] == expected, f"contract {contract.number} charged {reservations}"
                if expected:
                    assert reserved_amount[contract.id] == contract.from_certificate

    def check_outcomes(
        self,
        desk: Desk,
        processed: set[tuple[uuid.UUID, uuid.UUID]],
        server_contracts: set[tuple[uuid.UUID, uuid.UUID]],
    ) -> None:
        """Each queued operation is waiting or answered, never both, never twice; the server knows only queued
        ones, and every server contract of the organization was made at this desk (so it knows it)."""
        with Session(desk.context.database.engine) as session:  # plain queries: this runs after every step
            waiting = list(session.scalars(select(local.OutboxRow.op_id)))
            answered = Counter(session.scalars(select(local.SyncResultRow.op_id)))
            rows = session.execute(select(local.ContractRow.id, local.ContractRow.status))
            local_contracts: dict[uuid.UUID, str] = {row.id: row.status for row in rows}
        assert len(waiting) == len(set(waiting))
        assert all(count == 1 for count in answered.values()), "an operation has two outcomes"
        assert not set(waiting) & set(answered), "an answered operation is still waiting"
        assert set(waiting) | set(answered) == desk.queued, "an operation vanished, or appeared from nowhere"
        organization_id = desk.organization.id
        assert {op_id for org, op_id in processed if org == organization_id} <= desk.queued
        assert {contract for org, contract in server_contracts if org == organization_id} <= set(local_contracts)
        self.decidable[desk.key] = {
            contract_id: status for contract_id, status in local_contracts.items() if status in DECIDABLE
        }

    # ------------------------------------------------------------ agreement with the server

    def server_contracts(self, desk: Desk) -> dict[uuid.UUID, tuple[Any, ...]]:
        with self.database.transaction() as session:
            rows = session.scalars(select(ContractRow).where(ContractRow.organization_id == desk.organization.id))
            return {
                row.id: contract_facts(row.number, row.status, row.price, row.from_certificate, row.co_payment)
                for row in rows
            }

    def check_agrees_with_server(self, desk: Desk) -> None:
        """Right after a successful round: nothing waits, and the desk's contracts are the server's."""
        with desk.context.database.read() as work:
            assert work.outbox.count() == 0
        local = {
            contract.id: contract_facts(
                contract.number,
                contract.status.value,
                contract.price,
                contract.from_certificate,
                contract.co_payment,
            )
            for contract in desk.contracts()
            if contract.status is not ContractStatus.REJECTED
        }
        assert local == self.server_contracts(desk)

    def check_mirror(self, desk: Desk) -> None:
        """The desk's certificate mirror holds what the server says about its payers' certificates."""
        key = desk.context.session.mirror_key
        assert key is not None
        with self.database.transaction() as session:
            current = session.scalar(select(Period).where(Period.starts_on <= TODAY, Period.ends_on >= TODAY))
            assert current is not None
            balances = {
                row.certificate_id: row.balance
                for row in session.scalars(select(CertificateBalance).where(CertificateBalance.period_id == current.id))
            }
        visible = {"c1", "c2", "poor"} | ({"c3"} if desk.key == "a" else set())
        with desk.context.database.read() as work:
            for name, certificate in self.world.certificates.items():
                record = work.certificates.find(certificate_lookup_key(key, certificate.number, certificate.surname))
                if name not in visible:
                    assert record is None, f"{desk.key} mirrors a certificate of another payer"
                    continue
                assert record is not None, f"{name} is missing from the mirror of {desk.key}"
                assert record.balance_current == balances[certificate.id], f"{name}: stale balance at {desk.key}"

    # ------------------------------------------------------------ settling

    def settle(self) -> None:
        """The network heals; everyone syncs twice (the second round brings what the others sent meanwhile)."""
        for desk in self.desks.values():
            desk.network.online = True
        for _round in range(2):
            for desk in self.desks.values():
                desk.context.sync.sync(TaskControl())
        with self.database.transaction() as session:
            processed = {
                row.op_id: json.loads(row.result_json)["status"] for row in session.scalars(select(ProcessedOperation))
            }
        for desk in self.desks.values():
            self.check_agrees_with_server(desk)
            self.check_mirror(desk)
            with desk.context.database.read() as work:
                results = work.sync_results.history(limit=1_000_000)
                inbox = {result.op_id for result in work.sync_results.inbox()}
            outcomes = Counter(result.op_id for result in results)
            assert set(outcomes) == desk.queued and set(outcomes.values()) <= {1}, "not one outcome per operation"
            for result in results:
                if result.code == "depends_on_rejected":
                    assert result.op_id not in processed, "a dependent of a refused record reached the server"
                else:
                    assert processed.get(result.op_id) == result.status, "the desk and the server disagree"
            refused = {result.op_id for result in results if result.status in ("rejected", "needs_review")}
            assert inbox == refused, "a rejection is missing from the inbox"
            for contract in desk.contracts():
                assert contract.status is not ContractStatus.PENDING, "a contract request never got an answer"

    def teardown(self) -> None:
        try:
            if not self.broken:
                self.settle()
        finally:
            for desk in self.desks.values():
                desk.context.close()
            self.server.close()
            self.database.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_blocking_inline: None) -> Templates:
    """The templates; then, since every copy is at the newest schema already, opening a workstation's database
    only checks that instead of loading Alembic's scripts (about 10 ms a database, three per example)."""
    built = build_templates(tmp_path)
    head = local_migrate.head_revision()

    def at_head(engine: Engine, revision: str = "head") -> None:
        with engine.connect() as connection:
            assert revision == "head"
            assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head

    monkeypatch.setattr(local_migrate, "upgrade", at_head)
    return built


@pytest.mark.slow
@pytest.mark.timeout(120 + 2 * EXAMPLES)  # shrinking a failure takes a while too
def test_shared_certificates_stay_consistent(templates: Templates) -> None:
    run_state_machine_as_test(
        lambda: SharedCertificates(templates),
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_the_checks_notice_money_that_does_not_add_up(templates: Templates) -> None:
    """The checks can fail: a reservation that disagrees with the balance it moved is caught at once."""
    machine = SharedCertificates(templates)
    try:
        desk = machine.desks["a"]
        machine.request_contract("a", "c1", False, date(2026, 10, 1))
        machine.sync("a")
        machine.consistent()
        with machine.database.transaction() as session:
            contract = session.scalars(select(ContractRow)).one()
            entry = session.scalars(select(LedgerEntry).where(LedgerEntry.contract_id == contract.id)).one()
            session.execute(update(LedgerEntry).where(LedgerEntry.id == entry.id).values(amount=entry.amount + 1))
        machine.server_changed = True
        with pytest.raises(AssertionError, match="the reserve disagrees with the ledger"):
            machine.consistent()
        assert desk.queued
        assert machine.broken
    finally:
        machine.broken = True  # no settling: the server was tampered with
        machine.teardown()
