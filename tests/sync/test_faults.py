"""Faults injected at the HTTP transport, on push and on pull, and a server stopped and restarted mid-push:
after the network heals and the workstations settle, nothing is lost, nothing is applied twice, and the
invariants hold.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

import server.services.push as push_service
from desktop_app.domain.contract import ContractStatus
from desktop_app.sync.backoff import Backoff
from desktop_app.sync.client import ServerUnavailable
from desktop_app.sync.engine import SyncReport
from server.clock import FixedClock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.db.models import Organization, ProcessedOperation
from tests.server.conftest import LiveServer, free_port
from tests.server.world import World
from tests.sync.faults import PULL, PUSH, REFRESH, RETRY_AFTER_S, Fault
from tests.sync.invariants import check_all
from tests.sync.stations import Fleet, Station

JOIN_TIMEOUT_S = 30.0


@pytest.fixture
def fleet(tmp_path: Path, live_server: LiveServer, world: World) -> Iterator[Fleet]:
    with Fleet(tmp_path, live_server.url, world) as opened:
        yield opened


def _cursor(station: Station) -> int:
    with station.database.read() as work:
        return work.sync_state.get().cursor


def _processed(database: ServerDatabase, organization_id: uuid.UUID) -> int:
    with database.transaction() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(ProcessedOperation)
                .where(ProcessedOperation.organization_id == organization_id)
            )
            or 0
        )


def _counter(database: ServerDatabase, organization_id: uuid.UUID) -> int:
    """How many contract numbers the organization has used: a second application would burn one more."""
    with database.transaction() as session:
        organization = session.get(Organization, organization_id)
        assert organization is not None
        return organization.contract_counter


@dataclass
class Background:
    """A call run on a thread of its own, joined before the test ends."""

    call: Callable[[], Any]
    result: Any = None
    error: BaseException | None = None
    thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, name="sync-under-test")
        self.thread.start()

    def _run(self) -> None:
        try:
            self.result = self.call()
        except BaseException as error:  # handed to the test thread by join()
            self.error = error

    def join(self) -> Any:
        self.thread.join(JOIN_TIMEOUT_S)
        assert not self.thread.is_alive(), "the sync under test did not finish"
        if self.error is not None:
            raise self.error
        return self.result


# ---------------------------------------------------------------- one fault, on push or on pull

FAILING = {Fault.DROP_REQUEST, Fault.DROP_RESPONSE, Fault.SERVER_ERROR, Fault.TOO_MANY}
"""Faults after which the round fails (to be retried later); the others are absorbed within the round."""
REACHES_SERVER = {Fault.DROP_RESPONSE: 1, Fault.DUPLICATE: 2, Fault.SERVER_ERROR: 1}


@pytest.mark.parametrize("path", [PUSH, PULL], ids=["push", "pull"])
@pytest.mark.parametrize(
    "fault",
    [
        Fault.DROP_REQUEST,
        Fault.DROP_RESPONSE,
        Fault.DUPLICATE,
        Fault.SERVER_ERROR,
        Fault.TOO_MANY,
        Fault.UNAUTHORIZED,
    ],
)
def test_one_fault_then_heal(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock, fault: Fault, path: str
) -> None:
    a, b = fleet.open("a"), fleet.open("b")
    a.sync()
    b.sync()
    made = [a.enroll(world.certificates[key]) for key in ("c3", "poor")]
    b.enroll(world.certificates["c1"])  # a's next pull carries c1's new balance
    b.settle()
    cursor = _cursor(a)
    refreshes = len(a.transport.sent(REFRESH))
    a.transport.inject(fault, path)

    if fault in FAILING:
        with pytest.raises(ServerUnavailable) as raised:
            a.sync()
        if fault is Fault.TOO_MANY:
            assert raised.value.retry_after == RETRY_AFTER_S
            assert Backoff(random_source=random.Random(4)).next_delay(raised.value.retry_after) >= RETRY_AFTER_S
        assert _cursor(a) == cursor
    else:
        report = a.sync()
        assert report.pushed == len(made)

    faulty = [exchange for exchange in a.transport.sent(path) if exchange.fault is fault]
    assert len(faulty) == 1
    assert faulty[0].reached_server == REACHES_SERVER.get(fault, 0)
    if path == PUSH:
        applied_by_now = len(made) if fault not in FAILING or faulty[0].reached_server else 0
        assert _processed(database, world.a.id) == applied_by_now
        pending = 0 if fault not in FAILING else len(made)
        assert a.context.sync.overview().pending == pending
    if fault is Fault.UNAUTHORIZED:
        assert len(a.transport.sent(REFRESH)) == refreshes + 1
        assert [exchange.status for exchange in a.transport.sent(path)][-2:] == [401, 200]

    fleet.settle()

    assert [a.contract(contract.id).number for contract in made] == ["1-ПФ", "2-ПФ"]
    assert all(a.contract(contract.id).status is ContractStatus.REQUESTED for contract in made)
    assert _counter(database, world.a.id) == len(made)
    assert _processed(database, world.a.id) == len(made)
    check_all(database, clock, [a, b])


def test_lost_refresh_answer_is_recovered_within_the_grace_window(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock, config: ServerConfig
) -> None:
    a = fleet.open("a")
    a.sync()
    contract = a.enroll(world.certificates["c1"])
    clock.advance(config.access_token_ttl + timedelta(minutes=1))
    a.transport.inject(Fault.DROP_RESPONSE, REFRESH)

    with pytest.raises(ServerUnavailable):
        a.sync()  # 401 on push; the server rotated the refresh token, its answer was lost

    assert a.sync().pushed == 1  # the old refresh token again, within the grace window: the same new pair
    assert a.contract(contract.id).number == "1-ПФ"
    clock.advance(config.access_token_ttl + timedelta(minutes=1))
    a.sync()  # the family was not revoked: the next refresh works too
    assert [exchange.status for exchange in a.transport.sent(REFRESH)] == [None, 200, 200]
    check_all(database, clock, [a])


# ---------------------------------------------------------------- delays


def test_delayed_push_loses_the_race_for_the_last_money(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    a, b = fleet.open("a"), fleet.open("b")
    a.sync()
    b.sync()
    c2 = world.certificates["c2"]
    late = a.enroll(c2)
    early = b.enroll(c2)
    held = a.transport.inject(Fault.DELAY, PUSH)
    running = Background(a.sync)
    assert held.gate.arrived.wait(JOIN_TIMEOUT_S)
    try:
        b.sync()  # while a's request is on its way, b takes the money
    finally:
        held.gate.release.set()
    report: SyncReport = running.join()

    assert report.rejected == 1
    assert b.contract(early.id).number == "1-ПФ"
    assert a.contract(late.id).status is ContractStatus.REJECTED
    [refusal] = a.context.sync.inbox()
    assert refusal.code == "insufficient_balance"
    assert refusal.figures["available"] == 0
    fleet.settle()
    check_all(database, clock, [a, b])


def test_delayed_pull_answer_is_stale_and_the_next_round_catches_up(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    a, b = fleet.open("a"), fleet.open("b")
    a.sync()
    b.sync()
    c1 = world.certificates["c1"]
    held = a.transport.inject(Fault.DELAY_RESPONSE, PULL)
    running = Background(a.sync)
    assert held.gate.arrived.wait(JOIN_TIMEOUT_S)  # the server has answered; the answer is on its way
    try:
        contract = b.enroll(c1)
        b.settle()
    finally:
        held.gate.release.set()
    running.join()

    a.transport.offline = True
    assert a.context.certificates.check(c1.number, c1.surname, clock.now().date()).balance_current == 2_000_000
    a.transport.offline = False
    a.settle()
    a.transport.offline = True
    fresh = a.context.certificates.check(c1.number, c1.surname, clock.now().date())
    assert fresh.balance_current == 2_000_000 - b.contract(contract.id).from_certificate
    a.transport.offline = False
    check_all(database, clock, [a, b])


# ---------------------------------------------------------------- the server stopped and restarted


class RestartableServer:
    """The app on a real uvicorn that can be stopped and started again on the same port."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.port = free_port()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert self._server is None, "already running"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="critical", lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="uvicorn-restartable", daemon=True)
        thread.start()
        for _ in range(1000):  # bounded wait for the socket to listen
            if server.started or not thread.is_alive():
                break
            thread.join(timeout=0.01)
        assert server.started, "uvicorn did not start"
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(JOIN_TIMEOUT_S)
        assert not self._thread.is_alive(), "uvicorn did not stop"
        self._server = self._thread = None


@pytest.fixture
def restartable(app: FastAPI) -> Iterator[RestartableServer]:
    server = RestartableServer(app)
    server.start()
    yield server
    server.stop()


class ServerCrashed(Exception):  # noqa: N818 — what happened, not a programming error
    """The server process dies in the middle of a batch (simulated inside the request)."""


def test_server_dies_mid_batch_and_restarts(
    restartable: RestartableServer,
    world: World,
    database: ServerDatabase,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Fleet(tmp_path, restartable.url, world) as fleet:
        a = fleet.open("a")
        a.sync()
        a.transport.offline = True
        made = [a.enroll(world.certificates[key]) for key in ("c1", "c2", "c3")]
        a.transport.offline = False
        real_apply_one = push_service.apply_one
        applied: list[uuid.UUID] = []

        def apply_two_then_die(*args: Any) -> str:
            if len(applied) == 2:
                raise ServerCrashed
            answer = real_apply_one(*args)
            applied.append(args[-1].op_id)
            return answer

        monkeypatch.setattr(push_service, "apply_one", apply_two_then_die)
        with pytest.raises(ServerUnavailable):
            a.sync()  # two operations committed, then a 500: the server is going down
        restartable.stop()
        monkeypatch.setattr(push_service, "apply_one", real_apply_one)
        assert _processed(database, world.a.id) == 2
        with pytest.raises(ServerUnavailable):
            a.sync()  # nobody listens
        assert a.context.sync.overview().pending == 3

        restartable.start()
        report = a.settle()

        assert report.pushed == 3
        assert [a.contract(contract.id).number for contract in made] == ["1-ПФ", "2-ПФ", "3-ПФ"]
        assert _counter(database, world.a.id) == 3
        check_all(database, clock, fleet.stations)


def test_server_stops_after_committing_before_the_answer_arrives(
    restartable: RestartableServer, world: World, database: ServerDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    with Fleet(tmp_path, restartable.url, world) as fleet:
        a, b = fleet.open("a"), fleet.open("b")
        a.sync()
        b.sync()
        made = [a.enroll(world.certificates[key]) for key in ("c2", "c3")]
        b.enroll(world.certificates["c1"])

        def stop_the_server(request: httpx2.Request) -> None:
            if request.url.path == PUSH:
                a.transport.after_forward = None
                restartable.stop()
                raise httpx2.RemoteProtocolError("server disconnected without sending a response", request=request)

        a.transport.after_forward = stop_the_server
        with pytest.raises(ServerUnavailable):
            a.sync()
        assert _processed(database, world.a.id) == 2
        assert a.context.sync.overview().pending == 2
        with pytest.raises(ServerUnavailable):
            b.sync()

        restartable.start()
        fleet.settle()

        assert [a.contract(contract.id).number for contract in made] == ["1-ПФ", "2-ПФ"]
        assert _counter(database, world.a.id) == 2
        check_all(database, clock, [a, b])
