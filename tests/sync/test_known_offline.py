"""The «known offline» window of the certificate check: after a lost connection the clerk's next checks go
straight to the mirror, without a connection attempt each, until the window passes or a sync reaches the
server; a busy server (429) does not open it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.certificates import (
    KNOWN_OFFLINE_S,
    NO_CONNECTION,
    SERVER_BUSY,
    CertificateNotFound,
    CertificateService,
)
from tests.server.conftest import LiveServer
from tests.server.world import World
from tests.sync.faults import CHECK, Fault
from tests.sync.stations import TODAY, Fleet, Station


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fleet(tmp_path: Path, live_server: LiveServer, world: World) -> Iterator[Fleet]:
    with Fleet(tmp_path, live_server.url, world) as opened:
        yield opened


@pytest.fixture
def station(fleet: Fleet) -> Station:
    opened = fleet.open("a")
    opened.sync()
    return opened


def _service(station: Station, ticks: Ticks) -> CertificateService:
    return CertificateService(station.database, station.context.session, monotonic=ticks)


def test_after_a_lost_connection_checks_use_the_mirror_without_trying_until_the_window_passes(
    station: Station, world: World
) -> None:
    ticks = Ticks()
    service = _service(station, ticks)
    c1, c2 = world.certificates["c1"], world.certificates["c2"]
    station.transport.offline = True

    first = service.check(c1.number, c1.surname, TODAY)
    attempts = len(station.transport.exchanges)
    ticks.now += KNOWN_OFFLINE_S - 1
    quiet = [service.check(c2.number, c2.surname, TODAY) for _ in range(5)]
    with pytest.raises(CertificateNotFound):
        service.check(c1.number, "Сидоров", TODAY)
    station.transport.offline = False  # the network is back, but nothing has told the service yet
    still_offline = service.check(c1.number, c1.surname, TODAY)

    assert first.offline and first.offline_reason == NO_CONNECTION
    assert attempts >= 1
    assert all(check.offline and check.offline_reason == NO_CONNECTION for check in quiet)
    assert quiet[0].balance_current == c2.balance
    assert still_offline.offline and still_offline.balance_current == first.balance_current
    assert len(station.transport.exchanges) == attempts, "a check inside the window tried the server"

    ticks.now += 1
    online = service.check(c1.number, c1.surname, TODAY)
    again = service.check(c1.number, c1.surname, TODAY)

    assert not online.offline and not again.offline, "an answered check must end the window"
    assert station.transport.reached(CHECK) == 2


def test_the_first_check_after_the_window_tries_again_and_a_new_failure_opens_a_new_window(
    station: Station, world: World
) -> None:
    ticks = Ticks()
    service = _service(station, ticks)
    c1 = world.certificates["c1"]
    station.transport.offline = True
    service.check(c1.number, c1.surname, TODAY)
    attempts = len(station.transport.exchanges)

    ticks.now += KNOWN_OFFLINE_S
    retried = service.check(c1.number, c1.surname, TODAY)
    retried_attempts = len(station.transport.exchanges)
    ticks.now += KNOWN_OFFLINE_S - 1
    quiet = service.check(c1.number, c1.surname, TODAY)

    assert retried.offline and quiet.offline
    assert retried_attempts > attempts
    assert len(station.transport.exchanges) == retried_attempts


def test_a_sync_that_reaches_the_server_ends_the_window(station: Station, world: World) -> None:
    ticks = Ticks()
    service = _service(station, ticks)
    c1 = world.certificates["c1"]
    station.transport.offline = True
    assert service.check(c1.number, c1.surname, TODAY).offline

    station.transport.offline = False
    station.sync()
    check = service.check(c1.number, c1.surname, TODAY)

    assert not check.offline
    assert station.transport.reached(CHECK) == 1


def test_a_busy_server_does_not_open_the_window(station: Station, world: World) -> None:
    ticks = Ticks()
    service = _service(station, ticks)
    c1 = world.certificates["c1"]
    station.transport.inject(Fault.TOO_MANY, CHECK)

    limited = service.check(c1.number, c1.surname, TODAY)
    answered = service.check(c1.number, c1.surname, TODAY)

    assert limited.offline and limited.offline_reason == SERVER_BUSY
    assert not answered.offline
    assert station.transport.reached(CHECK) == 1
