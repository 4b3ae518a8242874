"""The main window: navigation on the left, the chosen page on the right, status at the bottom.

It wires the sync controller to what the clerk sees (status bar, «Синхронизация» page) and offers
sign-in and sign-out; the work itself happens in services, on the task runner.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop_app.bootstrap import AppContext
from desktop_app.services.certificates import CertificateService
from desktop_app.services.contracts import ContractService
from desktop_app.services.documents import DocumentService
from desktop_app.services.programs import ProgramService
from desktop_app.services.references import ReferenceService
from desktop_app.services.requisites import RequisitesService
from desktop_app.services.session import SessionService, SignInResult
from desktop_app.services.status import StatusService, WorkstationStatus
from desktop_app.services.sync import SyncService
from ui.about_dialog import AboutDialog
from ui.app import APPLICATION_NAME
from ui.icons import icon
from ui.pages.applications_page import ApplicationsPage
from ui.pages.contracts_page import ContractsPage
from ui.pages.desk_page import DeskPage
from ui.pages.programs_page import ProgramsPage
from ui.pages.requisites_page import RequisitesPage
from ui.pages.settings_page import SettingsPage, WorkstationInfo
from ui.pages.sync_page import SyncPage
from ui.sign_in_dialog import SignInDialog
from ui.status_bar import WorkstationStatusBar
from ui.sync_controller import SyncController
from ui.task_runner import Lane, TaskRunner

DESK = "Приём по сертификату"
APPLICATIONS = "Новые заявки"
CONTRACTS = "Договоры"
PROGRAMS = "Программы"
SYNC = "Синхронизация"
REQUISITES = "Реквизиты организации"

NAVIGATION_WIDTH = 260
NOTICE_TIMEOUT_MS = 15_000


def _local_now() -> datetime:
    return datetime.now().astimezone()


NAVIGATION_ICON_SIZE = 22


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    icon_name: str
    make_page: Callable[[], QWidget]


@dataclass
class WindowServices:
    """What the main window works with, built by the entry point."""

    info: WorkstationInfo
    status: StatusService
    sync: SyncService
    session: SessionService
    programs: ProgramService
    references: ReferenceService
    certificates: CertificateService
    contracts: ContractService
    documents: DocumentService
    requisites: RequisitesService
    runner: TaskRunner
    controller: SyncController
    demo: bool = False

    @classmethod
    def from_context(
        cls,
        context: AppContext,
        info: WorkstationInfo,
        runner: TaskRunner,
        controller: SyncController,
        *,
        sync: SyncService | None = None,
        demo: bool = False,
    ) -> WindowServices:
        """The services of the composition root; ``sync`` replaces the context's one (tests record rounds)."""
        return cls(
            info,
            context.status,
            sync or context.sync,
            context.session,
            context.programs,
            context.references,
            context.certificates,
            context.contracts,
            context.documents,
            context.requisites,
            runner,
            controller,
            demo=demo,
        )


class MainWindow(QMainWindow):
    def __init__(self, services: WindowServices, now: Callable[[], datetime] = _local_now) -> None:
        super().__init__()
        self._services = services
        self._runner = services.runner
        self._now = now
        title = f"{APPLICATION_NAME} — Демо-режим" if services.demo else APPLICATION_NAME
        self.setWindowTitle(title)
        self.setMinimumSize(900, 600)
        self.resize(1200, 760)

        runner = services.runner
        self.desk_page = DeskPage(services.certificates, services.contracts, runner)
        self.applications_page = ApplicationsPage(services.certificates, services.contracts, runner)
        self.contracts_page = ContractsPage(services.contracts, runner, documents=services.documents)
        self.programs_page = ProgramsPage(services.programs, services.references, runner)
        self.sync_page = SyncPage(services.sync, runner)
        self.requisites_page = RequisitesPage(services.requisites, runner)
        sections = [
            Section(DESK, "mdi6.card-account-details-outline", lambda: self.desk_page),
            Section(APPLICATIONS, "mdi6.inbox-arrow-down-outline", lambda: self.applications_page),
            Section(CONTRACTS, "mdi6.file-document-multiple-outline", lambda: self.contracts_page),
            Section(PROGRAMS, "mdi6.book-open-variant", lambda: self.programs_page),
            Section(SYNC, "mdi6.cloud-sync-outline", lambda: self.sync_page),
            Section(REQUISITES, "mdi6.office-building-outline", lambda: self.requisites_page),
            Section("Настройки", "mdi6.cog-outline", lambda: SettingsPage(services.info)),
        ]
        self._titles = [section.title for section in sections]
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(NAVIGATION_WIDTH)
        self.navigation.setIconSize(QSize(NAVIGATION_ICON_SIZE, NAVIGATION_ICON_SIZE))
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setWordWrap(True)
        self.pages = QStackedWidget()
        for section in sections:
            item = QListWidgetItem(icon(section.icon_name), section.title)
            item.setSizeHint(QSize(NAVIGATION_WIDTH, 44))
            self.navigation.addItem(item)
            self.pages.addWidget(section.make_page())
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.navigation.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.status_bar = WorkstationStatusBar()
        self.setStatusBar(self.status_bar)
        self._build_menu(len(sections))
        self._connect_sync()
        self._connect_pages()
        self.refresh_status()
        self._refresh_pages()

    def section_titles(self) -> list[str]:
        """The sections' names (the navigation may add a count to one, e.g. «Новые заявки (3)»)."""
        return list(self._titles)

    def show_section(self, title: str) -> None:
        self.navigation.setCurrentRow(self._titles.index(title))

    def _show_applications_count(self, count: int) -> None:
        item = self.navigation.item(self._titles.index(APPLICATIONS))
        item.setText(f"{APPLICATIONS} ({count})" if count else APPLICATIONS)

    # ------------------------------------------------------------ status and sync

    def refresh_status(self) -> None:
        """Re-read the status bar's figures on the database lane."""
        status = self._services.status
        self._runner.run(Lane.DATABASE, "status", lambda _control: status.current(), self._show_status)

    def _show_status(self, status: WorkstationStatus) -> None:
        self.status_bar.show_status(status, self._now())

    def _connect_sync(self) -> None:
        controller = self._services.controller
        for bar_or_page in (self.status_bar, self.sync_page):
            bar_or_page.sync_requested.connect(controller.sync_now)
            bar_or_page.cancel_requested.connect(controller.cancel)
        controller.sync_started.connect(lambda: self._show_syncing(True))
        controller.progress.connect(self.status_bar.show_progress)
        controller.progress.connect(self.sync_page.show_progress)
        controller.sync_finished.connect(self._sync_finished)
        controller.state_changed.connect(self.status_bar.show_state)
        controller.sign_in_needed.connect(self.show_sign_in)

    def _connect_pages(self) -> None:
        self.programs_page.programs_changed.connect(self._local_change)
        self.programs_page.notices.connect(self._show_notices)
        for page in (self.desk_page, self.applications_page, self.contracts_page):
            page.contracts_changed.connect(self._local_change)
        self.applications_page.applications_count_changed.connect(self._show_applications_count)
        self.requisites_page.requisites_changed.connect(self._local_change)
        self.sync_page.open_record.connect(self._open_record)

    def _local_change(self) -> None:
        """The clerk changed something here: the queue, the counts and the lists that show it follow."""
        self.refresh_status()
        self._refresh_pages()

    def _refresh_pages(self) -> None:
        pages = (
            self.sync_page,
            self.programs_page,
            self.contracts_page,
            self.applications_page,
            self.desk_page,
            self.requisites_page,
        )
        for page in pages:
            page.refresh()

    def _show_notices(self, notices: list[str]) -> None:
        """Decisions that arrived with a sync: in the status bar, and in a message the clerk can read."""
        if notices:
            self.status_bar.showMessage(notices[-1], NOTICE_TIMEOUT_MS)
            box = QMessageBox(QMessageBox.Icon.Information, APPLICATION_NAME, "\n".join(notices), parent=self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _open_record(self, op_type: str, entity_id: uuid.UUID) -> None:
        """Show the record a sync result is about: a program in its editor, a contract in the register."""
        if op_type.startswith("program.") and self.programs_page.select_program(entity_id):
            self.show_section(PROGRAMS)
            self.programs_page.open_selected()
        elif op_type.startswith("contract."):
            self.show_section(CONTRACTS)
            self.contracts_page.show_contract(entity_id)

    def _show_syncing(self, syncing: bool) -> None:
        self.status_bar.show_syncing(syncing)
        self.sync_page.show_syncing(syncing)

    def _sync_finished(self, _report: object) -> None:
        self._show_syncing(False)
        self.refresh_status()
        self._refresh_pages()

    # ------------------------------------------------------------ session

    def show_sign_in(self, reason: str = "") -> SignInDialog:
        session = self._services.session
        user = session.user
        dialog = SignInDialog(
            session,
            self._runner,
            server_url=session.server_url or "",
            username=user.username if user else "",
            reason=reason,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.signed_in.connect(self._signed_in)
        dialog.open()
        return dialog

    def _signed_in(self, result: SignInResult) -> None:
        self.refresh_status()
        if result.warning:
            QMessageBox.information(self, APPLICATION_NAME, result.warning)
        self._services.controller.sync_now()

    def sign_out(self) -> None:
        session = self._services.session
        self._runner.run(
            Lane.DATABASE,
            "sign-out",
            lambda _control: session.sign_out(),
            lambda _none: self._services.controller.signed_out(),
        )

    # ------------------------------------------------------------ menus

    def _build_menu(self, section_count: int) -> None:
        file_menu = self.menuBar().addMenu("&Файл")
        self.sign_in_action = QAction("&Войти…", self)
        self.sign_in_action.triggered.connect(lambda _checked=False: self.show_sign_in())
        self.sign_out_action = QAction("В&ыйти из учётной записи", self)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.sync_action = QAction("&Синхронизировать", self)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(self._services.controller.sync_now)
        quit_action = QAction("Вы&ход", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        for action in (self.sign_in_action, self.sign_out_action, self.sync_action):
            file_menu.addAction(action)
        self.sign_in_action.setEnabled(not self._services.demo)
        self.sign_out_action.setEnabled(not self._services.demo)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Переход")
        for row in range(section_count):
            action = QAction(self.navigation.item(row).text(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _checked=False, row=row: self.navigation.setCurrentRow(row))
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Справка")
        self.about_action = QAction("&О программе", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
