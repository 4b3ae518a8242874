"""Fixtures for widget tests: a configured QApplication, a workstation context, a task runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from ui.app import configure_application
from ui.error_presenter import ErrorPresenter
from ui.main_window import MainWindow, WindowServices
from ui.pages.settings_page import WorkstationInfo
from ui.sync_controller import SyncController
from ui.task_runner import TaskRunner


@pytest.fixture(scope="session", autouse=True)
def configured_app(qapp: QApplication) -> QApplication:
    """The application as the program configures it: Russian locale, bundled font, style."""
    configure_application(qapp)
    return qapp


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    built = build_context(tmp_path / "data", secrets=MemorySecretStore())
    yield built
    built.close()


@pytest.fixture
def presenter(context: AppContext) -> ErrorPresenter:
    return ErrorPresenter(context.paths.log_file)


@pytest.fixture
def runner(presenter: ErrorPresenter) -> Iterator[TaskRunner]:
    task_runner = TaskRunner(presenter.present)
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def info(context: AppContext) -> WorkstationInfo:
    return WorkstationInfo(
        version="0.1.0",
        data_dir=context.paths.data_dir,
        database=context.paths.database,
        log_file=context.paths.log_file,
        server_url=context.settings.server_url,
        keyring_ok=True,
    )


@pytest.fixture
def controller(context: AppContext, runner: TaskRunner, presenter: ErrorPresenter) -> Iterator[SyncController]:
    sync_controller = SyncController(context.sync, runner, presenter.present)
    yield sync_controller
    sync_controller.stop()


@pytest.fixture
def main_window(
    qtbot: QtBot,
    context: AppContext,
    runner: TaskRunner,
    info: WorkstationInfo,
    controller: SyncController,
) -> MainWindow:
    services = WindowServices.from_context(context, info, runner, controller)
    window = MainWindow(services)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    return window
