"""«Сертификация»: the status, the submit button, normative costs per module and the operator's remarks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QAbstractItemModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.money import format_kopecks
from desktop_app.domain.program import CertificationStatus, Decision, Module
from ui.icons import icon
from ui.models.records_table import Column, RecordsTableModel

DECISION_LABELS = {
    CertificationStatus.DRAFT: "возвращена в черновик",
    CertificationStatus.SUBMITTED: "отправлена на сертификацию",
    CertificationStatus.CERTIFIED: "сертифицирована",
    CertificationStatus.REFUSED: "отказ",
    CertificationStatus.ARCHIVED: "перенесена в архив",
}
NOT_SET = "не установлена"
AUTHOR_COLUMN = 2
AUTHOR_WIDTH = 200


def moment(value: datetime) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M")


def price_share(module: Module) -> str:
    """The price as a share of the normative cost, in whole percent (integer arithmetic)."""
    if not module.normative:
        return "—"
    return f"{module.price * 100 // module.normative}\u00a0%"


DECISION_COLUMNS: list[Column[Decision]] = [
    Column("Дата", lambda decision: moment(decision.decided_at)),
    Column("Решение", lambda decision: DECISION_LABELS[decision.decision]),
    Column("Кто", lambda decision: decision.author or "—"),
    Column("Замечание", lambda decision: decision.remark or "—"),
]
NORMATIVE_COLUMNS: list[Column[Module]] = [
    Column("Модуль", lambda module: module.name),
    Column("Цена модуля", lambda module: format_kopecks(module.price), align_right=True),
    Column(
        "Нормативная стоимость",
        lambda module: format_kopecks(module.normative) if module.normative is not None else NOT_SET,
        align_right=True,
    ),
    Column("Цена от норматива", price_share, align_right=True),
]


def newest_first(decisions: Sequence[Decision]) -> list[Decision]:
    return sorted(decisions, key=lambda decision: decision.decided_at, reverse=True)


def _table(model: QAbstractItemModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class CertificationTab(QWidget):
    submit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.status.setObjectName("certificationStatus")
        bold = self.status.font()
        bold.setBold(True)
        self.status.setFont(bold)
        self.hint = QLabel()
        self.hint.setObjectName("pageNotice")
        self.hint.setWordWrap(True)
        self.submit_button = QPushButton(icon("mdi6.send-outline"), "Отправить на сертификацию")
        self.submit_button.clicked.connect(self.submit_requested)
        self.normatives_model: RecordsTableModel[Module] = RecordsTableModel(NORMATIVE_COLUMNS, self)
        self.decisions_model: RecordsTableModel[Decision] = RecordsTableModel(DECISION_COLUMNS, self)
        self.normatives_view = _table(self.normatives_model)
        self.decisions_view = _table(self.decisions_model)
        authors = self.decisions_view.horizontalHeader()
        authors.setSectionResizeMode(AUTHOR_COLUMN, QHeaderView.ResizeMode.Interactive)
        authors.resizeSection(AUTHOR_COLUMN, AUTHOR_WIDTH)  # long names wrap; the remark gets the room
        self.no_decisions = QLabel("Решений оператора пока нет: программа ещё не отправлялась на сертификацию.")
        self.no_decisions.setObjectName("pageNotice")
        self.no_decisions.setWordWrap(True)
        self._shown: tuple[object, ...] | None = None

        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.submit_button)
        normatives = QGroupBox("Нормативная стоимость модулей")
        normatives_layout = QVBoxLayout(normatives)
        normatives_layout.addWidget(self.normatives_view)
        decisions = QGroupBox("Решения и замечания оператора (сначала новые)")
        decisions_layout = QVBoxLayout(decisions)
        decisions_layout.addWidget(self.decisions_view)
        decisions_layout.addWidget(self.no_decisions)
        layout = QVBoxLayout(self)
        layout.addLayout(status_row)
        layout.addWidget(self.hint)
        layout.addWidget(normatives, 2)
        layout.addWidget(decisions, 3)

    def show_program(self, status_text: str, modules: Sequence[Module], decisions: Sequence[Decision]) -> None:
        """Show what changed (the editor calls this after every keystroke: unchanged tables keep their
        selection and scroll position)."""
        shown = (
            status_text,
            tuple((module.name, module.price, module.normative) for module in modules),
            tuple(decisions),
        )
        if shown == self._shown:
            return
        self._shown = shown
        self.status.setText(f"Статус: {status_text}")
        self.normatives_model.set_records(modules)
        self.decisions_model.set_records(newest_first(decisions))
        self.no_decisions.setVisible(not decisions)
        self.decisions_view.setVisible(bool(decisions))
        self.decisions_view.resizeRowsToContents()

    def set_submit_state(self, enabled: bool, hint: str) -> None:
        self.submit_button.setEnabled(enabled)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
