"""The application speaks Russian: locale for numbers and dates, Qt's own buttons, a font with Cyrillic."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from ui.app import APPLICATION_NAME


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
