"""Sync as the clerk sees it, against a real server on loopback: the «Синхронизировать» button, progress and
cancel, a GUI thread that never stalls, the inbox of rejections, offline start, sign-in and an expired session.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import httpx2
import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QDialog, QDialogButtonBox, QProgressBar, QTableView, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore, SecretStore
from desktop_app.domain.contract import Contract, ContractStatus
from desktop_app.domain.money import format_kopecks
from desktop_app.progress import Progress, TaskControl
from desktop_app.services.contracts import Person
from desktop_app.services.session import SignInResult
from desktop_app.services.sync import SyncService
from desktop_app.sync.client import ServerClient
from desktop_app.sync.engine import PULL_PAGE, SyncReport
from desktop_app.sync.protocol import ChangeEntity
from server.clock import FixedClock
from server.config import ServerConfig
from server.db.engine import ServerDatabase
from server.db.models import Certificate, CertificateBalance, Period
from server.services.changes import record_change
from server.services.pull import pull
from tests.server.conftest import TEST_NOW
from tests.server.world import PASSWORD, CertificateFixture, OrganizationFixture, World
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
from tests.ui.test_screenshots import (
    MIN_DISTINCT_COLOURS,
    assert_glyphs_exist,
    assert_no_clipped_labels,
    distinct_colours,
)
from ui.error_presenter import ErrorPresenter
from ui.main_window import MainWindow, WindowServices
from ui.pages.settings_page import WorkstationInfo
from ui.sign_in_dialog import SignInDialog
from ui.sync_controller import SyncController
from ui.task_runner import Lane, Outcome, Task, TaskRunner

T = TypeVar("T")

WAIT_MS = 30_000
TODAY = date(2026, 9, 10)
"""The server's date in these tests (tests/server/conftest.py's clock)."""
START = date(2026, 10, 1)
PULLING = "Получение изменений с сервера"
WRONG_PASSWORD = "Неверное имя пользователя или пароль."
SESSION_EXPIRED = "Сеанс истёк: войдите снова, указав пароль. Несохранённые изменения не потеряны."
EXTRA_CERTIFICATES = 1000
SMALL_PULL_PAGE = 5
PROBE_INTERVAL_MS = 10
MAX_GUI_GAP_S = 0.25
CELL_MARGINS = 6
"""What a table cell keeps free around its text (the style's focus frame margin and a pixel, both sides)."""


# ---------------------------------------------------------------- a workstation with its window


class RecordingSync(SyncService):
    """The real sync service, noting which thread each round runs on."""

    def __init__(self, context: AppContext, pull_page: int) -> None:
        super().__init__(context.database, context.session, pull_page=pull_page)
        self.threads: list[str] = []

    def sync(self, control: TaskControl) -> SyncReport:
        self.threads.append(threading.current_thread().name)
        return super().sync(control)


@dataclass
class Desk:
    """One workstation on screen: its context, task runner, sync controller and main window."""

    context: AppContext
    runner: TaskRunner
    sync: RecordingSync
    controller: SyncController
    window: MainWindow
    errors: list[str] = field(default_factory=list)
    """Whatever the error presenter showed: every test expects none."""
    tasks: list[Task[object]] = field(default_factory=list)
    """Every finished task, in order."""

    def close(self) -> None:
        self.controller.stop()
        self.window.close()
        self.runner.shutdown()


class SwitchableNetwork(httpx2.BaseTransport):
    """The real network, or none at all (``online = False``): every request then fails to connect."""

    def __init__(self) -> None:
        self.online = True
        self.requests = 0
        self._inner = httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        if not self.online:
            raise httpx2.ConnectError("the network is down (test)", request=request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


MakeContext = Callable[..., AppContext]
OpenDesk = Callable[..., Desk]


@pytest.fixture
def contexts(tmp_path: Path) -> Iterator[MakeContext]:
    """Make a workstation context on a data folder of its own (or an existing one); all closed afterwards."""
    opened: list[AppContext] = []

    def make(
        folder: str, *, secrets: SecretStore | None = None, network: SwitchableNetwork | None = None
    ) -> AppContext:
        make_client = None
        if network is not None:
            make_client = lambda url: ServerClient(url, transport=network)  # noqa: E731
        context = build_context(tmp_path / folder, secrets=secrets or MemorySecretStore(), make_client=make_client)
        opened.append(context)
        return context

    yield make
    for context in reversed(opened):
        context.close()


@pytest.fixture
def open_desk(qtbot: QtBot) -> Iterator[OpenDesk]:
    """Open a main window on a context, shown offscreen at its usual size; closed (runner joined) afterwards."""
    opened: list[Desk] = []

    def open_(context: AppContext, *, pull_page: int = PULL_PAGE) -> Desk:
        presenter = ErrorPresenter(context.paths.log_file)
        runner = TaskRunner(presenter.present)
        sync = RecordingSync(context, pull_page)
        controller = SyncController(sync, runner, presenter.present)
        info = WorkstationInfo(
            version="0.1.0",
            data_dir=context.paths.data_dir,
            database=context.paths.database,
            log_file=context.paths.log_file,
            server_url=context.session.server_url,
            keyring_ok=True,
        )
        window = MainWindow(WindowServices.from_context(context, info, runner, controller, sync=sync))
        desk = Desk(context, runner, sync, controller, window)
        presenter.presented.connect(lambda _is_bug, text: desk.errors.append(text))
        runner.finished.connect(desk.tasks.append)
        opened.append(desk)
        qtbot.addWidget(window)
        window.resize(1200, 760)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
        return desk

    yield open_
    for desk in reversed(opened):
        desk.close()


def signed_in(make: MakeContext, live_server: LiveServer, username: str, folder: str = "") -> AppContext:
    context = make(folder or f"workstation-{username}")
    context.session.sign_in(live_server.url, username, PASSWORD, remember=True)
    return context


def in_background(qtbot: QtBot, desk: Desk, work: Callable[[], T]) -> T:
    """Run ``work`` on the desk's database lane, as the program would, and return its result."""
    results: list[T] = []
    failures: list[BaseException] = []
    task = desk.runner.run(Lane.DATABASE, "test", lambda _control: work(), results.append, on_failure=failures.append)
    qtbot.waitUntil(lambda: task.outcome is not None, timeout=WAIT_MS)
    if failures:
        raise failures[0]
    return results[0]


def sync_by_button(qtbot: QtBot, desk: Desk, button: QAbstractButton) -> SyncReport | None:
    """Press a «Синхронизировать» button and wait for the round to end; the progress shows meanwhile."""
    assert button.text() == "Синхронизировать"
    with qtbot.waitSignal(desk.controller.sync_finished, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        page = desk.window.sync_page
        assert page.progress_bar.isVisibleTo(page) and page.cancel_button.isVisibleTo(page)
        assert desk.window.status_bar.progress_bar.isVisible()
        assert not button.isEnabled()
    settle(qtbot, desk)
    report: SyncReport | None = finished.args[0]
    return report


def settle(qtbot: QtBot, desk: Desk) -> None:
    """Wait until the window has re-read what it shows (status bar, sync page)."""
    qtbot.waitUntil(lambda: not desk.runner.busy, timeout=WAIT_MS)


def make_contract(context: AppContext, certificate: CertificateFixture, group_id: uuid.UUID) -> Contract:
    """Check the certificate (online, or in the offline mirror), price the place and request the contract."""
    check = context.certificates.check(certificate.number, certificate.surname, TODAY)
    quote = context.contracts.quote(check, group_id, START)
    return context.contracts.request(
        check, quote, Person("Петрова Анна Сергеевна"), Person(f"{certificate.surname} Тест Тестович")
    )


def stored_contract(context: AppContext, contract_id: uuid.UUID) -> Contract:
    with context.database.read() as work:
        contract = work.contracts.get(contract_id)
    assert contract is not None
    return contract


def host(live_server: LiveServer) -> str:
    return urlsplit(live_server.url).netloc


def save_picture(widget: QWidget, path: Path) -> None:
    """Save what the widget shows and check it has content, real Cyrillic glyphs and no cut-off label."""
    image = widget.grab().toImage()
    assert image.save(str(path))
    assert distinct_colours(image, step=2) >= MIN_DISTINCT_COLOURS, f"{path.name} looks blank"
    assert_glyphs_exist(widget)
    assert_no_clipped_labels(widget)


def assert_progress_text_fits(bar: QProgressBar) -> None:
    """The progress bar's text is drawn whole, not cut off by a bar too narrow for it."""
    assert bar.isVisible() and bar.isTextVisible()
    needed = bar.fontMetrics().horizontalAdvance(bar.text())
    assert needed + 8 <= bar.contentsRect().width(), f"progress text cut off: {bar.text()!r}"


def assert_inside(container: QWidget) -> None:
    """Every visible widget in the container lies within its width: nothing is pushed off the edge."""
    outside = [
        child.objectName() or type(child).__name__
        for child in container.findChildren(QWidget)
        if child.isVisible() and child.mapTo(container, QPoint(child.width(), 0)).x() > container.width()
    ]
    assert not outside, f"pushed off the edge: {outside}"


def assert_cells_readable(view: QTableView) -> None:
    """Every cell's text fits its cell (wrapped, where the view wraps): nothing is elided with «…»."""
    model = view.model()
    metrics = view.fontMetrics()
    flags = int(Qt.TextFlag.TextWordWrap) if view.wordWrap() else 0
    cut = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = str(model.index(row, column).data() or "")
            room = view.columnWidth(column) - CELL_MARGINS
            needed = metrics.boundingRect(QRect(0, 0, room, 10_000), flags, text)
            if needed.width() > room or needed.height() > view.rowHeight(row):
                cut.append(text)
    assert not cut, f"cells cut off: {cut}"


# ---------------------------------------------------------------- a region with many records


def add_certificates(database: ServerDatabase, clock: FixedClock, payer_id: uuid.UUID, count: int) -> None:
    """More certificates of a payer, each in the change log: a first sync then pulls many pages."""
    now = clock.now()
    with database.transaction() as session:
        periods = list(session.scalars(select(Period)))
        for index in range(count):
            certificate = Certificate(
                id=uuid.uuid4(),
                number=f"4212{500_000 + index:06d}",
                surname="Кузнецов",
                first_name="Тест",
                patronymic="",
                birth_date=date(2016, 1, 1),
                kind="financing",
                payer_id=payer_id,
                frozen=False,
                created_at=now,
                updated_at=now,
            )
            session.add(certificate)
            for period in periods:
                session.add(
                    CertificateBalance(
                        certificate_id=certificate.id, period_id=period.id, nominal=100_000, balance=100_000, reserve=0
                    )
                )
            record_change(
                session, now=now, entity=ChangeEntity.CERTIFICATE, entity_id=certificate.id, payer_id=payer_id
            )


@pytest.fixture
def crowded_world(world: World, database: ServerDatabase, clock: FixedClock) -> World:
    """The region with a thousand more certificates of payer 12: a first sync takes a couple of hundred pages."""
    add_certificates(database, clock, world.payer_ids["12"], EXTRA_CERTIFICATES)
    return world


def changes_from(
    database: ServerDatabase, clock: FixedClock, organization: OrganizationFixture, cursor: int, page: int
) -> int:
    """How many changes a sync from ``cursor`` receives, in pages of ``page``: the server's own pull says."""
    received, more = 0, True
    while more:
        answer = pull(database, clock, organization.id, cursor, page)
        received += len(answer.changes)
        cursor, more = answer.cursor, answer.has_more
    return received


def mirror_size(context: AppContext) -> int:
    with context.database.read() as work:
        return work.certificates.count()


def cursor_of(context: AppContext) -> int:
    with context.database.read() as work:
        return work.sync_state.get().cursor


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("where", ["sync page", "status bar"])
def test_sync_button_runs_a_round_off_the_gui_thread_and_the_status_bar_reports_it(
    qtbot: QtBot,
    contexts: MakeContext,
    open_desk: OpenDesk,
    live_server: LiveServer,
    world: World,
    where: str,
) -> None:
    desk = open_desk(signed_in(contexts, live_server, world.a.clerk))
    bar = desk.window.status_bar
    assert bar.sync_label.text() == "Синхронизация ещё не выполнялась"
    desk.window.show_section("Синхронизация")
    button = desk.window.sync_page.sync_button if where == "sync page" else bar.sync_button

    report = sync_by_button(qtbot, desk, button)

    assert report is not None and report.pulled > 0
    assert desk.sync.threads and all(name.startswith("pfdo-database") for name in desk.sync.threads)
    assert not desk.window.sync_page.progress_bar.isVisible()
    assert not bar.progress_bar.isVisible() and not bar.cancel_button.isVisible()
    assert button.isEnabled()
    last_synced_at = desk.context.sync.overview().last_synced_at
    assert last_synced_at is not None
    assert bar.server_label.text() == f"Сервер на связи ({host(live_server)})"
    assert bar.sync_label.text() == f"Последняя синхронизация {last_synced_at.astimezone():%H:%M}"
    assert re.fullmatch(r"Последняя синхронизация \d\d:\d\d", bar.sync_label.text())
    assert bar.pending_label.text() == "ждут отправки: 0"
    assert desk.window.sync_page.last_sync_label.text().startswith("Последняя синхронизация: ")
    desk.window.resize(desk.window.minimumSize())
    qtbot.waitUntil(lambda: desk.window.size() == desk.window.minimumSize(), timeout=WAIT_MS)
    assert_inside(bar)
    assert_no_clipped_labels(bar)
    assert desk.errors == []


def test_the_gui_thread_never_stalls_during_a_long_sync(
    qtbot: QtBot,
    contexts: MakeContext,
    open_desk: OpenDesk,
    live_server: LiveServer,
    crowded_world: World,
    database: ServerDatabase,
    clock: FixedClock,
) -> None:
    desk = open_desk(signed_in(contexts, live_server, crowded_world.a.clerk), pull_page=SMALL_PULL_PAGE)
    expected = changes_from(database, clock, crowded_world.a, 0, SMALL_PULL_PAGE)
    progress: list[Progress] = []
    desk.controller.progress.connect(progress.append)
    ticks: list[float] = []
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(PROBE_INTERVAL_MS)
    probe.timeout.connect(lambda: ticks.append(time.monotonic()))
    probe.start()
    try:
        report = sync_by_button(qtbot, desk, desk.window.sync_page.sync_button)
    finally:
        probe.stop()

    assert report is not None
    assert report.pulled == expected
    assert mirror_size(desk.context) == EXTRA_CERTIFICATES + len(crowded_world.certificates)
    pages = [item for item in progress if item.text == PULLING]
    assert len(pages) >= expected // SMALL_PULL_PAGE, "the sync was not paged as asked"
    assert pages[-1].done == pages[-1].total == expected
    assert all(earlier.done < later.done for earlier, later in itertools.pairwise(pages))
    assert len(ticks) >= 20, f"the probe fired {len(ticks)} times: the sync was too short to tell anything"
    longest = max(later - earlier for earlier, later in itertools.pairwise(ticks))
    assert longest < MAX_GUI_GAP_S, f"the GUI thread stalled for {longest * 1000:.0f} ms during the sync"
    assert desk.errors == []


def test_cancel_stops_a_long_sync_and_the_next_one_resumes_from_the_stored_cursor(
    qtbot: QtBot,
    contexts: MakeContext,
    open_desk: OpenDesk,
    live_server: LiveServer,
    crowded_world: World,
    database: ServerDatabase,
    clock: FixedClock,
    artifacts_dir: Path,
) -> None:
    desk = open_desk(signed_in(contexts, live_server, crowded_world.a.clerk), pull_page=SMALL_PULL_PAGE)
    window, bar = desk.window, desk.window.status_bar
    total = changes_from(database, clock, crowded_world.a, 0, SMALL_PULL_PAGE)
    window.show_section("Синхронизация")

    with qtbot.waitSignal(
        desk.controller.progress,
        check_params_cb=lambda progress: progress.text == PULLING and progress.done >= 10 * SMALL_PULL_PAGE,
        timeout=WAIT_MS,
    ):
        qtbot.mouseClick(bar.sync_button, Qt.MouseButton.LeftButton)
    assert bar.progress_bar.isVisible() and bar.cancel_button.isVisible()
    assert 0 < bar.progress_bar.value() < bar.progress_bar.maximum()
    page_bar = window.sync_page.progress_bar
    assert re.fullmatch(rf"{PULLING}: \d+ из \d+", page_bar.text())
    assert_progress_text_fits(page_bar)
    assert_progress_text_fits(bar.progress_bar)
    assert not bar.sync_label.isVisible() and not bar.sync_button.isVisible()
    assert_inside(bar)
    save_picture(bar, artifacts_dir / "sync-status-bar-syncing.png")
    save_picture(window, artifacts_dir / "sync-window-syncing.png")
    window.resize(window.minimumSize())
    qtbot.waitUntil(lambda: window.size() == window.minimumSize(), timeout=WAIT_MS)
    assert_progress_text_fits(page_bar)
    assert_inside(bar)
    save_picture(window, artifacts_dir / "sync-window-syncing-smallest.png")

    with qtbot.waitSignal(desk.controller.sync_finished, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    settle(qtbot, desk)

    assert finished.args == [None]
    sync_tasks = [task for task in desk.tasks if task.name == "sync"]
    assert [task.outcome for task in sync_tasks] == [Outcome.CANCELLED]
    assert not bar.progress_bar.isVisible() and not bar.cancel_button.isVisible()
    assert not window.sync_page.progress_bar.isVisible() and not window.sync_page.cancel_button.isVisible()
    assert bar.sync_button.isEnabled() and window.sync_page.sync_button.isEnabled()
    assert bar.sync_label.isVisible() and bar.sync_button.isVisible()
    assert_inside(bar)
    assert bar.sync_label.text() == "Синхронизация ещё не выполнялась"
    stopped_at = cursor_of(desk.context)
    mirrored = mirror_size(desk.context)
    assert stopped_at > 0, "nothing was stored before the cancel"
    assert 0 < mirrored < EXTRA_CERTIFICATES, "the sync was not stopped half-way"
    remaining = changes_from(database, clock, crowded_world.a, stopped_at, SMALL_PULL_PAGE)
    assert 0 < remaining < total

    report = sync_by_button(qtbot, desk, window.sync_page.sync_button)

    assert report is not None
    assert report.pulled == remaining, "the next sync did not resume from the stored cursor"
    assert mirror_size(desk.context) == EXTRA_CERTIFICATES + len(crowded_world.certificates)
    assert [task.outcome for task in desk.tasks if task.name == "sync"] == [Outcome.CANCELLED, Outcome.SUCCEEDED]
    assert bar.pending_label.text() == "ждут отправки: 0"
    assert desk.errors == []


def test_a_rejection_stays_in_the_inbox_until_acknowledged_and_remains_in_the_history(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    contexts: MakeContext,
    open_desk: OpenDesk,
    live_server: LiveServer,
    world: World,
    artifacts_dir: Path,
) -> None:
    secrets = MemorySecretStore()
    context = contexts("workstation-a", secrets=secrets)
    context.session.sign_in(live_server.url, world.a.clerk, PASSWORD, remember=True)
    desk = open_desk(context)
    window, page = desk.window, desk.window.sync_page
    window.show_section("Синхронизация")
    sync_by_button(qtbot, desk, page.sync_button)
    # Two requests at the desk: c1 will be accepted; c2 asks for money another organization takes first.
    accepted = in_background(qtbot, desk, lambda: make_contract(context, world.certificates["c1"], world.a.group_id))
    refused = in_background(qtbot, desk, lambda: make_contract(context, world.certificates["c2"], world.a.group_id))
    assert refused.from_certificate == world.certificates["c2"].balance
    rival = signed_in(contexts, live_server, world.b.clerk)
    rival.sync.sync(TaskControl())
    make_contract(rival, world.certificates["c2"], world.b.group_id)
    assert rival.sync.sync(TaskControl()).rejected == 0

    report = sync_by_button(qtbot, desk, page.sync_button)

    assert report is not None and (report.pushed, report.rejected) == (2, 1)
    assert stored_contract(context, refused.id).status is ContractStatus.REJECTED
    assert page.tabs.tabText(0) == "Требуют внимания (1)"
    assert page.inbox_model.rowCount() == 1
    row = [page.inbox_model.index(0, column).data() for column in range(page.inbox_model.columnCount())]
    reason = f"Запрошено {format_kopecks(refused.from_certificate)}, доступно {format_kopecks(0)}".replace("\xa0", " ")
    assert row[1] == f"Договор {refused.provisional_number}: заявка ({refused.child_full_name})"
    assert row[2].startswith(reason)
    assert page.details.isVisible()
    details = page.details.text()
    assert reason in details
    assert f"Запрошено из сертификата: {format_kopecks(refused.from_certificate)}" in details
    assert f"Доступно на сертификате: {format_kopecks(0)}" in details
    assert f"Решение сервера: {TEST_NOW.astimezone():%d.%m.%Y %H:%M}" in details
    assert page.acknowledge_button.isEnabled()
    save_picture(window, artifacts_dir / "sync-inbox-rejection.png")
    assert_cells_readable(page.inbox_view)

    # A change waits to be sent: the queue tab lists it; every table model passes Qt's model checks.
    in_background(qtbot, desk, lambda: context.contracts.confirm(accepted.id))
    page.refresh()
    qtbot.waitUntil(lambda: page.queue_model.rowCount() == 1, timeout=WAIT_MS)
    assert page.tabs.tabText(1) == "Ждут отправки (1)"
    number = stored_contract(context, accepted.id).number
    assert page.queue_model.index(0, 1).data() == f"Договор {number}: подтверждение"
    page.tabs.setCurrentIndex(1)
    save_picture(window, artifacts_dir / "sync-queue.png")
    assert_cells_readable(page.queue_view)
    assert page.history_model.rowCount() == 2
    for model in (page.inbox_model, page.queue_model, page.history_model):
        qtmodeltester.check(model)

    # Further syncs do not clear it...
    page.tabs.setCurrentIndex(0)
    report = sync_by_button(qtbot, desk, page.sync_button)
    assert report is not None and (report.pushed, report.rejected) == (1, 0)
    assert page.inbox_model.rowCount() == 1 and page.tabs.tabText(0) == "Требуют внимания (1)"

    # ...nor does closing the program and opening it again.
    desk.close()
    context.close()
    reopened = contexts("workstation-a", secrets=secrets)
    assert reopened.session.restore() is not None
    desk = open_desk(reopened)
    page = desk.window.sync_page
    desk.window.show_section("Синхронизация")
    assert page.inbox_model.rowCount() == 1
    assert page.inbox_model.index(0, 1).data() == row[1]
    sync_by_button(qtbot, desk, page.sync_button)
    assert page.inbox_model.rowCount() == 1

    # «Понятно, убрать из списка» removes it from the inbox; the history keeps it.
    assert page.acknowledge_button.text() == "Понятно, убрать из списка"
    qtbot.mouseClick(page.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.inbox_model.rowCount() == 0, timeout=WAIT_MS)
    settle(qtbot, desk)
    assert page.tabs.tabText(0) == "Требуют внимания (0)"
    assert not page.acknowledge_button.isEnabled()
    history = [
        [page.history_model.index(row_number, column).data() for column in range(page.history_model.columnCount())]
        for row_number in range(page.history_model.rowCount())
    ]
    assert [line[2] for line in history] == ["принято", "отклонено", "принято"]
    assert history[1][1] == row[1] and history[1][3].startswith(reason)
    sync_by_button(qtbot, desk, page.sync_button)
    assert page.inbox_model.rowCount() == 0
    page.tabs.setCurrentIndex(2)
    save_picture(desk.window, artifacts_dir / "sync-history.png")
    assert_cells_readable(page.history_view)
    assert desk.errors == []


def test_offline_start_with_a_remembered_session(
    qtbot: QtBot,
    contexts: MakeContext,
    open_desk: OpenDesk,
    live_server: LiveServer,
    world: World,
) -> None:
    secrets = MemorySecretStore()
    first = contexts("workstation", secrets=secrets)
    first.session.sign_in(live_server.url, world.a.clerk, PASSWORD, remember=True)
    first.sync.sync(TaskControl())
    first.close()

    network = SwitchableNetwork()
    network.online = False
    context = contexts("workstation", secrets=secrets, network=network)
    user = context.session.restore()
    assert user is not None and user.username == world.a.clerk
    assert network.requests == 0, "restoring the session must not need the network"
    desk = open_desk(context)
    bar = desk.window.status_bar

    contract = in_background(qtbot, desk, lambda: make_contract(context, world.certificates["c1"], world.a.group_id))
    assert contract.status is ContractStatus.PENDING
    assert network.requests > 0, "the certificate check did not even try the server"
    desk.window.refresh_status()
    settle(qtbot, desk)
    assert bar.pending_label.text() == "ждут отправки: 1"

    with qtbot.waitSignal(desk.controller.sync_finished, timeout=WAIT_MS) as finished:
        desk.controller.sync_now()
    settle(qtbot, desk)
    assert finished.args == [None]
    assert bar.server_label.text() == f"Нет связи с сервером ({host(live_server)})"
    assert desk.controller.retry_pending
    assert bar.pending_label.text() == "ждут отправки: 1"
    assert stored_contract(context, contract.id).status is ContractStatus.PENDING

    network.online = True
    with qtbot.waitSignal(desk.controller.sync_finished, timeout=WAIT_MS) as finished:
        desk.controller.sync_now()
    settle(qtbot, desk)
    report: SyncReport = finished.args[0]
    assert report is not None and (report.pushed, report.rejected) == (1, 0)
    assert not desk.controller.retry_pending
    sent = stored_contract(context, contract.id)
    assert sent.status is ContractStatus.REQUESTED and sent.number == "1-ПФ"
    assert bar.server_label.text() == f"Сервер на связи ({host(live_server)})"
    assert bar.pending_label.text() == "ждут отправки: 0"
    assert desk.errors == []


def test_sign_in_dialog_says_when_the_password_is_wrong_and_closes_when_it_is_right(
    qtbot: QtBot,
    contexts: MakeContext,
    open_desk: OpenDesk,
    live_server: LiveServer,
    world: World,
    artifacts_dir: Path,
) -> None:
    desk = open_desk(contexts("workstation"))
    dialog = desk.window.show_sign_in()
    qtbot.waitExposed(dialog)
    sign_in_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert sign_in_button.text() == "Войти"
    assert not dialog.message_label.isVisible()
    qtbot.keyClicks(dialog.server_edit, live_server.url)
    qtbot.keyClicks(dialog.username_edit, world.a.clerk)
    dialog.password_edit.setText("не тот пароль")  # QTest types ASCII only

    qtbot.mouseClick(sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.message_label.isVisible, timeout=WAIT_MS)

    assert dialog.message_label.text() == WRONG_PASSWORD
    assert dialog.isVisible() and sign_in_button.isEnabled()
    assert desk.context.session.user is None
    save_picture(dialog, artifacts_dir / "sign-in-wrong-password.png")

    dialog.password_edit.setText(PASSWORD)
    with (
        qtbot.waitSignal(desk.controller.sync_finished, timeout=WAIT_MS) as synced,
        qtbot.waitSignal(dialog.finished, timeout=WAIT_MS) as closed,
        qtbot.waitSignal(dialog.signed_in, timeout=WAIT_MS) as signed,
    ):
        qtbot.mouseClick(sign_in_button, Qt.MouseButton.LeftButton)
    settle(qtbot, desk)

    result: SignInResult = signed.args[0]
    assert result.user.username == world.a.clerk and result.warning is None
    assert closed.args == [QDialog.DialogCode.Accepted.value]
    assert synced.args[0] is not None, "signing in did not start a sync"
    assert desk.window.status_bar.server_label.text() == f"Сервер на связи ({host(live_server)})"
    assert desk.errors == []


def test_an_expired_session_asks_for_the_password_again_and_keeps_the_outbox(
    qtbot: QtBot,
    contexts: MakeContext,
    open_desk: OpenDesk,
    live_server: LiveServer,
    world: World,
    clock: FixedClock,
    config: ServerConfig,
    artifacts_dir: Path,
) -> None:
    context = signed_in(contexts, live_server, world.a.clerk)
    desk = open_desk(context)
    sync_by_button(qtbot, desk, desk.window.sync_page.sync_button)
    contract = in_background(qtbot, desk, lambda: make_contract(context, world.certificates["c1"], world.a.group_id))
    clock.advance(config.refresh_token_ttl + timedelta(days=1))

    with (
        qtbot.waitSignal(desk.controller.sign_in_needed, timeout=WAIT_MS) as needed,
        qtbot.waitSignal(desk.controller.sync_finished, timeout=WAIT_MS) as finished,
    ):
        desk.controller.sync_now()
    settle(qtbot, desk)

    assert finished.args == [None]
    assert needed.args == [SESSION_EXPIRED]
    dialogs = [dialog for dialog in desk.window.findChildren(SignInDialog) if dialog.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitExposed(dialog)
    assert dialog.message_label.isVisible() and dialog.message_label.text() == SESSION_EXPIRED
    assert dialog.server_edit.text() == live_server.url
    assert dialog.username_edit.text() == world.a.clerk
    assert desk.window.status_bar.server_label.text() == f"Нужно войти снова ({host(live_server)})"
    assert [operation.entity_id for operation in context.sync.queue()] == [contract.id]
    assert desk.window.status_bar.pending_label.text() == "ждут отправки: 1"
    save_picture(dialog, artifacts_dir / "sign-in-session-expired.png")

    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(desk.controller.sync_finished, timeout=WAIT_MS) as synced:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    settle(qtbot, desk)

    report: SyncReport = synced.args[0]
    assert report is not None and (report.pushed, report.rejected) == (1, 0)
    assert context.sync.queue() == []
    assert stored_contract(context, contract.id).status is ContractStatus.REQUESTED
    assert desk.window.status_bar.pending_label.text() == "ждут отправки: 0"
    assert desk.errors == []
