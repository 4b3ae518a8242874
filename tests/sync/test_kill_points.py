"""A workstation process killed (os._exit) after the local write, after sending, and after the server committed
but before the result was recorded; restarted on the same data folder, it settles with nothing lost or
applied twice.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import server.api.routes_organization as routes
from desktop_app.domain.contract import ContractStatus
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import Organization
from tests.server.conftest import LiveServer
from tests.server.world import PASSWORD, World
from tests.sync.invariants import check_all
from tests.sync.kill_driver import KILL_POINTS, KILLED
from tests.sync.stations import START, TODAY, Fleet, queued_operations

ROOT = Path(__file__).resolve().parents[2]
DRIVER = "from tests.sync.kill_driver import main; main()"
PROCESS_TIMEOUT_S = 60.0
FOLDER = "killed"


@dataclass
class ServerHold:
    """Holds the server's handling of a push until released: the request has arrived, nothing is applied yet."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)

    def wrap(self, apply_batch: Callable[..., list[str]]) -> Callable[..., list[str]]:
        def held(*args: Any) -> list[str]:
            self.arrived.set()
            if not self.release.wait(PROCESS_TIMEOUT_S):
                raise RuntimeError("the test never released the held push")
            try:
                return apply_batch(*args)
            finally:
                self.done.set()

        return held


@pytest.fixture
def fleet(tmp_path: Path, live_server: LiveServer, world: World) -> Iterator[Fleet]:
    with Fleet(tmp_path, live_server.url, world) as opened:
        yield opened


def _wait_until_held(hold: ServerHold, process: subprocess.Popen[str]) -> None:
    """Bounded polling: the held request arrives, or the driver has died for another reason."""
    deadline = time.monotonic() + PROCESS_TIMEOUT_S
    while not hold.arrived.wait(0.05):
        assert process.poll() is None, "the driver ended before its push reached the server"
        assert time.monotonic() < deadline, "the push never reached the server"


@pytest.mark.parametrize("kill_at", KILL_POINTS)
def test_killed_workstation_restarts_and_settles(
    kill_at: str,
    fleet: Fleet,
    world: World,
    database: ServerDatabase,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    certificate = world.certificates["c1"]
    plan = {
        "folder": str(fleet.root / FOLDER),
        "url": fleet.server_url,
        "username": world.a.clerk,
        "password": PASSWORD,
        "number": certificate.number,
        "surname": certificate.surname,
        "child": f"{certificate.surname} Тест",
        "group_id": str(world.a.group_id),
        "today": TODAY.isoformat(),
        "start": START.isoformat(),
        "kill_at": kill_at,
    }
    hold = ServerHold() if kill_at == "after_send" else None
    if hold is not None:
        monkeypatch.setattr(routes, "apply_batch", hold.wrap(routes.apply_batch))
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, json.dumps(plan)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if hold is not None:
            _wait_until_held(hold, process)
            assert process.stdin is not None
            process.stdin.write("die\n")
            process.stdin.flush()
        out, err = process.communicate(timeout=PROCESS_TIMEOUT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        if hold is not None:
            hold.release.set()  # the server goes on with a request whose sender is dead
    assert process.returncode == KILLED, err
    contract_id = uuid.UUID(json.loads(out.splitlines()[-1])["contract_id"])
    if hold is not None:
        assert hold.done.wait(PROCESS_TIMEOUT_S)
    applied_before_restart = 0 if kill_at == "after_local_write" else 1
    with database.transaction() as session:
        organization = session.get(Organization, world.a.id)
        assert organization is not None
        assert organization.contract_counter == applied_before_restart

    restarted = fleet.open("a", folder=FOLDER, sign_in=False)
    restarted.queued = queued_operations(restarted.database)
    assert [queued.entity_id for queued in restarted.queued.values()] == [contract_id]
    assert restarted.contract(contract_id).status is ContractStatus.PENDING
    restarted.sign_in(fleet.server_url)
    report = restarted.settle()

    assert report.pushed == 1 and report.rejected == 0
    contract = restarted.contract(contract_id)
    assert (contract.number, contract.status) == ("1-ПФ", ContractStatus.REQUESTED)
    [result] = restarted.context.sync.history()
    assert result.status == "applied"
    check_all(database, clock, [restarted])
