"""The money of one contract before anything is saved: price, the certificate's part, the parent's co-payment,
and the monthly schedule (each column sums exactly to its total; the last row says so)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QFormLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop_app.domain.pricing import MonthlyPayment, PriceSplit
from ui.desk.formatting import STYLE, money_text, month_text, period_text

Index = QModelIndex | QPersistentModelIndex
MAX_TABLE_ROWS = 14
ROW_PADDING = 6
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ScheduleColumn(enum.IntEnum):
    MONTH = 0
    FROM_CERTIFICATE = 1
    CO_PAYMENT = 2
    TOTAL = 3


_TITLES = ("Месяц", "Из сертификата", "Доплата родителя", "Всего за месяц")


class ScheduleModel(QAbstractTableModel):
    """The monthly payments and, last, a bold «Итого» row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int, int, int]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_schedule(self, schedule: Sequence[MonthlyPayment]) -> None:
        rows = [(month_text(item.month), item.from_certificate, item.co_payment, item.total) for item in schedule]
        if rows:
            rows.append(
                (
                    "Итого",
                    sum(item.from_certificate for item in schedule),
                    sum(item.co_payment for item in schedule),
                    sum(item.total for item in schedule),
                )
            )
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's own signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ScheduleColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[column]
            return value if isinstance(value, str) else money_text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != ScheduleColumn.MONTH:
            return _RIGHT
        if role == Qt.ItemDataRole.FontRole and index.row() == len(self._rows) - 1:
            return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(ScheduleColumn):
            return _TITLES[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


class SplitPanel(QWidget):
    """Price, who pays what, the schedule, and a warning (offline requests queued on this certificate)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.price = self._amount()
        self.from_certificate = self._amount()
        self.co_payment = self._amount()
        self.term = QLabel()
        self.term.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("deskWarning")
        self.warning.setWordWrap(True)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Срок договора:", self.term)
        form.addRow("Стоимость:", self.price)
        form.addRow("Из сертификата:", self.from_certificate)
        form.addRow("Доплата родителя:", self.co_payment)
        self.model = ScheduleModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().lineSpacing() + ROW_PADDING)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ScheduleColumn.MONTH, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(QLabel("График платежей по месяцам:"))
        layout.addWidget(self.table)
        layout.addStretch(1)
        self.warning.hide()

    @staticmethod
    def _amount() -> QLabel:
        label = QLabel()
        label.setObjectName("deskAmount")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_split(self, split: PriceSplit, schedule: Sequence[MonthlyPayment], warning: str | None = None) -> None:
        self.term.setText(f"{period_text(split.contract_start, split.contract_end)} ({split.period_days} дн.)")
        self.price.setText(money_text(split.price))
        self.from_certificate.setText(money_text(split.from_certificate))
        self.co_payment.setText(money_text(split.co_payment))
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        self.model.set_schedule(schedule)
        self._fit_table()

    def _fit_table(self) -> None:
        """As tall as its rows (a school year is ten of them): the schedule is read whole, without scrolling."""
        rows = self.model.rowCount()
        header = self.table.horizontalHeader().sizeHint().height()
        row_height = self.table.verticalHeader().defaultSectionSize()
        shown = min(max(rows, 1), MAX_TABLE_ROWS)
        self.table.setFixedHeight(header + shown * row_height + 2 * self.table.frameWidth())

    def clear(self) -> None:
        for label in (self.term, self.price, self.from_certificate, self.co_payment):
            label.setText("—")
        self.warning.hide()
        self.model.set_schedule([])
        self._fit_table()
