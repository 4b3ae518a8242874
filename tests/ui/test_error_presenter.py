"""Errors reach the user in Russian: expected problems as they are, bugs as an apology with the log path."""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from desktop_app.errors import ExpectedError
from ui.error_presenter import ErrorPresenter

LATIN_WORDS = ("Error", "Traceback", "Exception", "line ")


def shown_boxes() -> list[QMessageBox]:
    return [widget for widget in QApplication.topLevelWidgets() if isinstance(widget, QMessageBox)]


@pytest.fixture
def close_boxes() -> object:
    yield None
    for box in shown_boxes():
        box.close()


def test_expected_problem_is_shown_as_is(qtbot: QtBot, presenter: ErrorPresenter, close_boxes: object) -> None:
    with qtbot.waitSignal(presenter.presented) as blocker:
        presenter.present(ExpectedError("Нет связи с сервером. Изменения сохранены и будут отправлены позже."))
    assert blocker.args == [False, "Нет связи с сервером. Изменения сохранены и будут отправлены позже."]
    [box] = shown_boxes()
    assert box.icon() is QMessageBox.Icon.Warning
    assert box.text().startswith("Нет связи с сервером.")


@pytest.mark.parametrize(
    ("error", "expected_start"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "На диске не осталось места."),
        (PermissionError(errno.EACCES, "Permission denied"), "Нет прав на запись"),
        (
            OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")),
            "На диске не осталось места.",
        ),
        (OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")), "База данных занята"),
    ],
    ids=["disk-full", "permission", "sqlite-full", "sqlite-locked"],
)
def test_environment_failures_get_a_russian_message(
    qtbot: QtBot, presenter: ErrorPresenter, close_boxes: object, error: BaseException, expected_start: str
) -> None:
    with qtbot.waitSignal(presenter.presented) as blocker:
        presenter.present(error)
    is_bug, text = blocker.args
    assert not is_bug
    assert text.startswith(expected_start)
    assert not any(word in text for word in LATIN_WORDS)


def test_bug_is_logged_with_traceback_and_the_user_sees_an_apology(
    qtbot: QtBot, presenter: ErrorPresenter, close_boxes: object, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        {}["missing"]  # a real KeyError with a real traceback
    except KeyError as error:
        bug = error
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(presenter.presented) as blocker:
        presenter.present(bug)
    is_bug, text = blocker.args
    assert is_bug
    assert "внутренняя ошибка" in text
    assert "журнал" in text
    assert not any(word in text for word in LATIN_WORDS)
    assert "missing" not in text
    [record] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert record.exc_info is not None and record.exc_info[0] is KeyError
    [box] = shown_boxes()
    assert box.icon() is QMessageBox.Icon.Critical


def test_excepthook_routes_escaped_exceptions_to_the_presenter(
    qtbot: QtBot, presenter: ErrorPresenter, close_boxes: object, caplog: pytest.LogCaptureFixture
) -> None:
    previous = sys.excepthook
    presenter.install_excepthook()
    try:
        with caplog.at_level(logging.ERROR), qtbot.waitSignal(presenter.presented) as blocker:
            sys.excepthook(ExpectedError, ExpectedError("Сертификат не найден."), None)
    finally:
        sys.excepthook = previous
    assert blocker.args == [False, "Сертификат не найден."]
