"""Helpers of the desk, applications and contracts tests: workstations against the real server with a network
that can be switched off, the pages on one task runner, pictures checked for content, glyphs and clipping.

Fixtures live here and are imported by name by the test modules (``from tests.ui.desk_support import ...``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import httpx2
import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from desktop_app.domain.contract import Contract
from desktop_app.progress import TaskControl
from desktop_app.services.contracts import Person
from desktop_app.sync.client import ServerClient
from desktop_app.sync.engine import SyncReport
from tests.server.world import PASSWORD
from tests.ui.test_screenshots import (
    MIN_DISTINCT_COLOURS,
    assert_glyphs_exist,
    assert_no_clipped_labels,
    distinct_colours,
)
from ui.desk.prompts import ContractPrompts
from ui.error_presenter import ErrorPresenter
from ui.pages.applications_page import ApplicationsPage
from ui.pages.contracts_page import ContractsPage
from ui.pages.desk_page import DeskPage
from ui.task_runner import Lane, TaskRunner

T = TypeVar("T")

WAIT_MS = 30_000
TODAY = date(2026, 9, 10)
"""The server's date in these tests (tests/server/conftest.py's FixedClock)."""
START = date(2026, 10, 1)
LAYOUT_PASSES = 5
PAGE_SIZE = (940, 700)
"""What a page gets in the main window at its usual size (1200 × 760, less navigation, menu and status bar)."""


class SwitchableNetwork(httpx2.BaseTransport):
    """The real network, or none at all (``online = False``): every request then fails to connect."""

    def __init__(self) -> None:
        self.online = True
        self._inner = httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if not self.online:
            raise httpx2.ConnectError("the network is down (test)", request=request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@dataclass
class Station:
    """A workstation signed in to the live server: its context, its network, its pages and task runner."""

    context: AppContext
    network: SwitchableNetwork
    runner: TaskRunner
    errors: list[str] = field(default_factory=list)
    """Whatever the error presenter showed: tests expect none unless they say so."""
    pages: list[QWidget] = field(default_factory=list)

    def sync(self, qtbot: QtBot | None = None) -> SyncReport:
        """One sync round: on the database lane when a test runs pages, blocking before any page is open."""
        if qtbot is None:
            return self.context.sync.sync(TaskControl())
        return in_background(qtbot, self.runner, lambda: self.context.sync.sync(TaskControl()))

    def contract(self, contract_id: object) -> Contract:
        with self.context.database.read() as work:
            found = work.contracts.get(contract_id)  # type: ignore[arg-type]
        assert found is not None
        return found

    def desk(self, qtbot: QtBot) -> DeskPage:
        return self._page(qtbot, DeskPage(self.context.certificates, self.context.contracts, self.runner, today=today))

    def applications(self, qtbot: QtBot, prompts: ContractPrompts | None = None) -> ApplicationsPage:
        page = ApplicationsPage(
            self.context.certificates, self.context.contracts, self.runner, today=today, prompts=prompts
        )
        return self._page(qtbot, page)

    def contracts_page(self, qtbot: QtBot, prompts: object | None = None) -> ContractsPage:
        page = ContractsPage(
            self.context.contracts, self.runner, today=today, **({"prompts": prompts} if prompts else {})
        )
        return self._page(qtbot, page)

    def _page(self, qtbot: QtBot, page: T) -> T:
        assert isinstance(page, QWidget)
        qtbot.addWidget(page)
        page.resize(*PAGE_SIZE)
        page.show()
        qtbot.waitExposed(page)
        self.pages.append(page)
        return page

    def settle(self, qtbot: QtBot) -> None:
        qtbot.waitUntil(lambda: not self.runner.busy, timeout=WAIT_MS)


def today() -> date:
    return TODAY


OpenStation = Callable[..., Station]


@pytest.fixture
def open_station(tmp_path: Path, live_server: object) -> Iterator[OpenStation]:
    """Open a workstation signed in as ``username`` and synced once; everything closed afterwards."""
    opened: list[Station] = []

    def open_(username: str, *, sync: bool = True) -> Station:
        network = SwitchableNetwork()
        context = build_context(
            tmp_path / f"station-{username}-{len(opened)}",
            secrets=MemorySecretStore(),
            make_client=lambda url: ServerClient(url, transport=network),
        )
        presenter = ErrorPresenter(context.paths.log_file)
        station = Station(context, network, TaskRunner(presenter.present))
        presenter.presented.connect(lambda _is_bug, text: station.errors.append(text))
        opened.append(station)
        context.session.sign_in(live_server.url, username, PASSWORD, remember=True)  # type: ignore[attr-defined]
        if sync:
            station.sync()
        return station

    yield open_
    for station in reversed(opened):
        for page in station.pages:
            page.close()
        station.runner.shutdown()
        station.context.close()
        station.network.close()


def in_background(qtbot: QtBot, runner: TaskRunner, work: Callable[[], T]) -> T:
    """Run ``work`` on the database lane, as the program would, and return its result."""
    results: list[T] = []
    failures: list[BaseException] = []
    task = runner.run(Lane.DATABASE, "test", lambda _control: work(), results.append, on_failure=failures.append)
    qtbot.waitUntil(lambda: task.outcome is not None, timeout=WAIT_MS)
    if failures:
        raise failures[0]
    return results[0]


def save_picture(widget: QWidget, path: Path) -> None:
    """Save what the widget shows and check it has content, real Cyrillic glyphs and no cut-off label."""
    for _pass in range(LAYOUT_PASSES):  # nested layouts settle one level per pass of posted layout requests
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    image = widget.grab().toImage()
    assert image.save(str(path))
    assert distinct_colours(image, step=2) >= MIN_DISTINCT_COLOURS, f"{path.name} looks blank"
    assert_glyphs_exist(widget)
    assert_no_clipped_labels(widget)


def press_enter(qtbot: QtBot, widget: QWidget, *, ctrl: bool = False) -> None:
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(widget, Qt.Key.Key_Return, modifier)


def type_text(widget: QWidget, text: str) -> None:
    """Type text key by key, as a keyboard (or a scanner) would; QTest's keyClicks knows only ASCII."""
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def type_and_check(qtbot: QtBot, page: DeskPage, number: str, surname: str) -> object:
    """Type what a clerk types and press Enter in the surname field; return what the check found."""
    page.number.clear()
    page.surname.clear()
    type_text(page.number, number)
    type_text(page.surname, surname)
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS) as checked:
        press_enter(qtbot, page.surname)
    return checked.args[0]


def choose_start(qtbot: QtBot, page: DeskPage, start: date) -> None:
    """Set the start date and wait until the money for it is on screen."""
    form = page.enrollment
    form.start.setDate(QDate(start.year, start.month, start.day))
    qtbot.waitUntil(lambda: form.quote is not None and form.quote.split.contract_start == start, timeout=WAIT_MS)


PARENT = Person(
    "Петрова Анна Сергеевна",
    phone="+7 913 000-12-34",
    email="petrova@example.ru",
    address="г. Кемерово, ул. Весенняя, д. 5, кв. 12",
    identity_document="Паспорт 3210 123456, выдан ГУ МВД России по Кемеровской обл. 01.02.2015",
)


def fill_details(page: DeskPage, parent: Person = PARENT, child_name: str | None = None) -> None:
    """Type the parent's details field by field, moving on with Enter as the clerk would."""
    people = page.enrollment.people
    values = (parent.full_name, parent.phone, parent.email, parent.address, parent.identity_document)
    for line, value in zip(people.fields()[:5], values, strict=True):
        line.clear()
        type_text(line, value)
    if child_name is not None:
        people.child_name.clear()
        type_text(people.child_name, child_name)


def file_request(qtbot: QtBot, page: DeskPage) -> Contract:
    """Ctrl+Enter in the details: «Оформить заявку»; return the contract made."""
    made: list[Contract] = []
    page.enrollment.created.connect(made.append)
    press_enter(qtbot, page.enrollment.people.parent_name, ctrl=True)
    qtbot.waitUntil(lambda: bool(made) or page.enrollment.error.isVisible(), timeout=WAIT_MS)
    page.enrollment.created.disconnect(made.append)
    assert made, page.enrollment.error.text()
    return made[0]


def enroll(qtbot: QtBot, page: DeskPage, number: str, surname: str, start: date = START) -> Contract:
    """The whole desk: check, choose the start date, go on with Enter, fill in the details, file the request."""
    assert type_and_check(qtbot, page, number, surname) is not None, page.panel.text()
    choose_start(qtbot, page, start)
    press_enter(qtbot, page.enrollment.group)
    assert page.enrollment.steps.currentIndex() == 1
    people = page.enrollment.people
    fill_details(page, child_name=None if people.child_name.text() else f"{surname.strip().title()} Тест Тестович")
    return file_request(qtbot, page)


@dataclass
class AnsweringPrompts:
    """Answers the contract actions' questions at once and remembers what was asked."""

    reason: str = "Семья переезжает в другой город"
    signed_on: date = TODAY
    details: tuple[Person, Person] | None = None
    questions: list[str] = field(default_factory=list)

    def prompts(self) -> ContractPrompts:
        return ContractPrompts(self._reason, self._signing_date, self._details)

    def _reason(self, _parent: QWidget, question: str, _action: str) -> str | None:
        self.questions.append(question)
        return self.reason

    def _signing_date(self, _parent: QWidget, label: str, _today: date) -> date | None:
        self.questions.append(f"подписание {label}")
        return self.signed_on

    def _details(
        self, _parent: QWidget, label: str, _parent_person: Person, child: Person, _birth: date | None
    ) -> tuple[Person, Person] | None:
        self.questions.append(f"данные {label}: {child.full_name}")
        return self.details or (PARENT, Person(child.full_name, address=PARENT.address))
