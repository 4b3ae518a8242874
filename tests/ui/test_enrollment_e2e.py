"""Enrollment end to end, as the clerk does it, against the real server on loopback: the desk, «Новые заявки»
and «Договоры», with sync rounds in between (each on the database lane, as the program runs them).

A walk-in parent from the check to the termination; an online application from the portal to an active
contract; a request made offline that gets its final number on sync; two organizations that, offline,
promise one certificate's money twice — one contract is accepted, the other rejected with the figures.
"""

# ruff: noqa: F811 — the server's fixtures are imported by name and taken by the tests as arguments

from __future__ import annotations

import uuid
from pathlib import Path

import httpx2
from pytestqt.qtbot import QtBot

from desktop_app.domain.contract import ContractStatus
from desktop_app.domain.money import format_kopecks
from desktop_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from server.db.engine import ServerDatabase
from server.db.models import ContractRow as ServerContract
from tests.server.world import World, expected_split
from tests.ui.desk_support import (  # noqa: F401 — fixtures, found by pytest by name
    PARENT,
    START,
    WAIT_MS,
    AnsweringPrompts,
    OpenStation,
    Station,
    choose_start,
    enroll,
    file_request,
    fill_details,
    open_station,
    press_enter,
    save_picture,
    type_and_check,
)
from tests.ui.server_fixtures import (  # noqa: F401 — fixtures, found by pytest by name
    LiveServer,
    app,
    clock,
    config,
    database,
    database_url,
    live_server,
    world,
)
from ui.models.contracts_model import ContractColumn
from ui.pages.contracts_page import ContractsPage

DUPLICATE = "У ребёнка уже есть действующий договор по этому модулю."


def shown(qtbot: QtBot, page: ContractsPage, contract_id: uuid.UUID) -> None:
    """Reload the contracts list and select the contract."""
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh(select=contract_id)
    assert page.selected() is not None and page.selected().id == contract_id  # type: ignore[union-attr]


def act(qtbot: QtBot, station: Station, page: ContractsPage, trigger: object) -> None:
    """Start a toolbar action on the selected contract, wait for the list to show its outcome, then sync."""
    assert trigger.isEnabled(), trigger.text()
    with qtbot.waitSignal(page.contracts_changed, timeout=WAIT_MS):
        trigger.trigger()
    station.settle(qtbot)
    assert not page.message.isVisible(), page.message.text()
    station.sync(qtbot)


def server_contract(database: ServerDatabase, contract_id: uuid.UUID) -> ServerContract:
    with database.transaction() as session:
        row = session.get(ServerContract, contract_id)
        assert row is not None
        session.expunge(row)
        return row


def test_walk_in_parent_from_the_check_to_the_termination(
    qtbot: QtBot, open_station: OpenStation, world: World, database: ServerDatabase, artifacts_dir: Path
) -> None:
    station = open_station(world.a.clerk)
    desk = station.desk(qtbot)
    answers = AnsweringPrompts()
    contracts = station.contracts_page(qtbot, answers.prompts())

    certificate = world.certificates["c2"]
    assert type_and_check(qtbot, desk, "42-12-000002", "соколова-елкина") is not None
    choose_start(qtbot, desk, START)
    quote = desk.enrollment.quote
    assert quote is not None
    split = expected_split(START, certificate.balance)
    assert quote.split == split
    assert sum(payment.total for payment in quote.schedule) == split.price
    assert desk.enrollment.split.from_certificate.text() == format_kopecks(split.from_certificate)
    assert desk.enrollment.split.co_payment.text() == format_kopecks(split.co_payment)
    assert desk.enrollment.split.model.rowCount() == len(quote.schedule) + 1  # and «Итого»
    save_picture(desk, artifacts_dir / "desk-enrollment-split.png")

    press_enter(qtbot, desk.enrollment.group)
    fill_details(desk)
    assert desk.enrollment.people.child_name.text() == "Соколова-Ёлкина Тест"
    assert desk.enrollment.people.child_birth.text() == "20.11.2015 (по данным сертификата)"
    save_picture(desk, artifacts_dir / "desk-enrollment-details.png")
    contract = file_request(qtbot, desk)
    assert contract.status is ContractStatus.PENDING and contract.provisional_number.startswith("П-")
    assert (contract.price, contract.from_certificate, contract.co_payment) == (
        split.price,
        split.from_certificate,
        split.co_payment,
    )
    assert contract.provisional_number in desk.notice.text() and "ждёт отправки" in desk.notice.text()
    assert desk.number.text() == "" and desk.surname.text() == "" and desk.focusWidget() is desk.number
    assert station.context.programs.summaries()[0].places == (1, 31), "the place is taken before the sync"

    station.sync(qtbot)
    shown(qtbot, contracts, contract.id)
    assert contracts.selected().contract.number == "1-ПФ"  # type: ignore[union-attr]
    assert contracts.view.model().index(0, 0).data().startswith("1-ПФ\nот\u00a0")
    assert station.context.programs.summaries()[0].places == (1, 31), "counted once the server has it"

    act(qtbot, station, contracts, contracts.confirm_action)
    shown(qtbot, contracts, contract.id)
    assert station.contract(contract.id).status is ContractStatus.CONFIRMED
    act(qtbot, station, contracts, contracts.activate_action)
    shown(qtbot, contracts, contract.id)
    assert station.contract(contract.id).status is ContractStatus.ACTIVE
    assert station.contract(contract.id).signed_on == answers.signed_on
    assert not contracts.refuse_action.isEnabled() and contracts.terminate_action.isEnabled()
    act(qtbot, station, contracts, contracts.terminate_action)
    assert "вступит в силу 30.09.2026" in answers.questions[-1]
    shown(qtbot, contracts, contract.id)
    terminated = station.contract(contract.id)
    assert terminated.status is ContractStatus.TERMINATING
    assert "Расторжение вступает в силу 30.09.2026" in contracts.details.text()
    on_server = server_contract(database, contract.id)
    assert (on_server.status, on_server.reason, str(on_server.terminates_on)) == (
        "terminating",
        answers.reason,
        "2026-09-30",
    )
    save_picture(contracts, artifacts_dir / "contracts-list.png")
    assert station.errors == []


def test_a_second_open_contract_on_the_same_module_is_refused(
    qtbot: QtBot, open_station: OpenStation, world: World
) -> None:
    station = open_station(world.a.clerk)
    desk = station.desk(qtbot)
    enroll(qtbot, desk, "4212000001", "Петров")
    assert type_and_check(qtbot, desk, "4212000001", "Петров") is not None
    assert "ждёт отправки" in desk.panel.contracts.text(), "the child's contracts show at the check"
    choose_start(qtbot, desk, START)
    press_enter(qtbot, desk.enrollment.group)
    fill_details(desk)
    with qtbot.waitSignal(desk.enrollment.failed, timeout=WAIT_MS) as failed:
        press_enter(qtbot, desk.enrollment.people.parent_name, ctrl=True)
    assert failed.args == [DUPLICATE]
    assert desk.enrollment.error.text() == DUPLICATE and desk.enrollment.error.isVisible()


def test_an_online_application_arrives_is_confirmed_completed_and_signed(
    qtbot: QtBot,
    open_station: OpenStation,
    world: World,
    live_server: LiveServer,
    database: ServerDatabase,
    artifacts_dir: Path,
) -> None:
    station = open_station(world.a.clerk)
    answers = AnsweringPrompts()
    applications = station.applications(qtbot, answers.prompts())
    contracts = station.contracts_page(qtbot, answers.prompts())
    filed = httpx2.post(
        f"{live_server.url}/api/v1/portal/applications",
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        json={
            "certificate_number": world.certificates["c1"].number,
            "surname": "петров",
            "group_id": str(world.a.group_id),
            "start_date": START.isoformat(),
        },
    )
    assert filed.status_code == 201, filed.text
    contract_id = uuid.UUID(filed.json()["contract"]["id"])

    station.sync(qtbot)
    counts: list[int] = []
    applications.applications_count_changed.connect(counts.append)
    with qtbot.waitSignal(applications.checked, timeout=WAIT_MS):
        applications.refresh()
    assert counts == [1]
    view = applications.selected()
    assert view is not None and view.id == contract_id and view.needs_details
    assert applications.panel.name.text() == "Петров Тест"
    split = expected_split(START, world.certificates["c1"].balance)
    assert applications.split.price.text() == format_kopecks(split.price)
    assert applications.split.from_certificate.text() == format_kopecks(split.from_certificate)
    assert applications.confirm_button.isEnabled()
    save_picture(applications, artifacts_dir / "applications-queue.png")

    with qtbot.waitSignal(applications.applications_count_changed, timeout=WAIT_MS) as counted:
        applications.confirm_button.click()
    assert counted.args == [0]
    assert applications.empty.isVisible()
    station.sync(qtbot)
    assert server_contract(database, contract_id).status == "confirmed"

    shown(qtbot, contracts, contract_id)
    assert "данные не заполнены" in contracts.details.text()
    act(qtbot, station, contracts, contracts.details_action)
    shown(qtbot, contracts, contract_id)
    assert f"Родитель: {PARENT.full_name}" in contracts.details.text()
    act(qtbot, station, contracts, contracts.activate_action)
    shown(qtbot, contracts, contract_id)
    on_server = server_contract(database, contract_id)
    assert (on_server.status, on_server.parent_full_name, on_server.parent_phone) == (
        "active",
        PARENT.full_name,
        PARENT.phone,
    )
    assert station.contract(contract_id).status is ContractStatus.ACTIVE
    assert station.contract(contract_id).parent_document == PARENT.identity_document
    assert station.errors == []


def test_an_application_is_refused_with_a_reason(
    qtbot: QtBot, open_station: OpenStation, world: World, live_server: LiveServer, database: ServerDatabase
) -> None:
    station = open_station(world.a.clerk)
    answers = AnsweringPrompts(reason="Группа набрана по другому приказу")
    applications = station.applications(qtbot, answers.prompts())
    for key, surname in (("c1", "Петров"), ("c3", "Иванов")):
        filed = httpx2.post(
            f"{live_server.url}/api/v1/portal/applications",
            headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
            json={
                "certificate_number": world.certificates[key].number,
                "surname": surname,
                "group_id": str(world.a.group_id),
                "start_date": START.isoformat(),
            },
        )
        assert filed.status_code == 201, filed.text
    station.sync(qtbot)
    with qtbot.waitSignal(applications.checked, timeout=WAIT_MS):
        applications.refresh()
    assert [view.contract.number for view in applications.model.views()] == ["1-ПФ", "2-ПФ"], "oldest first"
    first = applications.selected()
    assert first is not None and first.contract.number == "1-ПФ"
    with qtbot.waitSignal(applications.applications_count_changed, timeout=WAIT_MS) as counted:
        applications.refuse_button.click()
    assert counted.args == [1]
    assert "Отклонить заявку 1-ПФ?" in answers.questions[-1]
    station.sync(qtbot)
    refused = server_contract(database, first.id)
    assert (refused.status, refused.reason) == ("refused", answers.reason)


def test_offline_enrollment_gets_its_final_number_on_sync(
    qtbot: QtBot, open_station: OpenStation, world: World
) -> None:
    station = open_station(world.a.clerk)
    station.network.online = False
    desk = station.desk(qtbot)
    contracts = station.contracts_page(qtbot)
    contract = enroll(qtbot, desk, "42 12 000001", "петров")
    assert contract.number is None and contract.status is ContractStatus.PENDING
    shown(qtbot, contracts, contract.id)
    assert contracts.view.model().index(0, 0).data().startswith(f"{contract.provisional_number}\n")
    assert contracts.selected().contract.status.label == "ждёт отправки"  # type: ignore[union-attr]

    station.network.online = True
    report = station.sync(qtbot)
    assert (report.pushed, report.rejected) == (1, 0)
    shown(qtbot, contracts, contract.id)
    assert contracts.view.model().index(0, 0).data().startswith("1-ПФ\n")
    assert f"временный номер {contract.provisional_number}" in contracts.details.text()
    assert station.contract(contract.id).status is ContractStatus.REQUESTED


def test_two_organizations_offline_over_spend_one_certificate(
    qtbot: QtBot, open_station: OpenStation, world: World, artifacts_dir: Path
) -> None:
    first, second = open_station(world.a.clerk), open_station(world.b.clerk)
    made = []
    for station in (first, second):
        station.network.online = False
        made.append(enroll(qtbot, station.desk(qtbot), "4212000002", "Соколова-Ёлкина"))
    certificate = world.certificates["c2"]
    for contract in made:
        assert contract.from_certificate == certificate.balance, "each promised the whole balance"

    for station in (first, second):
        station.network.online = True
        station.sync(qtbot)
    assert first.contract(made[0].id).status is ContractStatus.REQUESTED
    rejected = second.contract(made[1].id)
    assert rejected.status is ContractStatus.REJECTED
    inbox = second.context.sync.inbox()
    assert len(inbox) == 1
    assert inbox[0].figures == {
        "requested": certificate.balance,
        "available": 0,
        "decided_at": inbox[0].figures["decided_at"],  # type: ignore[index]
    }
    assert inbox[0].message == rejected.reason
    assert rejected.reason.startswith(f"Запрошено {format_kopecks(certificate.balance).replace(chr(160), ' ')}")

    page = second.contracts_page(qtbot)
    shown(qtbot, page, rejected.id)
    assert page.reason.isVisible() and page.reason.objectName() == "deskProblem"
    assert page.reason.text() == f"Отклонён сервером: {rejected.reason}"
    assert page.view.model().index(0, ContractColumn.STATUS).data() == "отклонён сервером"
    assert not any(
        action.isEnabled()
        for action in (page.confirm_action, page.activate_action, page.terminate_action, page.refuse_action)
    )
    save_picture(page, artifacts_dir / "contracts-rejected.png")
