"""The one place where errors meet the user.

An expected problem (``desktop_app.errors.as_expected`` recognises it) is shown with its Russian message.
Anything else is a bug: its traceback goes to the log, and the user reads a short apology with the log's
location. No traceback and no English exception text ever reaches a dialog.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.errors import as_expected

log = logging.getLogger(__name__)

MESSAGE_TITLE = "АРМ организации ПФДО"


def bug_message(log_file: Path) -> str:
    return (
        "Произошла внутренняя ошибка программы. Введённые данные сохранены.\n\n"
        f"Подробности записаны в журнал:\n{log_file}\n\n"
        "Если ошибка повторяется, передайте этот файл в службу поддержки."
    )


class ErrorPresenter(QObject):
    """Shows errors to the user; ``presented`` carries (is_bug, text) for whoever listens (tests, status)."""

    presented = Signal(bool, str)

    def __init__(self, log_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_file = log_file
        self._parent_widget: QWidget | None = None
        self._open_boxes: set[QMessageBox] = set()

    def set_parent_widget(self, widget: QWidget) -> None:
        """Messages appear over this window (the main window, once it exists)."""
        self._parent_widget = widget

    def present(self, error: BaseException) -> None:
        expected = as_expected(error)
        if expected is not None:
            log.info("expected problem shown to the user: %s", expected.user_message)
            self._show(QMessageBox.Icon.Warning, expected.user_message, is_bug=False)
            return
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
        self._show(QMessageBox.Icon.Critical, bug_message(self._log_file), is_bug=True)

    def install_excepthook(self) -> None:
        """Route exceptions that escape Qt slots and event handlers here instead of to the console."""
        sys.excepthook = self._excepthook

    def _excepthook(self, kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        self.present(error.with_traceback(traceback))

    def _show(self, icon: QMessageBox.Icon, text: str, *, is_bug: bool) -> None:
        box = QMessageBox(icon, MESSAGE_TITLE, text, QMessageBox.StandardButton.Ok, self._parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A box without a parent belongs to Python: keep it alive until the user closes it.
        self._open_boxes.add(box)
        box.finished.connect(lambda _result: self._open_boxes.discard(box))
        box.open()
        self.presented.emit(is_bug, text)
