"""A workstation signs in, pulls the region, enrolls a child, and sees the server's decision."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.contract import ContractStatus
from desktop_app.progress import TaskControl
from desktop_app.services.contracts import Person
from tests.server.world import World
from tests.sync.conftest import Workstation


def test_enroll_and_sync(workstation: Workstation, world: World) -> None:
    clerk = workstation(world.a.clerk)
    clerk.sync.sync(TaskControl())
    check = clerk.certificates.check("42 12 000001", "петров", date(2026, 9, 10))
    assert not check.offline
    quote = clerk.contracts.quote(check, world.a.group_id, date(2026, 10, 1))
    contract = clerk.contracts.request(check, quote, Person("Петрова Анна"), Person("Петров Пётр"))
    assert contract.status is ContractStatus.PENDING
    report = clerk.sync.sync(TaskControl())
    assert report.pushed == 1 and report.rejected == 0
    with clerk.database.read() as work:
        stored = work.contracts.get(contract.id)
    assert stored is not None
    assert stored.number == "1-ПФ"
    assert stored.status is ContractStatus.REQUESTED
