"""A group's weekly schedule as an editable table, with the problems of each lesson in its last column.

The «Проверка» column shows what the clerk should look at: overlapping lessons of one teacher or one room
(``desktop_app.domain.schedule``) and validation errors of the lesson. Editing goes through
``ScheduleDelegate``: a weekday list, time fields, an address list that also takes a new address.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Mapping, Sequence
from datetime import time
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QTimeEdit, QWidget

from desktop_app.domain.program import ScheduleEntry, Weekday
from ui.icons import icon
from ui.program_editor.widgets import editable_combo

Index = QModelIndex | QPersistentModelIndex
EntryRole = Qt.ItemDataRole.UserRole + 1
"""The row's ``ScheduleEntry``."""
ProblemsRole = Qt.ItemDataRole.UserRole + 2
"""The row's problems: a list of Russian messages."""
ERROR_BRUSH = QBrush(QColor("#b71c1c"))
NO_PROBLEMS = "нет замечаний"


class ScheduleColumn(enum.IntEnum):
    WEEKDAY = 0
    STARTS = 1
    ENDS = 2
    ROOM = 3
    ADDRESS = 4
    CHECK = 5

    @property
    def title(self) -> str:
        return ("День недели", "Начало", "Окончание", "Кабинет", "Адрес", "Проверка")[self]


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


class ScheduleModel(QAbstractTableModel):
    edited = Signal()
    """The lessons changed by the clerk (not by ``set_entries`` or ``set_problems``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ScheduleEntry] = []
        self._problems: dict[int, list[str]] = {}
        self.read_only = False

    # ------------------------------------------------------------ contents

    def set_entries(self, entries: Sequence[ScheduleEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._problems = {}
        self.endResetModel()

    def entries(self) -> list[ScheduleEntry]:
        return list(self._entries)

    def set_problems(self, problems: Mapping[int, list[str]]) -> None:
        """Problems by row; only rows whose problems changed are announced."""
        changed = [row for row in range(len(self._entries)) if self._problems.get(row, []) != problems.get(row, [])]
        self._problems = {row: list(messages) for row, messages in problems.items() if messages}
        for row in changed:
            cell = self.index(row, ScheduleColumn.CHECK)
            self.dataChanged.emit(cell, cell)

    def add(self, entry: ScheduleEntry) -> int:
        row = len(self._entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self._entries.append(entry)
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        if not 0 <= row < len(self._entries):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._entries[row]
        self._problems = {(key if key < row else key - 1): value for key, value in self._problems.items() if key != row}
        self.endRemoveRows()
        self.edited.emit()

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's own signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ScheduleColumn)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != ScheduleColumn.CHECK and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: PLR0911 — one answer a role
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = ScheduleColumn(index.column())
        problems = self._problems.get(index.row(), [])
        if role == EntryRole:
            return entry
        if role == ProblemsRole:
            return list(problems)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column, problems)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(entry, column)
        if column == ScheduleColumn.CHECK and problems:
            if role == Qt.ItemDataRole.ForegroundRole:
                return ERROR_BRUSH
            if role == Qt.ItemDataRole.DecorationRole:
                return icon("mdi6.alert-circle-outline")
            if role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(problems)
        return None

    @staticmethod
    def _display(entry: ScheduleEntry, column: ScheduleColumn, problems: list[str]) -> str:
        return {
            ScheduleColumn.WEEKDAY: entry.weekday.label,
            ScheduleColumn.STARTS: _hhmm(entry.starts_at),
            ScheduleColumn.ENDS: _hhmm(entry.ends_at),
            ScheduleColumn.ROOM: entry.room,
            ScheduleColumn.ADDRESS: entry.address,
            ScheduleColumn.CHECK: "\n".join(problems) or NO_PROBLEMS,
        }[column]

    @staticmethod
    def _edit_value(entry: ScheduleEntry, column: ScheduleColumn) -> Any:
        return {
            ScheduleColumn.WEEKDAY: int(entry.weekday),
            ScheduleColumn.STARTS: QTime(entry.starts_at.hour, entry.starts_at.minute),
            ScheduleColumn.ENDS: QTime(entry.ends_at.hour, entry.ends_at.minute),
            ScheduleColumn.ROOM: entry.room,
            ScheduleColumn.ADDRESS: entry.address,
            ScheduleColumn.CHECK: None,
        }[column]

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        entry = self._entries[index.row()]
        changed = _with_value(entry, ScheduleColumn(index.column()), value)
        if changed is None or changed == entry:
            return changed is not None
        self._entries[index.row()] = changed
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(ScheduleColumn):
            return ScheduleColumn(section).title
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


def _with_value(entry: ScheduleEntry, column: ScheduleColumn, value: Any) -> ScheduleEntry | None:
    """The entry with one field changed, or None when the value does not fit the column."""
    if column == ScheduleColumn.WEEKDAY and isinstance(value, int) and Weekday.MONDAY <= value <= Weekday.SUNDAY:
        return dataclasses.replace(entry, weekday=Weekday(value))
    moment = _as_time(value)
    if column == ScheduleColumn.STARTS and moment is not None:
        return dataclasses.replace(entry, starts_at=moment)
    if column == ScheduleColumn.ENDS and moment is not None:
        return dataclasses.replace(entry, ends_at=moment)
    text = " ".join(value.split()) if isinstance(value, str) else None
    if column == ScheduleColumn.ROOM and text is not None:
        return dataclasses.replace(entry, room=text)
    if column == ScheduleColumn.ADDRESS and text is not None:
        return dataclasses.replace(entry, address=text)
    return None


def _as_time(value: Any) -> time | None:
    if isinstance(value, QTime) and value.isValid():
        return time(value.hour(), value.minute())
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    return None


class ScheduleDelegate(QStyledItemDelegate):
    """Editors of the schedule's cells: a weekday list, «ЧЧ:ММ» time fields, an address list open to new text."""

    def __init__(self, addresses: Callable[[], list[str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._addresses = addresses

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        column = ScheduleColumn(index.column())
        if column == ScheduleColumn.WEEKDAY:
            box = QComboBox(parent)
            for day in Weekday:
                box.addItem(day.label, int(day))
            return box
        if column in (ScheduleColumn.STARTS, ScheduleColumn.ENDS):
            edit = QTimeEdit(parent)
            edit.setDisplayFormat("HH:mm")
            return edit
        if column == ScheduleColumn.ADDRESS:
            address = editable_combo(self._addresses())
            address.setParent(parent)
            return address
        editor: QWidget = super().createEditor(parent, option, index)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QTimeEdit):
            editor.setTime(value)
        elif isinstance(editor, QComboBox) and editor.isEditable():
            editor.setEditText(value)
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QTimeEdit):
            model.setData(index, editor.time(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QComboBox) and editor.isEditable():
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
