"""The organization's programs as a table (model) and its search, filters and sorting (proxy).

The model computes each row's texts, sort keys and search text once, when the rows are set, so that
``data()`` only picks from a tuple: the list stays fast with thousands of programs. Sort keys
(``SortKeyRole``) are plain strings in Russian collation (case-insensitive, «ё» as «е») and integers.

Sorting is done by the model itself, in one Python ``sorted`` over those keys, and the proxy forwards
``sort()`` to it: the proxy's own sort would call ``data()`` from C++ twice per comparison, about 0.3 s for
5,000 rows on every click and on every keystroke that brings rows back. Ties keep alphabetical order.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop_app.domain.money import NBSP
from desktop_app.domain.program import CertificationStatus, Direction
from desktop_app.domain.program_summary import WAITING, ProgramHeader, ProgramSummary
from desktop_app.domain.text import collation_key

Index = QModelIndex | QPersistentModelIndex

SummaryRole = Qt.ItemDataRole.UserRole + 1
"""The row's ``ProgramSummary``."""
SortKeyRole = Qt.ItemDataRole.UserRole + 2
"""A key the proxy compares natively: a collation string or an integer."""


class ProgramColumn(enum.IntEnum):
    NAME = 0
    DIRECTION = 1
    KIND = 2
    AGE = 3
    MODULES = 4
    GROUPS = 5
    PLACES = 6
    STATUS = 7

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    ProgramColumn.NAME: "Название",
    ProgramColumn.DIRECTION: "Направленность",
    ProgramColumn.KIND: "Вид",
    ProgramColumn.AGE: "Возраст",
    ProgramColumn.MODULES: "Модули",
    ProgramColumn.GROUPS: "Группы",
    ProgramColumn.PLACES: "Места (занято/всего)",
    ProgramColumn.STATUS: "Статус",
}

STATUS_LABELS = (
    CertificationStatus.DRAFT.label,
    WAITING,
    CertificationStatus.SUBMITTED.label,
    CertificationStatus.CERTIFIED.label,
    CertificationStatus.REFUSED.label,
    CertificationStatus.ARCHIVED.label,
)
"""Every status a row can show, in the order of the workflow (also the order the status column sorts in)."""

_NUMERIC = {ProgramColumn.AGE, ProgramColumn.MODULES, ProgramColumn.GROUPS, ProgramColumn.PLACES}
_STATUS_COLOURS = {
    CertificationStatus.CERTIFIED.label: QBrush(QColor("#2e7d32")),
    CertificationStatus.REFUSED.label: QBrush(QColor("#b71c1c")),
    CertificationStatus.ARCHIVED.label: QBrush(QColor("#78909c")),
    WAITING: QBrush(QColor("#1565c0")),
}
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True, slots=True)
class ProgramRow:
    """One program as the table shows it, computed once."""

    summary: ProgramSummary
    texts: tuple[str, ...]
    sort_keys: tuple[str | int, ...]
    search_text: str
    """Full and short name, in collation form (lower case, «ё» as «е»)."""

    @property
    def program(self) -> ProgramHeader:
        return self.summary.program

    @property
    def status_label(self) -> str:
        return self.texts[ProgramColumn.STATUS]

    @property
    def archived(self) -> bool:
        return self.summary.program.status is CertificationStatus.ARCHIVED


def _age_text(program: ProgramHeader) -> str:
    """«от 7 до 12 лет» that may break only before «до», so a narrow column shows «от 7» / «до 12 лет»."""
    text = program.age_range.describe().replace(" ", NBSP)
    return text.replace(f"{NBSP}до{NBSP}", f" до{NBSP}")


def make_row(summary: ProgramSummary) -> ProgramRow:
    program = summary.program
    modules, groups = summary.module_count, summary.group_count
    taken, total = summary.places
    status = summary.status_label
    texts = (
        program.full_name,
        program.direction.label if program.direction else "—",
        program.kind.label if program.kind else "—",
        _age_text(program),
        str(modules),
        str(groups),
        f"{taken} / {total}",
        status,
    )
    keys: tuple[str | int, ...] = (
        collation_key(program.full_name),
        collation_key(texts[ProgramColumn.DIRECTION]),
        collation_key(texts[ProgramColumn.KIND]),
        program.age_range.from_months * 1000 + program.age_range.to_months,
        modules,
        groups,
        taken * 1_000_000 + total,
        STATUS_LABELS.index(status) if status in STATUS_LABELS else len(STATUS_LABELS),
    )
    search = f"{collation_key(program.full_name)}\n{collation_key(program.short_name)}"
    return ProgramRow(summary, texts, keys, search)


class ProgramsModel(QAbstractTableModel):
    """Read-only rows of ``ProgramSummary``; see the module docstring."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProgramRow] = []
        self._sort_column = int(ProgramColumn.NAME)
        self._sort_order = Qt.SortOrder.AscendingOrder

    def set_summaries(self, summaries: Sequence[ProgramSummary]) -> None:
        """Replace the rows (a model reset), keeping the current sort order."""
        rows = self._sorted([make_row(summary) for summary in summaries])
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(ProgramColumn):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        positions = {id(row): number for number, row in enumerate(self._rows)}
        self._rows = self._sorted(self._rows)
        new_position = {positions[id(row)]: number for number, row in enumerate(self._rows)}
        moved = self.persistentIndexList()
        self.changePersistentIndexList(
            moved, [self.index(new_position[index.row()], index.column()) for index in moved]
        )
        self.layoutChanged.emit()

    def _sorted(self, rows: list[ProgramRow]) -> list[ProgramRow]:
        column = self._sort_column
        by_name = sorted(rows, key=lambda row: row.sort_keys[ProgramColumn.NAME])
        if column == ProgramColumn.NAME and self._sort_order == Qt.SortOrder.AscendingOrder:
            return by_name
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return sorted(by_name, key=lambda row: row.sort_keys[column], reverse=descending)

    def row(self, row: int) -> ProgramRow:
        return self._rows[row]

    def summaries(self) -> list[ProgramSummary]:
        return [row.summary for row in self._rows]

    def row_of(self, program_id: uuid.UUID) -> int | None:
        for number, row in enumerate(self._rows):
            if row.summary.program.id == program_id:
                return number
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's own signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ProgramColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: PLR0911 — one answer a role
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if role == SortKeyRole:
            return row.sort_keys[column]
        if role == SummaryRole:
            return row.summary
        if role == Qt.ItemDataRole.ToolTipRole:
            program = row.summary.program
            if column == ProgramColumn.NAME and program.short_name:
                return f"{program.full_name}\nКратко: {program.short_name}"
            return row.texts[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return _CENTRED
        if role == Qt.ItemDataRole.ForegroundRole and column == ProgramColumn.STATUS:
            return _STATUS_COLOURS.get(row.status_label)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(ProgramColumn):
            return ProgramColumn(section).title.replace(" (", "\n(")  # «Места» / «(занято/всего)»
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


class ProgramsFilter(QSortFilterProxyModel):
    """Search as you type over the full and short name, filters by status and direction, archived on demand."""

    def __init__(self, model: ProgramsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._needle = ""
        self._status: str | None = None
        self._direction: Direction | None = None
        self._show_archived = False
        self.setSortRole(SortKeyRole)
        self.setDynamicSortFilter(True)
        self.setSourceModel(model)

    def set_search(self, text: str) -> None:
        self._change(needle=collation_key(" ".join(text.split())))

    def set_status(self, status_label: str | None) -> None:
        """Only rows with this status label (one of ``STATUS_LABELS``); None for all."""
        self._change(status=status_label)

    def set_direction(self, direction: Direction | None) -> None:
        self._change(direction=direction)

    def set_show_archived(self, show: bool) -> None:
        self._change(show_archived=show)

    def _change(self, **values: Any) -> None:
        current = {
            "needle": self._needle,
            "status": self._status,
            "direction": self._direction,
            "show_archived": self._show_archived,
        }
        if all(current[name] == value for name, value in values.items()):
            return
        self.beginFilterChange()
        self._needle = values.get("needle", self._needle)
        self._status = values.get("status", self._status)
        self._direction = values.get("direction", self._direction)
        self._show_archived = values.get("show_archived", self._show_archived)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted by the model (see the module docstring); the proxy keeps the model's order."""
        self._model.sort(column, order)

    def program_row(self, proxy_row: int) -> ProgramRow:
        return self._model.row(self.mapToSource(self.index(proxy_row, 0)).row())

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 — Qt's name
        row = self._model.row(source_row)
        if self._status is not None:
            if row.status_label != self._status:
                return False
        elif row.archived and not self._show_archived:
            return False
        if self._direction is not None and row.summary.program.direction is not self._direction:
            return False
        return not self._needle or self._needle in row.search_text
