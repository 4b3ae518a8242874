"""Contracts as a table (model) and its filters and search (proxy).

The model computes each row's texts and sort keys once, when the rows are set, so ``data()`` only picks from
a tuple; it sorts itself in one Python ``sorted`` (the proxy forwards ``sort()``), as the programs table
does. A contract the server rejected is highlighted, with the server's reason in its tooltip. The proxy
filters with ``ContractFilter`` from the services: the same rules as ``ContractService.contracts``.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from desktop_app.domain.contract import ContractStatus
from desktop_app.domain.money import NBSP
from desktop_app.domain.text import collation_key
from desktop_app.services.contract_views import ContractFilter, ContractView, number_order
from ui.desk.formatting import certificate_text, day_text, money_text, period_text

Index = QModelIndex | QPersistentModelIndex

ViewRole = Qt.ItemDataRole.UserRole + 1
"""The row's ``ContractView``."""
SortKeyRole = Qt.ItemDataRole.UserRole + 2


class ContractColumn(enum.IntEnum):
    CONTRACT = 0
    """Number, date and where it came from: «1-ПФ» / «от 10.09.2026» / «с портала»."""
    CHILD = 1
    """The child's name and the certificate number."""
    PLACEMENT = 2
    """Program · module · group, and the contract's period."""
    PRICE = 3
    FROM_CERTIFICATE = 4
    CO_PAYMENT = 5
    STATUS = 6

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    ContractColumn.CONTRACT: "Договор",
    ContractColumn.CHILD: "Ребёнок, сертификат",
    ContractColumn.PLACEMENT: "Программа, модуль · группа, период",
    ContractColumn.PRICE: "Стоимость",
    ContractColumn.FROM_CERTIFICATE: "Из сертификата",
    ContractColumn.CO_PAYMENT: "Доплата",
    ContractColumn.STATUS: "Статус",
}
MONEY_COLUMNS = (ContractColumn.PRICE, ContractColumn.FROM_CERTIFICATE, ContractColumn.CO_PAYMENT)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
STATUS_COLOURS = {
    ContractStatus.PENDING: "#1565c0",
    ContractStatus.REJECTED: "#b71c1c",
    ContractStatus.REQUESTED: "#8d4a00",
    ContractStatus.CONFIRMED: "#6a1b9a",
    ContractStatus.ACTIVE: "#2e7d32",
    ContractStatus.TERMINATING: "#8d4a00",
    ContractStatus.CLOSED: "#607d8b",
    ContractStatus.REFUSED: "#607d8b",
}
_FOREGROUND = {status: QBrush(QColor(colour)) for status, colour in STATUS_COLOURS.items()}
REJECTED_BACKGROUND = QBrush(QColor("#ffebee"))


@dataclass(frozen=True, slots=True)
class ContractLine:
    """One contract as the table shows it, computed once."""

    view: ContractView
    texts: tuple[str, ...]
    sort_keys: tuple[Any, ...]
    tooltip: str


def short_name(full_name: str) -> str:
    """«Соколова-Ёлкина Т. Т.»: the surname and initials, so the certificate below stays in sight."""
    surname, *rest = full_name.split() or [""]
    initials = NBSP.join(f"{word[0]}." for word in rest if word)
    return f"{surname} {initials}".strip()


def made_on(view: ContractView) -> date:
    """The contract's date: when it was signed, or else when it was made (or arrived) here."""
    return view.contract.signed_on or view.made_at.astimezone().date()


def make_row(view: ContractView) -> ContractLine:
    contract = view.contract
    period = period_text(contract.start_date, contract.end_date)
    texts = (
        f"{contract.display_number}\nот{NBSP}{day_text(made_on(view))}\n{view.source_label}",
        f"{short_name(contract.child_full_name)}\n{certificate_text(contract.certificate_number)}",
        f"{view.program_name}\n{view.module_name} · {view.group_name}\n{period}",
        money_text(contract.price),
        money_text(contract.from_certificate),
        money_text(contract.co_payment),
        contract.status.label,
    )
    keys = (
        (made_on(view), view.made_at, number_order(contract)),
        collation_key(contract.child_full_name),
        collation_key(view.placement_text),
        contract.price,
        contract.from_certificate,
        contract.co_payment,
        list(ContractStatus).index(contract.status),
    )
    lines = [
        f"Договор {contract.display_number}: {contract.status.label}",
        f"{contract.child_full_name}, сертификат {certificate_text(contract.certificate_number)}",
        view.placement_text,
    ]
    if contract.number and contract.provisional_number != contract.number:
        lines.append(f"Временный номер: {contract.provisional_number}")
    if contract.reason:
        lines.append(f"Причина: {contract.reason}")
    return ContractLine(view, texts, keys, "\n".join(lines))


class ContractsModel(QAbstractTableModel):
    """Read-only rows of ``ContractView``; see the module docstring."""

    def __init__(self, parent: QObject | None = None, *, keep_order: bool = False) -> None:
        """``keep_order``: show the rows in the order given (a queue), never sorted."""
        super().__init__(parent)
        self._rows: list[ContractLine] = []
        self._keep_order = keep_order
        self._sort_column = int(ContractColumn.CONTRACT)
        self._sort_order = Qt.SortOrder.DescendingOrder

    def set_views(self, views: Sequence[ContractView]) -> None:
        rows = self._sorted([make_row(view) for view in views])
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def views(self) -> list[ContractView]:
        return [row.view for row in self._rows]

    def row(self, row: int) -> ContractLine:
        return self._rows[row]

    def row_of(self, contract_id: uuid.UUID) -> int | None:
        return next((number for number, row in enumerate(self._rows) if row.view.id == contract_id), None)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._keep_order or not 0 <= column < len(ContractColumn):
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

    def _sorted(self, rows: list[ContractLine]) -> list[ContractLine]:
        if self._keep_order:
            return rows
        column = self._sort_column
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        by_date = sorted(rows, key=lambda row: row.sort_keys[ContractColumn.CONTRACT], reverse=True)
        return sorted(by_date, key=lambda row: row.sort_keys[column], reverse=descending)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's own signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ContractColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: PLR0911 — one answer a role
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        status = row.view.status
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if role == SortKeyRole:
            return str(row.sort_keys[column])
        if role == ViewRole:
            return row.view
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole and column in MONEY_COLUMNS:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == ContractColumn.STATUS:
            return _FOREGROUND[status]
        if role == Qt.ItemDataRole.BackgroundRole and status is ContractStatus.REJECTED:
            return REJECTED_BACKGROUND
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(ContractColumn):
            return ContractColumn(section).title
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


class ContractsFilter(QSortFilterProxyModel):
    """Filters and search over the model's rows; sorting is the model's own (see the module docstring)."""

    def __init__(self, model: ContractsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._filter = ContractFilter()
        self.setSourceModel(model)

    @property
    def contract_filter(self) -> ContractFilter:
        return self._filter

    def set_filter(self, contract_filter: ContractFilter) -> None:
        if contract_filter == self._filter:
            return
        self.beginFilterChange()
        self._filter = contract_filter
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    def view_at(self, proxy_row: int) -> ContractView:
        return self._model.row(self.mapToSource(self.index(proxy_row, 0)).row()).view

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 — Qt's name
        return self._filter.matches(self._model.row(source_row).view)
