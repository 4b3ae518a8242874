"""The organization's requisites between workstations and a real server: the admin saves them offline, the
outbox carries one ``organization.requisites``, sync puts them on the server; a clerk's workstation receives
them read-only, with the payment agreements a contract names; a waiting edit survives a pull of the older
record and a refetch; a refusal puts back what the server has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from desktop_app.domain.organization import OrganizationProfile, PaymentAgreement
from desktop_app.domain.requisites import validate_requisites
from desktop_app.errors import ExpectedError
from desktop_app.progress import TaskControl
from desktop_app.services.requisites import ADMIN_ONLY, RequisitesInvalidError
from desktop_app.services.sync import WAITS_FOR_ADMIN
from desktop_app.sync.engine import SyncEngine, SyncReport
from reports.model import build_contract_document
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from server.db.models import Agreement, ChangeLogEntry, Organization, Payer, ServerState
from server.services import accounts
from server.services.changes import LOG_FLOOR_KEY
from server.services.requisites_ops import publish_organization
from tests.server.conftest import LiveServer
from tests.server.world import World
from tests.sync.faults import PULL, PUSH
from tests.sync.stations import TODAY, Fleet, Station

REQUISITES = OrganizationProfile(
    full_name="Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества № 2»",
    short_name="МБУ ДО «ДДТ № 2»",
    inn="4205012340",
    kpp="420501001",
    ogrn="1024205123458",
    license_number="Л035-01234-42/00567890",
    license_date=date(2016, 3, 14),
    license_issuer="Министерство образования Кузбасса",
    legal_address="650000, Кемеровская область — Кузбасс, г. Кемерово, ул. Весенняя, д. 17",
    actual_address="650000, Кемеровская область — Кузбасс, г. Кемерово, ул. Весенняя, д. 17, корп. 2",
    bank_name="Кемеровское отделение № 8615 ПАО Сбербанк",
    bik="043207612",
    settlement_account="40703810926000012345",
    correspondent_account="30101810200000000612",
    signatory_name="Ершова Татьяна Викторовна",
    signatory_position="директор",
    signatory_basis="Устава",
)
KEMEROVO = "Управление образования Кемерово"
NOVOKUZNETSK = "Управление образования Новокузнецка"


def agreements_of(key: str, *codes: str, suspended: tuple[str, ...] = ()) -> tuple[PaymentAgreement, ...]:
    names = {"12": KEMEROVO, "13": NOVOKUZNETSK}
    return tuple(
        PaymentAgreement(
            payer_name=names[code],
            number=f"{key}-{code}",
            signed_on=date(2026, 1, 10),
            payer_code=code,
            starts_on=date(2026, 1, 10),
            ends_on=date(2027, 12, 31),
            active=code not in suspended,
        )
        for code in codes
    )


@pytest.fixture
def fleet(tmp_path: Path, live_server: LiveServer, world: World) -> Iterator[Fleet]:
    with Fleet(tmp_path, live_server.url, world) as opened:
        yield opened


def admin_station(fleet: Fleet, key: str = "a") -> Station:
    station = fleet.open(key, sign_in=False)
    station.username = station.organization.admin
    station.sign_in(fleet.server_url)
    return station


def profile(station: Station) -> OrganizationProfile:
    return station.context.requisites.state().profile


def queued(station: Station) -> list[tuple[str, object]]:
    return [(operation.op_type, operation.entity_id) for operation in station.context.sync.queue()]


def on_server(database: ServerDatabase, station: Station) -> tuple[str, str, str, str]:
    with database.transaction() as session:
        row = session.get(Organization, station.organization.id)
        assert row is not None
        return row.name, row.inn, row.settlement_account, row.signatory_name


def raise_the_log_floor(database: ServerDatabase) -> None:
    """As if the log had been compacted past every workstation's cursor: they must refetch."""
    with database.transaction() as session:
        last = session.scalar(select(func.max(ChangeLogEntry.seq)))
        assert last is not None
        floor = session.get(ServerState, LOG_FLOOR_KEY) or ServerState(key=LOG_FLOOR_KEY, value="0")
        floor.value = str(last + 1)
        session.add(floor)


def pull_only(station: Station) -> None:
    """A pull without a push: what a round would receive while the outbox still waits."""
    SyncEngine(station.database, station.context.session).pull(TaskControl(), SyncReport())


def test_saved_offline_synced_and_seen_read_only_at_the_other_workstation(
    fleet: Fleet, world: World, database: ServerDatabase
) -> None:
    admin = admin_station(fleet)
    admin.transport.offline = True
    state = admin.context.requisites.state()
    assert (state.can_edit, state.waiting, state.profile) == (True, False, OrganizationProfile())

    saved = admin.context.requisites.save(dataclasses.replace(REQUISITES, full_name=f"  {REQUISITES.full_name} "))
    assert (saved.profile, saved.waiting, saved.missing) == (REQUISITES, True, [])
    assert queued(admin) == [("organization.requisites", world.a.id)]
    (waiting,) = admin.context.sync.queue()
    assert waiting.summary == "Реквизиты организации «МБУ ДО «ДДТ № 2»»"
    assert admin.context.requisites.save(REQUISITES).waiting, "the same again queues nothing more"
    assert len(queued(admin)) == 1

    admin.transport.offline = False
    report = admin.sync()
    assert (report.pushed, report.rejected) == (1, 0)
    assert queued(admin) == []
    assert on_server(database, admin) == (
        REQUISITES.full_name,
        "4205012340",
        "40703810926000012345",
        "Ершова Татьяна Викторовна",
    )
    after = admin.context.requisites.state()
    assert after.waiting is False
    assert after.profile == dataclasses.replace(REQUISITES, payment_agreements=agreements_of("a", "12", "13"))

    clerk = fleet.open("a")
    clerk.sync()
    seen = clerk.context.requisites.state()
    assert (seen.profile, seen.can_edit, seen.waiting, seen.missing) == (after.profile, False, False, [])
    with pytest.raises(ExpectedError) as refused:
        clerk.context.requisites.save(dataclasses.replace(REQUISITES, signatory_name="Иванов И. И."))
    assert refused.value.user_message == ADMIN_ONLY
    assert queued(clerk) == []
    assert profile(clerk) == after.profile

    stranger = fleet.open("b")
    stranger.sync()
    other = profile(stranger)
    assert (other.full_name, other.inn, other.bik) == ("Организация B", world.b.inn, "")
    assert other.payment_agreements == agreements_of("b", "12")


def test_a_waiting_edit_survives_a_pull_of_the_older_record(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    admin = admin_station(fleet)
    admin.sync()
    assert profile(admin).full_name == "Организация A"
    admin.context.requisites.save(REQUISITES)

    with database.transaction() as session:  # the operator suspends an agreement meanwhile
        session.execute(update(Agreement).where(Agreement.number == "a-13").values(status="suspended"))
        organization = session.get(Organization, world.a.id)
        assert organization is not None
        publish_organization(session, organization, clock.now())
    pull_only(admin)

    kept = profile(admin)
    assert dataclasses.replace(kept, payment_agreements=()) == REQUISITES, "the edit waits, unchanged"
    assert kept.payment_agreements == agreements_of("a", "12", "13", suspended=("13",)), "agreements are fresh"
    assert kept.agreement_with("13") is None
    assert kept.agreement_with("12") == agreements_of("a", "12")[0]
    assert admin.context.requisites.state().waiting
    assert on_server(database, admin)[0] == "Организация A"

    admin.sync()
    assert on_server(database, admin)[0] == REQUISITES.full_name
    assert profile(admin) == kept


def test_a_refusal_puts_back_what_the_server_has(fleet: Fleet, world: World, database: ServerDatabase) -> None:
    other = admin_station(fleet, "b")
    other.context.requisites.save(dataclasses.replace(REQUISITES, inn="4205012357"))
    other.sync()
    admin = admin_station(fleet)
    admin.sync()
    before = profile(admin)
    admin.context.requisites.save(dataclasses.replace(REQUISITES, inn="4205012357"))
    assert profile(admin).inn == "4205012357"

    report = admin.sync()
    assert (report.pushed, report.rejected) == (1, 1)
    (refusal,) = admin.context.sync.inbox()
    assert (refusal.op_type, refusal.code) == ("organization.requisites", "inn_taken")
    assert refusal.message == "ИНН 4205012357 принадлежит другой организации региона."
    assert profile(admin) == before
    assert admin.context.requisites.state().waiting is False

    with pytest.raises(RequisitesInvalidError) as wrong:
        admin.context.requisites.save(dataclasses.replace(REQUISITES, inn="4205012341", kpp=""))
    assert [error.field for error in wrong.value.errors] == ["inn"]
    assert queued(admin) == []


def test_after_sync_a_contract_can_be_printed_with_the_agreement_of_its_payer(
    fleet: Fleet, world: World, database: ServerDatabase
) -> None:
    with database.transaction() as session:  # last year's agreement with the same payer is still registered
        organization_row = session.get(Organization, world.a.id)
        payer = session.get(Payer, world.payer_ids["12"])
        assert organization_row is not None and payer is not None
        accounts.create_agreement(
            session,
            organization=organization_row,
            payer=payer,
            number="a-12/2025",
            signed_on=date(2025, 8, 20),
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
        )
    admin = admin_station(fleet)
    admin.context.requisites.save(REQUISITES)
    admin.sync()
    clerk = fleet.open("a")
    clerk.sync()
    contract = clerk.enroll(world.certificates["c1"])
    clerk.settle()

    organization = profile(clerk)
    assert validate_requisites(organization) == []
    assert [item.number for item in organization.payment_agreements] == ["a-12/2025", "a-12", "a-13"]
    agreement = organization.agreement_with(world.certificates["c1"].payer_code, contract.start_date)
    assert agreement is not None and agreement.number == "a-12", "the one in force when the contract starts"
    with clerk.database.read() as work:
        program = work.programs.get(world.a.program_id)
        stored = work.contracts.get(contract.id)
    assert program is not None and stored is not None
    module = next(module for module in program.modules if module.id == stored.module_id)
    group = next(group for group in module.groups if group.id == stored.group_id)
    document = build_contract_document(organization, stored, program, module, group, document_date=TODAY)
    assert document.payment_agreement == agreement
    assert document.organization.inn == REQUISITES.inn


def test_a_refetch_keeps_the_profile_and_the_waiting_edit(
    fleet: Fleet, world: World, database: ServerDatabase, clock: FixedClock
) -> None:
    admin = admin_station(fleet)
    admin.context.requisites.save(REQUISITES)
    admin.sync()
    synced = profile(admin)
    edited = dataclasses.replace(REQUISITES, signatory_name="Петрова Анна Сергеевна")
    admin.context.requisites.save(edited)
    raise_the_log_floor(database)
    pulls = len(admin.transport.sent(PULL))
    pull_only(admin)
    assert [exchange.params["cursor"] for exchange in admin.transport.sent(PULL)[pulls:]][-1] == "0"
    assert profile(admin) == dataclasses.replace(synced, signatory_name="Петрова Анна Сергеевна")
    assert admin.context.requisites.state().waiting
    assert len(admin.transport.sent(PUSH)) == 1


def test_an_admins_edit_waits_while_a_clerk_syncs_the_same_workstation(
    fleet: Fleet, world: World, database: ServerDatabase
) -> None:
    station = admin_station(fleet)
    station.transport.offline = True
    station.context.requisites.save(REQUISITES)
    station.context.session.sign_out()
    station.transport.offline = False
    station.username = station.organization.clerk
    station.sign_in(fleet.server_url)

    report = station.sync()

    assert (report.pushed, report.rejected) == (0, 0), "held back, not refused"
    (waiting,) = station.context.sync.queue()
    assert waiting.summary.endswith(f" — {WAITS_FOR_ADMIN}")
    assert on_server(database, station)[1] == world.a.inn
    assert profile(station).signatory_name == REQUISITES.signatory_name, "the admin's values stay on screen"

    station.context.session.sign_out()
    station.username = station.organization.admin
    station.sign_in(fleet.server_url)
    assert station.sync().pushed == 1
    assert queued(station) == []
    assert on_server(database, station)[1] == REQUISITES.inn
