"""Qt helpers of the benchmarks: the real main window on a context, a stall probe, waiting on the event loop."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app import __version__
from desktop_app.bootstrap import AppContext
from ui.app import configure_application
from ui.main_window import MainWindow, WindowServices
from ui.pages.settings_page import WorkstationInfo
from ui.sync_controller import SyncController
from ui.task_runner import TaskRunner

PROBE_INTERVAL_MS = 5
WAIT_TIMEOUT_S = 1800


def application() -> QApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(["pfdo-bench"])
    configure_application(app)
    return app


@dataclass
class Window:
    window: MainWindow
    runner: TaskRunner
    controller: SyncController

    def close(self) -> None:
        self.controller.stop()
        self.runner.shutdown()
        self.window.close()
        self.window.deleteLater()


def main_window(
    context: AppContext, errors: list[BaseException], on_programs_shown: Callable[[], None] | None = None
) -> Window:
    """The real main window on the context, as ``pfdo-desktop`` builds it (errors collected, not shown).

    ``on_programs_shown`` is called when the programs page has shown its first list.
    """
    runner = TaskRunner(errors.append)
    controller = SyncController(context.sync, runner, errors.append)
    info = WorkstationInfo(
        version=__version__,
        data_dir=context.paths.data_dir,
        database=context.paths.database,
        log_file=context.paths.log_file,
        server_url=context.session.server_url,
        keyring_ok=False,
    )
    window = MainWindow(WindowServices.from_context(context, info, runner, controller))
    if on_programs_shown is not None:
        window.programs_page.loaded.connect(on_programs_shown)
    window.show()
    return Window(window, runner, controller)


def wait_until(condition: Callable[[], bool]) -> None:
    """Run the event loop (idle between checks, so workers get the CPU) until the condition holds."""
    deadline = time.monotonic() + WAIT_TIMEOUT_S
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(20)
    check.timeout.connect(lambda: loop.quit() if condition() or time.monotonic() > deadline else None)
    check.start()
    if not condition():
        loop.exec()
    check.stop()
    if not condition():
        raise TimeoutError("the condition did not come true")


class StallProbe:
    """A timer on the GUI thread every 5 ms; the longest gap beyond its interval is the longest stall."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(PROBE_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest_ms = 0.0

    def start(self) -> None:
        self.longest_ms = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000 - PROBE_INTERVAL_MS)
        self._last = now

    def stop(self) -> float:
        self._timer.stop()
        self._tick()
        return self.longest_ms
