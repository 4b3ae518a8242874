"""The main window's contract wiring against the real server on loopback: «Новые заявки (N)» in the navigation
once applications arrive by sync, the final number of a contract made offline after a sync, a sync result about
a contract opening it in «Договоры», and a picture of the window on the desk.
"""

# ruff: noqa: F811 — the server's fixtures are imported by name and taken by the tests as arguments

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.services.contracts import Person
from desktop_app.sync.client import ServerClient
from desktop_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.server.world import PASSWORD, CertificateFixture, World
from tests.ui.desk_support import (
    START,
    TODAY,
    WAIT_MS,
    SwitchableNetwork,
    in_background,
    press_enter,
    save_picture,
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
from ui.error_presenter import ErrorPresenter
from ui.main_window import APPLICATIONS, CONTRACTS, DESK, MainWindow, WindowServices
from ui.pages.settings_page import WorkstationInfo
from ui.sync_controller import SyncController
from ui.task_runner import TaskRunner


@dataclass
class Desk:
    """A workstation signed in to the live server, with its main window on screen."""

    context: AppContext
    network: SwitchableNetwork
    runner: TaskRunner
    controller: SyncController
    window: MainWindow
    errors: list[str] = field(default_factory=list)
    """Whatever the error presenter showed: every test expects none."""

    def settle(self, qtbot: QtBot) -> None:
        qtbot.waitUntil(lambda: not self.runner.busy, timeout=WAIT_MS)

    def sync(self, qtbot: QtBot) -> None:
        """A sync round as F5 starts it, and the window's refresh after it."""
        self.settle(qtbot)
        with qtbot.waitSignal(self.controller.sync_finished, timeout=WAIT_MS):
            self.controller.sync_now()
        self.settle(qtbot)

    def navigation_text(self, title: str) -> str:
        return str(self.window.navigation.item(self.window.section_titles().index(title)).text())

    def current_title(self) -> str:
        return self.window.section_titles()[self.window.navigation.currentRow()]


OpenDesk = Callable[[str], Desk]


@pytest.fixture
def open_desk(qtbot: QtBot, tmp_path: Path, live_server: LiveServer) -> Iterator[OpenDesk]:
    """Sign a workstation in as ``username``, open its main window at the usual size; all closed afterwards."""
    opened: list[Desk] = []

    def open_(username: str) -> Desk:
        network = SwitchableNetwork()
        context = build_context(
            tmp_path / f"station-{username}",
            secrets=MemorySecretStore(),
            make_client=lambda url: ServerClient(url, transport=network),
        )
        context.session.sign_in(live_server.url, username, PASSWORD, remember=True)
        presenter = ErrorPresenter(context.paths.log_file)
        runner = TaskRunner(presenter.present)
        controller = SyncController(context.sync, runner, presenter.present)
        info = WorkstationInfo(
            version="0.1.0",
            data_dir=context.paths.data_dir,
            database=context.paths.database,
            log_file=context.paths.log_file,
            server_url=context.session.server_url,
            keyring_ok=True,
        )
        window = MainWindow(WindowServices.from_context(context, info, runner, controller))
        desk = Desk(context, network, runner, controller, window)
        presenter.presented.connect(lambda _is_bug, text: desk.errors.append(text))
        opened.append(desk)
        qtbot.addWidget(window)
        window.resize(1200, 760)
        window.show()
        qtbot.waitExposed(window)
        desk.settle(qtbot)
        return desk

    yield open_
    for desk in reversed(opened):
        desk.controller.stop()
        desk.window.close()
        desk.runner.shutdown()
        desk.context.close()
        desk.network.close()


def file_application(live_server: LiveServer, world: World, certificate: CertificateFixture) -> uuid.UUID:
    """A parent files an application on the regional portal for organization «a»'s big group."""
    filed = httpx2.post(
        f"{live_server.url}/api/v1/portal/applications",
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        json={
            "certificate_number": certificate.number,
            "surname": certificate.surname.lower(),
            "group_id": str(world.a.group_id),
            "start_date": START.isoformat(),
        },
    )
    assert filed.status_code == 201, filed.text
    return uuid.UUID(filed.json()["contract"]["id"])


def make_contract(
    qtbot: QtBot, desk: Desk, certificate: CertificateFixture, world: World, *, announce: bool = True
) -> Contract:
    """Check, quote and request a contract on the window's database lane (offline works through the mirror);
    ``announce`` tells the window, as the desk page does after a request."""
    contracts, certificates = desk.context.contracts, desk.context.certificates

    def request() -> Contract:
        check = certificates.check(certificate.number, certificate.surname, TODAY)
        quote = contracts.quote(check, world.a.group_id, START)
        return contracts.request(check, quote, Person("Петрова Анна Сергеевна"), Person(f"{certificate.surname} Тест"))

    made = in_background(qtbot, desk.runner, request)
    if announce:
        desk.window.contracts_page.contracts_changed.emit()
    desk.settle(qtbot)
    return made


def contracts_cell(desk: Desk, contract_id: uuid.UUID) -> str:
    page = desk.window.contracts_page
    assert page.select_contract(contract_id)
    view = page.selected()
    assert view is not None and view.id == contract_id
    return str(page.view.model().index(page.view.currentIndex().row(), 0).data())


# ---------------------------------------------------------------- tests


def test_the_navigation_counts_new_applications(
    qtbot: QtBot, open_desk: OpenDesk, live_server: LiveServer, world: World
) -> None:
    desk = open_desk(world.a.clerk)
    desk.sync(qtbot)
    assert desk.navigation_text(APPLICATIONS) == "Новые заявки"

    for key in ("c1", "c3"):
        file_application(live_server, world, world.certificates[key])
    desk.sync(qtbot)
    qtbot.waitUntil(lambda: desk.navigation_text(APPLICATIONS) == "Новые заявки (2)", timeout=WAIT_MS)
    assert desk.window.section_titles()[1] == APPLICATIONS, "the section keeps its name for the shortcuts"

    applications = desk.window.applications_page
    desk.window.show_section(APPLICATIONS)
    for remaining in ("Новые заявки (1)", "Новые заявки"):
        qtbot.waitUntil(applications.confirm_button.isEnabled, timeout=WAIT_MS)
        applications.confirm_button.click()
        qtbot.waitUntil(lambda remaining=remaining: desk.navigation_text(APPLICATIONS) == remaining, timeout=WAIT_MS)
    desk.settle(qtbot)
    desk.sync(qtbot)
    assert desk.navigation_text(APPLICATIONS) == "Новые заявки"
    assert desk.errors == []


def test_a_contract_made_offline_shows_its_final_number_after_a_sync(
    qtbot: QtBot, open_desk: OpenDesk, world: World
) -> None:
    desk = open_desk(world.a.clerk)
    desk.sync(qtbot)
    desk.network.online = False
    contract = make_contract(qtbot, desk, world.certificates["c1"], world)
    assert contract.status is ContractStatus.PENDING and contract.number is None
    assert contracts_cell(desk, contract.id).startswith(f"{contract.provisional_number}\n")

    desk.network.online = True
    desk.sync(qtbot)
    assert contracts_cell(desk, contract.id).startswith("1-ПФ\n")
    details = desk.window.contracts_page.details.text()
    assert f"временный номер {contract.provisional_number}" in details
    assert desk.errors == []


def test_a_sync_result_about_a_contract_opens_it_in_the_register(
    qtbot: QtBot, open_desk: OpenDesk, world: World
) -> None:
    desk = open_desk(world.a.clerk)
    desk.sync(qtbot)
    first = make_contract(qtbot, desk, world.certificates["c1"], world)
    second = make_contract(qtbot, desk, world.certificates["c3"], world)
    desk.sync(qtbot)
    assert desk.current_title() == DESK

    desk.window.sync_page.open_record.emit("contract.request", first.id)
    assert desk.current_title() == CONTRACTS
    assert desk.window.pages.currentWidget() is desk.window.contracts_page
    selected = desk.window.contracts_page.selected()
    assert selected is not None and selected.id == first.id

    # A search that hides the contract does not keep the clerk from it.
    page = desk.window.contracts_page
    page.search.setText(world.certificates["c1"].number)
    desk.window.show_section(DESK)
    desk.window.sync_page.open_record.emit("contract.confirm", second.id)
    assert desk.current_title() == CONTRACTS
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().id == second.id, timeout=WAIT_MS)

    # A contract the list has not loaded yet is loaded, then shown.
    third = make_contract(qtbot, desk, world.certificates["c2"], world, announce=False)
    assert page.model.row_of(third.id) is None
    desk.window.sync_page.open_record.emit("contract.request", third.id)
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().id == third.id, timeout=WAIT_MS)

    # A program's result does not touch the register.
    desk.window.sync_page.open_record.emit("program.update", uuid.uuid4())
    assert desk.current_title() == CONTRACTS
    assert desk.errors == []


def test_a_picture_of_the_window_on_the_desk(
    qtbot: QtBot, open_desk: OpenDesk, live_server: LiveServer, world: World, artifacts_dir: Path
) -> None:
    desk = open_desk(world.a.clerk)
    file_application(live_server, world, world.certificates["c1"])
    desk.sync(qtbot)
    qtbot.waitUntil(lambda: desk.navigation_text(APPLICATIONS) == "Новые заявки (1)", timeout=WAIT_MS)
    desk.window.show_section(DESK)
    page = desk.window.desk_page
    page.number.setText("4213000003")
    page.surname.setText("Иванов")
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS):
        press_enter(qtbot, page.surname)
    desk.settle(qtbot)
    save_picture(desk.window, artifacts_dir / "main-window-desk.png")
    assert desk.errors == []
