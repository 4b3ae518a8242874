"""Workstations for sync tests: client contexts whose network is a FaultyTransport, and what each one queued.

A ``Fleet`` opens workstations (each with its own data folder and in-memory keyring) against one server and
closes them all at the end. A ``Station`` remembers every operation it ever queued (read from its outbox
right after each local write), so the invariants can tell whether each one got exactly one outcome.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from desktop_app.domain.contract import Contract
from desktop_app.progress import TaskControl
from desktop_app.services.certificates import CertificateCheck
from desktop_app.services.contracts import Person
from desktop_app.storage.database import Database
from desktop_app.sync.client import ServerClient, ServerUnavailable
from desktop_app.sync.engine import SyncReport
from tests.server.world import PASSWORD, CertificateFixture, OrganizationFixture, World
from tests.sync.faults import FaultyTransport

TODAY = date(2026, 9, 10)
"""The server's FixedClock date in the region (tests/server/conftest.py TEST_NOW)."""
START = date(2026, 10, 1)
SETTLE_ROUNDS = 4


@dataclass(frozen=True)
class Queued:
    op_type: str
    entity_id: uuid.UUID


def queued_operations(database: Database) -> dict[uuid.UUID, Queued]:
    """What waits in a workstation's outbox, by op_id."""
    with database.read() as work:
        return {operation.op_id: Queued(operation.op_type, operation.entity_id) for operation in work.outbox.pending()}


@dataclass
class Station:
    context: AppContext
    transport: FaultyTransport
    organization: OrganizationFixture
    username: str
    queued: dict[uuid.UUID, Queued] = field(default_factory=dict)

    @property
    def database(self) -> Database:
        return self.context.database

    def note_queued(self) -> None:
        """Remember what the outbox holds now (call it after every local write)."""
        self.queued.update(queued_operations(self.database))

    def sign_in(self, server_url: str) -> None:
        self.context.session.sign_in(server_url, self.username, PASSWORD, remember=True)

    def sync(self, control: TaskControl | None = None) -> SyncReport:
        return self.context.sync.sync(control or TaskControl())

    def settle(self, rounds: int = SETTLE_ROUNDS) -> SyncReport:
        """Sync until a round succeeds and leaves the outbox empty (the network is expected to have healed)."""
        failures: list[str] = []
        for _ in range(rounds):
            try:
                report = self.sync()
            except ServerUnavailable as error:
                failures.append(error.user_message)
                continue
            if self.context.sync.overview().pending == 0:
                return report
        raise AssertionError(f"{self.username} did not settle in {rounds} rounds: {failures}")

    def enroll(
        self,
        certificate: CertificateFixture,
        *,
        group_id: uuid.UUID | None = None,
        start: date = START,
        today: date = TODAY,
    ) -> Contract:
        """Check the certificate (online, or offline through the mirror), quote, and request a contract."""
        check = self.context.certificates.check(certificate.number, certificate.surname, today)
        return self.request(check, group_id=group_id, start=start)

    def request(self, check: CertificateCheck, *, group_id: uuid.UUID | None = None, start: date = START) -> Contract:
        """Quote and request a contract for a certificate already checked (works offline)."""
        quote = self.context.contracts.quote(check, group_id or self.organization.group_id, start)
        parent = Person("Родитель Тестовый", phone="+7 900 000-00-00")
        contract = self.context.contracts.request(check, quote, parent, Person(f"{check.surname} Тест"))
        self.note_queued()
        return contract

    def contract(self, contract_id: uuid.UUID) -> Contract:
        with self.database.read() as work:
            found = work.contracts.get(contract_id)
        assert found is not None, f"contract {contract_id} is missing locally"
        return found


def settle_all(stations: list[Station]) -> None:
    """Settle every workstation, then give each one more round to pull what the others pushed last."""
    for station in stations:
        station.settle()
    for station in stations:
        station.sync()


class Fleet:
    """Workstations against one server; ``with Fleet(...) as fleet:`` closes every one of them."""

    def __init__(self, root: Path, server_url: str, world: World) -> None:
        self.root = root
        self.server_url = server_url
        self.world = world
        self.stations: list[Station] = []

    def open(
        self,
        organization_key: str,
        *,
        transport: FaultyTransport | None = None,
        folder: str | None = None,
        sign_in: bool = True,
    ) -> Station:
        organization = self.world.organizations[organization_key]
        faulty = transport or FaultyTransport()
        context = build_context(
            self.root / (folder or f"station-{organization_key}-{len(self.stations)}"),
            secrets=MemorySecretStore(),
            make_client=lambda url: ServerClient(url, transport=faulty),
        )
        station = Station(context, faulty, organization, organization.clerk)
        self.stations.append(station)
        if sign_in:
            station.sign_in(self.server_url)
        return station

    def settle(self) -> None:
        settle_all(self.stations)

    def close(self) -> None:
        for station in self.stations:
            station.context.close()
            station.transport.close()
        self.stations.clear()

    def __enter__(self) -> Fleet:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
