"""The sync engine against a real server: offline work, refusals and their inbox, resumable pull, refetch,
token refresh and expiry, the offline certificate check, and the recorded clock offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from desktop_app.domain.contract import ContractStatus
from desktop_app.progress import Cancelled, Progress, TaskControl
from desktop_app.services.certificates import NO_CONNECTION, SERVER_BUSY, CertificateNotFound
from desktop_app.services.sync import SyncService
from desktop_app.sync.client import ServerUnavailable, SessionExpired
from desktop_app.sync.engine import SyncEngine, SyncReport
from desktop_app.sync.protocol import ChangeEntity
from server.auth.tokens import SESSION_EXPIRED
from server.clock import FixedClock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.db.models import Agreement, ProcessedOperation
from server.services.changes import prune_log, record_change
from tests.server.conftest import LiveServer
from tests.server.world import World
from tests.sync.faults import CHECK, PULL, PUSH, REFRESH
from tests.sync.invariants import check_all
from tests.sync.stations import TODAY, Fleet, Station

LOOKUPS_PER_MINUTE = ServerConfig(database_url="sqlite://", secret=b"s" * 32).lookup_limit_per_user.requests

PULL_TEXT = "Получение изменений с сервера"


@pytest.fixture
def fleet(tmp_path: Path, live_server: LiveServer, world: World) -> Iterator[Fleet]:
    with Fleet(tmp_path, live_server.url, world) as opened:
        yield opened


def _cursor(station: Station) -> int:
    with station.database.read() as work:
        return work.sync_state.get().cursor


# ---------------------------------------------------------------- offline work


def test_offline_requests_wait_then_go_in_order(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    a = fleet.open("a")
    a.sync()
    a.transport.offline = True
    made = [a.enroll(world.certificates[key]) for key in ("c1", "c3", "poor")]
    assert [contract.status for contract in made] == [ContractStatus.PENDING] * 3
    with pytest.raises(ServerUnavailable):
        a.sync()
    assert a.context.sync.overview().pending == 3
    assert [operation.entity_id for operation in a.context.sync.queue()] == [contract.id for contract in made]
    assert all(a.contract(contract.id).status is ContractStatus.PENDING for contract in made)

    a.transport.offline = False
    report = a.sync()

    assert (report.pushed, report.rejected) == (3, 0)
    assert [exchange.status for exchange in a.transport.sent(PUSH)] == [None, 200]  # one batch, once online
    assert [a.contract(contract.id).number for contract in made] == ["1-ПФ", "2-ПФ", "3-ПФ"]
    assert all(a.contract(contract.id).status is ContractStatus.REQUESTED for contract in made)
    assert a.context.sync.overview().pending == 0
    assert [result.status for result in a.context.sync.history()] == ["applied"] * 3
    check_all(database, clock, [a])


def test_overspent_certificate_is_refused_with_reason_and_takes_dependents(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    a, b = fleet.open("a"), fleet.open("b")
    a.sync()
    b.sync()
    c2 = world.certificates["c2"]
    checks = [station.context.certificates.check(c2.number, c2.surname, TODAY) for station in (a, b)]
    assert [(check.offline, check.balance_current) for check in checks] == [(False, 500_000)] * 2
    a.transport.offline = b.transport.offline = True  # both enroll offline, trusting what they saw
    first, second = a.request(checks[0]), b.request(checks[1])
    assert first.from_certificate == second.from_certificate == 500_000
    with b.database.write() as work:  # a confirmation queued behind the request (as an older client could)
        work.outbox.enqueue(
            "contract.confirm",
            1,
            second.id,
            {"contract_id": str(second.id)},
            datetime.now(UTC),
            refs=(second.id,),
            summary=f"Договор {second.provisional_number}: подтверждение",
        )
    b.note_queued()
    a.transport.offline = False  # a comes back first
    assert a.sync().rejected == 0
    b.transport.offline = False
    pushes_before = b.transport.reached(PUSH)

    report = b.sync()

    assert report.rejected == 1
    refused = b.contract(second.id)
    assert refused.status is ContractStatus.REJECTED
    assert refused.number is None
    inbox = b.context.sync.inbox()
    assert [(result.op_type, result.code) for result in inbox] == [
        ("contract.request", "insufficient_balance"),
        ("contract.confirm", "depends_on_rejected"),
    ]
    request, confirm = inbox
    moment = clock.local(clock.now()).strftime("%d.%m.%Y %H:%M")
    assert request.message == f"Запрошено 5 000,00 ₽, доступно 0,00 ₽ на {moment}."
    assert request.figures == {"requested": 500_000, "available": 0, "decided_at": clock.now().isoformat()}
    assert refused.reason == request.message
    assert confirm.message is not None and confirm.message.startswith("Не отправлено: сервер отклонил «Договор П-")
    assert b.transport.reached(PUSH) == pushes_before + 1
    with database.transaction() as session:  # the confirmation never left the workstation
        assert session.get(ProcessedOperation, (world.b.id, confirm.op_id)) is None
    assert b.context.sync.overview().inbox == 2

    for result in inbox:
        b.context.sync.acknowledge(result.id)
    assert b.context.sync.inbox() == []
    kept = {result.op_id: result for result in b.context.sync.history()}
    assert kept[request.op_id].acknowledged_at is not None
    assert kept[confirm.op_id].code == "depends_on_rejected"
    assert a.contract(first.id).number == "1-ПФ"
    check_all(database, clock, [a, b])


def test_refused_change_returns_the_record_to_the_server_state(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    a = fleet.open("a")
    a.sync()
    contract = a.enroll(world.certificates["c1"])
    a.sync()
    a.context.contracts.confirm(contract.id)
    a.note_queued()
    a.sync()
    a.context.contracts.activate(contract.id, TODAY + timedelta(days=3))  # the server's today is earlier
    a.note_queued()

    report = a.sync()

    assert report.rejected == 1
    [refusal] = a.context.sync.inbox()
    assert refusal.code == "signed_in_future"
    restored = a.contract(contract.id)
    assert (restored.status, restored.signed_on) == (ContractStatus.CONFIRMED, None)
    # The refusal itself carried the server's view of the contract: no need to pull everything again.
    assert a.transport.sent(PULL)[-1].params["cursor"] != "0"
    check_all(database, clock, [a])


# ---------------------------------------------------------------- pull


def test_interrupted_pull_resumes_after_the_last_applied_page(
    fleet: Fleet, database: ServerDatabase, clock: FixedClock
) -> None:
    a = fleet.open("a")
    pages: list[Progress] = []

    def on_progress(progress: Progress) -> None:
        if progress.text == PULL_TEXT:
            pages.append(progress)
            if len(pages) == 2:
                control.cancel()

    control = TaskControl(on_progress)
    with pytest.raises(Cancelled):
        SyncEngine(a.database, a.context.session, pull_page=3).sync(control)
    stopped_at = _cursor(a)
    assert len(pages) == 2
    assert stopped_at > 0
    assert [exchange.params["cursor"] for exchange in a.transport.sent(PULL)][:1] == ["0"]
    assert len(a.transport.sent(PULL)) == 2

    report = SyncEngine(a.database, a.context.session, pull_page=3).sync(TaskControl())

    resumed = a.transport.sent(PULL)[2]
    assert resumed.params["cursor"] == str(stopped_at)
    assert report.pulled > 0
    fresh = fleet.open("a")
    fresh.sync()
    assert _cursor(a) == _cursor(fresh)
    check_all(database, clock, [a])


def test_must_refetch_rebuilds_only_the_certificate_mirror(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    a = fleet.open("a")
    a.sync()
    assert a.context.certificates.check(world.certificates["c3"].number, "Иванов", TODAY).balance_current > 0
    a.transport.offline = True
    draft = a.enroll(world.certificates["c1"])  # offline: waits in the outbox
    a.transport.offline = False
    queued_before = a.context.sync.queue()
    cursor_before = _cursor(a)
    with database.transaction() as session:  # the agreement with payer 13 ends; its certificates leave
        session.execute(
            update(Agreement)
            .where(Agreement.organization_id == world.a.id, Agreement.payer_id == world.payer_ids["13"])
            .values(status="terminated")
        )
        certificate = world.certificates["c3"]
        record_change(
            session,
            now=clock.now(),
            entity=ChangeEntity.CERTIFICATE,
            entity_id=certificate.id,
            payer_id=world.payer_ids["13"],
            deleted=True,
        )
    with database.transaction() as session:
        assert prune_log(session, before=clock.now() + timedelta(seconds=1)) > 0

    report = SyncReport()
    SyncEngine(a.database, a.context.session).pull(TaskControl(), report)  # pull only: the outbox stays queued

    first_pull = a.transport.sent(PULL)[-2]
    assert first_pull.params["cursor"] == str(cursor_before)
    assert a.transport.sent(PULL)[-1].params["cursor"] == "0"
    assert a.context.sync.queue() == queued_before
    assert a.contract(draft.id).status is ContractStatus.PENDING
    with a.database.read() as work:
        assert work.certificates.count() == 3  # payer 12's certificates; c3 is gone
    a.transport.offline = True
    with pytest.raises(CertificateNotFound):
        a.context.certificates.check(world.certificates["c3"].number, "Иванов", TODAY)
    a.transport.offline = False
    a.settle()
    assert a.contract(draft.id).status is ContractStatus.REQUESTED
    check_all(database, clock, [a])


# ---------------------------------------------------------------- tokens


def test_expired_access_token_is_refreshed_transparently(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock, config: ServerConfig
) -> None:
    a = fleet.open("a")
    a.sync()
    contract = a.enroll(world.certificates["c1"])
    clock.advance(config.access_token_ttl + timedelta(minutes=1))
    refreshes = len(a.transport.sent(REFRESH))

    report = a.sync()

    assert report.pushed == 1
    assert len(a.transport.sent(REFRESH)) == refreshes + 1
    assert [exchange.status for exchange in a.transport.sent(PUSH)] == [401, 200]
    assert a.contract(contract.id).number == "1-ПФ"
    check_all(database, clock, [a])


def test_expired_refresh_token_asks_for_the_password_and_keeps_the_outbox(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock, config: ServerConfig
) -> None:
    a = fleet.open("a")
    a.sync()
    contract = a.enroll(world.certificates["c1"])
    clock.advance(config.refresh_token_ttl + timedelta(days=1))

    with pytest.raises(SessionExpired) as raised:
        a.sync()

    assert raised.value.user_message == SESSION_EXPIRED
    assert a.context.sync.overview().pending == 1
    assert a.contract(contract.id).status is ContractStatus.PENDING
    a.sign_in(fleet.server_url)
    assert a.sync().pushed == 1
    assert a.contract(contract.id).number == "1-ПФ"
    check_all(database, clock, [a])


# ---------------------------------------------------------------- offline check and clock


def test_offline_certificate_check_uses_the_mirror(fleet: Fleet, world: World) -> None:
    a, b = fleet.open("a"), fleet.open("b")
    a.sync()
    b.sync()
    synced_at = a.context.sync.overview().last_synced_at
    assert synced_at is not None
    a.transport.offline = b.transport.offline = True

    check = a.context.certificates.check("42 12 000001", " ПЕТРОВ ", TODAY)
    accented = a.context.certificates.check("4212000002", "соколова-елкина", TODAY)

    assert check.offline and check.as_of == synced_at
    assert check.child_full_name is None and check.agreement_active is None
    assert (check.birth_date, check.balance_current, check.balance_next) == (
        world.certificates["c1"].birth_date,
        2_000_000,
        3_000_000,
    )
    assert accented.offline and accented.balance_current == 500_000
    with pytest.raises(CertificateNotFound):
        a.context.certificates.check("4212000001", "Сидоров", TODAY)
    with pytest.raises(CertificateNotFound):  # b has no agreement with payer 13: c3 is not in its mirror
        b.context.certificates.check(world.certificates["c3"].number, "Иванов", TODAY)
    assert check.offline_reason == NO_CONNECTION
    assert a.transport.reached(CHECK) == 0


def test_a_rate_limited_check_falls_back_to_the_mirror_and_says_why(fleet: Fleet, world: World) -> None:
    a = fleet.open("a")
    a.sync()
    c1 = world.certificates["c1"]
    online = [a.context.certificates.check(c1.number, c1.surname, TODAY) for _ in range(LOOKUPS_PER_MINUTE)]
    assert not any(check.offline for check in online)

    limited = a.context.certificates.check(c1.number, c1.surname, TODAY)  # the clock stands still: one too many

    assert limited.offline and limited.offline_reason == SERVER_BUSY
    assert limited.balance_current == online[-1].balance_current


@pytest.mark.parametrize(("skew", "warned"), [(timedelta(minutes=7), True), (timedelta(minutes=-2), False)])
def test_clock_offset_is_recorded(fleet: Fleet, clock: FixedClock, skew: timedelta, warned: bool) -> None:
    a = fleet.open("a")
    service = SyncService(a.database, a.context.session, now=lambda: clock.now() - skew)

    service.sync(TaskControl())

    overview = service.overview()
    assert overview.clock_offset_seconds == int(skew.total_seconds())
    assert overview.last_synced_at == clock.now() - skew
    if warned:
        assert overview.clock_warning is not None
        assert overview.clock_warning.startswith("Часы этого компьютера отстают от часов сервера на 7 мин.")
    else:
        assert overview.clock_warning is None
