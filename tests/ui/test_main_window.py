"""The main window: Russian navigation, pages that switch, the status bar, the about dialog."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop_app import __version__
from desktop_app.bootstrap import AppContext
from desktop_app.sync.records import SyncState
from ui.about_dialog import AboutDialog
from ui.main_window import MainWindow
from ui.pages.settings_page import SettingsPage
from ui.task_runner import TaskRunner

SECTIONS = [
    "Приём по сертификату",
    "Новые заявки",
    "Договоры",
    "Программы",
    "Синхронизация",
    "Реквизиты организации",
    "Настройки",
]


def page_heading(window: MainWindow) -> str:
    heading = window.pages.currentWidget().findChild(QLabel, "pageHeading")
    assert heading is not None
    return heading.text()


def test_window_is_titled_in_russian_and_lists_every_section(main_window: MainWindow) -> None:
    assert main_window.windowTitle() == "АРМ организации ПФДО"
    assert main_window.section_titles() == SECTIONS
    assert page_heading(main_window) == "Приём по сертификату"


def test_navigation_switches_pages(main_window: MainWindow) -> None:
    for row, title in enumerate(SECTIONS):
        main_window.navigation.setCurrentRow(row)
        assert main_window.pages.currentIndex() == row
        assert page_heading(main_window) == title


def test_keyboard_shortcuts_open_sections(main_window: MainWindow) -> None:
    go_menu = main_window.menuBar().actions()[1].menu()
    shortcuts = {action.shortcut().toString(): action for action in go_menu.actions()}
    shortcuts["Ctrl+3"].trigger()
    assert page_heading(main_window) == "Договоры"
    shortcuts["Ctrl+7"].trigger()
    assert isinstance(main_window.pages.currentWidget(), SettingsPage)


def test_settings_page_shows_where_the_data_lives(main_window: MainWindow, context: AppContext) -> None:
    main_window.show_section("Настройки")
    texts = [label.text() for label in main_window.pages.currentWidget().findChildren(QLabel)]
    assert str(context.paths.data_dir) in texts
    assert str(context.paths.database) in texts
    assert "не настроен" in texts


def test_status_bar_of_a_new_workstation(main_window: MainWindow) -> None:
    bar = main_window.status_bar
    assert bar.server_label.text() == "Сервер не настроен"
    assert bar.sync_label.text() == "Синхронизация ещё не выполнялась"
    assert bar.pending_label.text() == "ждут отправки: 0"


def test_status_bar_counts_waiting_changes_and_shows_last_sync(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, runner: TaskRunner
) -> None:
    synced_at = datetime.now(UTC).replace(microsecond=0)
    with context.database.write() as work:
        for _ in range(3):
            work.outbox.enqueue("program.update", 1, uuid.uuid4(), {}, synced_at)
        work.sync_state.save(SyncState(cursor=7, last_synced_at=synced_at))
    with qtbot.waitSignal(runner.finished, timeout=5000):
        main_window.refresh_status()
    local = synced_at.astimezone().strftime("%H:%M")
    assert main_window.status_bar.pending_label.text() == "ждут отправки: 3"
    assert main_window.status_bar.sync_label.text() == f"Последняя синхронизация {local}"


def test_about_dialog_shows_the_version(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.about_action.trigger()
    dialog = main_window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert dialog.windowTitle() == "О программе"
    assert dialog.version_label.text() == f"Версия {__version__}"
    dialog.reject()
    qtbot.waitUntil(lambda: main_window.findChild(AboutDialog) is None, timeout=2000)
