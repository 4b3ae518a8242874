"""The application speaks Russian: locale for numbers and dates, Qt's own buttons, a font with Cyrillic; what
start-up made is frozen out of the garbage collector's full passes, once."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from ui.app import APPLICATION_NAME, freeze_start_up_objects


def test_default_locale_is_russian() -> None:
    locale = QLocale()
    assert locale.language() is QLocale.Language.Russian
    assert locale.toString(1234.5, "f", 2) == "1\u00a0234,50"
    assert locale.toString(QDate(2026, 9, 12), QLocale.FormatType.ShortFormat) == "12.09.2026"
    assert locale.standaloneMonthName(9) == "сентябрь"


def test_qt_dialog_buttons_are_translated(qtbot: QtBot) -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Отмена"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Отмена"
    box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.No).text() == "&Нет"


def test_application_font_is_the_bundled_one_and_draws_cyrillic() -> None:
    font = QApplication.font()
    assert font.family() == "DejaVu Sans"
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(char)) for char in "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжз№₽«»—")


def test_application_name() -> None:
    assert QApplication.applicationDisplayName() == APPLICATION_NAME
    assert not QApplication.windowIcon().isNull()


def test_start_up_objects_are_frozen_once() -> None:
    freeze_start_up_objects()
    frozen = gc.get_freeze_count()
    made_later: list[list[int]] = [[] for _ in range(100)]
    freeze_start_up_objects()
    assert frozen > 0
    assert gc.get_freeze_count() == frozen, "a second call froze what came after start-up"
    assert made_later
