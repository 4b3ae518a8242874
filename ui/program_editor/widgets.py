"""Small pieces the editor's tabs share: a field with its error under it, money typed in roubles, read-only mode.

Money is typed in roubles («12 000,50», «12000.5», «12 000 ₽») and parsed into integer kopecks with integer
arithmetic only; a float never touches it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.money import KOPECKS_PER_ROUBLE, format_kopecks

MAX_ROUBLE_DIGITS = 10
"""Up to 9 999 999 999 ₽: far beyond any module's price, and far below integer limits of the database."""
_MONEY = re.compile(rf"(\d{{1,{MAX_ROUBLE_DIGITS}}})(?:[.,](\d{{0,2}}))?")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_ROUBLE_SUFFIXES = ("₽", "руб.", "руб", "р.", "р")
RUSSIAN = QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
PRICE_FORMAT_MESSAGE = "Введите цену в рублях, например 12 000,50."


def parse_roubles(text: str) -> int | None:
    """Kopecks from an amount typed in roubles: «12 000,50» → 1200050; None when it is not an amount."""
    cleaned = text.strip().casefold()
    for suffix in _ROUBLE_SUFFIXES:
        if cleaned.endswith(suffix):
            cleaned = cleaned.removesuffix(suffix)
            break
    cleaned = _SPACES.sub("", cleaned)
    match = _MONEY.fullmatch(cleaned)
    if match is None:
        return None
    roubles, kopecks = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(roubles) * KOPECKS_PER_ROUBLE + int(kopecks)


def roubles_text(kopecks: int) -> str:
    """The text a price field shows for an amount: «12 000,50» (no sign: the label says «₽»)."""
    return format_kopecks(kopecks, with_sign=False)


def error_label() -> QLabel:
    """A red message under a field; hidden while there is nothing to say."""
    label = QLabel()
    label.setObjectName("formError")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.hide()
    return label


def show_error(label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))


class Field(QWidget):
    """An input with its error message under it, for a row of a form."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def show_error(self, message: str | None) -> None:
        show_error(self.error, message)


def date_edit() -> QDateEdit:
    """A date field with a Russian calendar that starts on Monday."""
    edit = QDateEdit()
    edit.setLocale(RUSSIAN)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    edit.setMinimumDate(QDate(2000, 1, 1))
    calendar = edit.calendarWidget()
    calendar.setLocale(RUSSIAN)
    calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
    calendar.setGridVisible(True)
    return edit


def combo(items: list[tuple[str, object]], placeholder: str = "— выберите —") -> QComboBox:
    """A drop-down of (label, value) pairs with nothing chosen at first."""
    box = QComboBox()
    box.setPlaceholderText(placeholder)
    for label, value in items:
        box.addItem(label, value)
    box.setCurrentIndex(-1)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return box


def fixed_width(widget: QWidget) -> QWidget:
    """Keep a short field (a number, a choice) as wide as its contents instead of the whole form."""
    widget.setSizePolicy(QSizePolicy.Policy.Fixed, widget.sizePolicy().verticalPolicy())
    return widget


def wrapping_list(widget: QListWidget) -> QListWidget:
    """A list whose long items wrap onto more lines instead of scrolling sideways."""
    widget.setWordWrap(True)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setResizeMode(QListView.ResizeMode.Adjust)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    return widget


def select_value(box: QComboBox, value: object) -> None:
    """Choose the item whose data is ``value`` (nothing when there is none)."""
    box.setCurrentIndex(box.findData(value) if value is not None else -1)


def editable_combo(choices: list[str], text: str = "") -> QComboBox:
    """Pick from a list or type something new."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(choices)
    box.setCurrentIndex(-1)
    box.setEditText(text)
    return box


def line_edit_of(box: QComboBox) -> QLineEdit:
    """The text field of an editable combo box."""
    line = box.lineEdit()
    assert line is not None, "the combo box is not editable"
    return line


def set_read_only(root: QWidget) -> None:
    """Make every input under ``root`` read-only; texts stay selectable, buttons that edit are disabled."""
    for line in root.findChildren(QLineEdit):
        line.setReadOnly(True)
    for text in root.findChildren(QPlainTextEdit):
        text.setReadOnly(True)
    for spin in root.findChildren(QAbstractSpinBox):
        spin.setReadOnly(True)
        spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    for box in root.findChildren(QComboBox):
        box.setEnabled(False)
    for check in root.findChildren(QCheckBox):
        check.setEnabled(False)
    for view in root.findChildren(QAbstractItemView):
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for button in root.findChildren(QAbstractButton):
        if button.property("edits"):
            button.setEnabled(False)
