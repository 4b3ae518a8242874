"""The main window: navigation on the left, the chosen page on the right, status at the bottom."""

from __future__ import annotations

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
    QStackedWidget,
    QWidget,
)

from desktop_app.services.status import StatusService, WorkstationStatus
from ui.about_dialog import AboutDialog
from ui.app import APPLICATION_NAME
from ui.icons import icon
from ui.pages.settings_page import SettingsPage, WorkstationInfo
from ui.pages.upcoming import UpcomingPage
from ui.status_bar import WorkstationStatusBar
from ui.task_runner import Lane, TaskRunner

NAVIGATION_WIDTH = 260
NAVIGATION_ICON_SIZE = 22


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    icon_name: str
    make_page: Callable[[], QWidget]


def _upcoming_sections() -> list[Section]:
    return [
        Section(
            "Программы",
            "mdi6.book-open-variant",
            lambda: UpcomingPage(
                "Программы",
                "Реестр образовательных программ организации: модули, группы и расписание занятий, "
                "проверка заполнения, отправка на сертификацию и решения оператора с замечаниями.",
            ),
        ),
        Section(
            "Приём по сертификату",
            "mdi6.card-account-details-outline",
            lambda: UpcomingPage(
                "Приём по сертификату",
                "Проверка сертификата по номеру и фамилии ребёнка (вручную или сканером), остаток средств, "
                "выбор программы и группы, расчёт оплаты из сертификата и доплаты родителя, оформление "
                "заявки на договор — в том числе без связи с сервером.",
            ),
        ),
        Section(
            "Договоры",
            "mdi6.file-document-multiple-outline",
            lambda: UpcomingPage(
                "Договоры",
                "Все договоры организации с отбором по статусу, программе и группе: подтверждение, "
                "подписание, расторжение, печать договора, заявления и согласия на обработку "
                "персональных данных.",
            ),
        ),
        Section(
            "Синхронизация",
            "mdi6.cloud-sync-outline",
            lambda: UpcomingPage(
                "Синхронизация",
                "Изменения, которые ждут отправки на региональный сервер, история обмена и решения "
                "сервера — в том числе отклонённые заявки с причиной, которые остаются здесь, пока вы их "
                "не просмотрите.",
            ),
        ),
    ]


class MainWindow(QMainWindow):
    def __init__(
        self,
        info: WorkstationInfo,
        status_service: StatusService,
        runner: TaskRunner,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ) -> None:
        super().__init__()
        self._status_service = status_service
        self._runner = runner
        self._now = now
        self.setWindowTitle(APPLICATION_NAME)
        self.setMinimumSize(900, 600)
        self.resize(1200, 760)

        sections = [*_upcoming_sections(), Section("Настройки", "mdi6.cog-outline", lambda: SettingsPage(info))]
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
        self.refresh_status()

    def section_titles(self) -> list[str]:
        return [self.navigation.item(row).text() for row in range(self.navigation.count())]

    def show_section(self, title: str) -> None:
        self.navigation.setCurrentRow(self.section_titles().index(title))

    def refresh_status(self) -> None:
        """Re-read the status bar's figures on the database lane."""
        self._runner.run(Lane.DATABASE, "status", lambda _control: self._status_service.current(), self._show_status)

    def _show_status(self, status: WorkstationStatus) -> None:
        self.status_bar.show_status(status, self._now())

    def _build_menu(self, section_count: int) -> None:
        file_menu = self.menuBar().addMenu("&Файл")
        quit_action = QAction("В&ыход", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
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
