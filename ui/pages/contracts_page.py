"""«Договоры»: every contract of the organization, with filters, search, and what each status allows.

The list loads on the database lane; filters and the search act on the loaded rows at once (the same
``ContractFilter`` rules as the service). The toolbar offers only the actions the selected contract's status
allows, through the domain's state machine in ``ContractService``. What the server decided shows on the
contract: its final number, or the rejection with the server's reason, highlighted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.contract import ContractAction, ContractStatus
from desktop_app.domain.money import NBSP, format_kopecks
from desktop_app.domain.pricing import FinancingPeriod
from desktop_app.services.contract_views import SOURCE_LABELS, ContractFilter, ContractView
from desktop_app.services.contracts import ContractService
from desktop_app.services.documents import DocumentService
from ui.desk.contract_actions import ContractActions, can, can_complete
from ui.desk.formatting import STYLE, certificate_text, day_text
from ui.desk.prompts import ContractPrompts
from ui.documents.batch import DocumentActions
from ui.documents.prompts import DocumentPrompts
from ui.icons import icon
from ui.models.contracts_model import ContractColumn, ContractsFilter, ContractsModel
from ui.pages.programs_table import widest_word
from ui.task_runner import Lane, TaskRunner

ROW_LINES = 3
ROW_PADDING = 8
CELL_MARGIN = 14
CHILD_SAMPLE = "Константинова"
"""A long surname: the child's column is as wide as it; longer names wrap (the certificate is the last line)."""
_LARGE_AMOUNT = format_kopecks(99_999_999)
_SAMPLES: dict[ContractColumn, list[str]] = {
    ContractColumn.CONTRACT: ["П-XXXX-9999", f"от{NBSP}00.00.0000", *SOURCE_LABELS.values()],
    ContractColumn.PRICE: [_LARGE_AMOUNT],
    ContractColumn.FROM_CERTIFICATE: [_LARGE_AMOUNT],
    ContractColumn.CO_PAYMENT: [_LARGE_AMOUNT],
    ContractColumn.STATUS: [status.label for status in ContractStatus],
}
"""The longest texts a fixed column shows; it is as wide as the longest unbreakable piece of them."""


@dataclass(frozen=True)
class ContractsPageData:
    views: list[ContractView]
    periods: list[FinancingPeriod]


def _count(number: int) -> str:
    return f"{number:,}".replace(",", NBSP)


def details_text(view: ContractView) -> str:
    """The selected contract in a few lines: numbers, people, dates; the reason is shown apart."""
    contract = view.contract
    lines = [f"Договор {contract.display_number} — {contract.status.label}"]
    if contract.number and contract.provisional_number != contract.number:
        lines[0] += f" (временный номер {contract.provisional_number})"
    lines.append(
        f"Ребёнок: {contract.child_full_name}, {day_text(contract.child_birth_date)}; "
        f"сертификат {certificate_text(contract.certificate_number)}"
    )
    if view.needs_details:
        lines.append("Родитель: данные не заполнены — дополните их, когда родитель придёт подписывать договор.")
    else:
        contacts = ", ".join(part for part in (contract.parent_phone, contract.parent_email) if part)
        lines.append(f"Родитель: {contract.parent_full_name}" + (f", {contacts}" if contacts else ""))
    if contract.signed_on:
        lines.append(f"Подписан {day_text(contract.signed_on)}")
    if contract.terminates_on:
        lines.append(f"Расторжение вступает в силу {day_text(contract.terminates_on)}")
    return "\n".join(lines)


class ContractsTableView(QTableView):
    """Rows of three lines and fixed height (never measured row by row, so thousands stay fast); the money and
    status columns as narrow as their longest word, the child and the place share what is left."""

    def __init__(self, model: ContractsFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # several for documents
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(True)
        self.sortByColumn(ContractColumn.CONTRACT, Qt.SortOrder.DescendingOrder)
        metrics = self.fontMetrics()
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.lineSpacing() * ROW_LINES + ROW_PADDING)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(metrics.lineSpacing() * 2 + ROW_PADDING)
        for column, samples in _SAMPLES.items():
            title = widest_word(metrics, column.title.split(" ")) + CELL_MARGIN
            header.resizeSection(column, max(widest_word(metrics, samples) + CELL_MARGIN, title))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ContractColumn.CHILD, metrics.horizontalAdvance(CHILD_SAMPLE) + CELL_MARGIN)
        header.setSectionResizeMode(ContractColumn.CHILD, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ContractColumn.PLACEMENT, QHeaderView.ResizeMode.Stretch)


class ContractsPage(QWidget):
    contracts_changed = Signal()
    """A contract changed here (places, the sync queue, the applications queue change with it)."""
    loaded = Signal()
    """A refresh is on screen."""

    def __init__(
        self,
        contracts: ContractService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        prompts: ContractPrompts | None = None,
        documents: DocumentService | None = None,
        document_prompts: DocumentPrompts | None = None,
    ) -> None:
        super().__init__(parent)
        self._contracts = contracts
        self._runner = runner
        self._periods: list[FinancingPeriod] = []
        self.setStyleSheet(STYLE)
        self.actions_ = ContractActions(contracts, runner, self, today, prompts)
        self.actions_.done.connect(lambda contract: self._changed(contract.id))
        self.actions_.failed.connect(self._say)
        self.documents_ = (
            DocumentActions(documents, runner, self, self.selected_views, document_prompts) if documents else None
        )

        heading = QLabel("Договоры")
        heading.setObjectName("pageHeading")
        self.model = ContractsModel(self)
        self.proxy = ContractsFilter(self.model, self)
        self.toolbar = self._toolbar()
        self.view = ContractsTableView(self.proxy)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("deskProblem")
        self.message.setWordWrap(True)
        self.counter = QLabel()
        self.counter.setObjectName("pageNotice")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.toolbar)
        layout.addLayout(self._filter_row())
        layout.addWidget(self.view, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(self.counter)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        for signal in (
            self.proxy.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._show_counter)
        self.message.hide()
        self._selection_changed()
        self._show_counter()

    def _toolbar(self) -> QToolBar:
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(18, 18))

        def action(text: str, icon_name: str, slot: Callable[[ContractView], None]) -> QAction:
            made = QAction(icon(icon_name), text, self)
            made.triggered.connect(lambda _checked=False: self._act(slot))
            toolbar.addAction(made)
            return made

        actions = self.actions_
        self.confirm_action = action("Подтвердить", "mdi6.check", actions.confirm)
        self.activate_action = action("Подписан…", "mdi6.draw-pen", actions.activate)
        self.terminate_action = action("Расторгнуть…", "mdi6.file-cancel-outline", actions.terminate)
        self.refuse_action = action("Отклонить…", "mdi6.close-circle-outline", actions.refuse)
        self.details_action = action("Данные родителя…", "mdi6.account-edit-outline", actions.complete)
        if self.documents_ is not None:
            toolbar.addSeparator()
            toolbar.addWidget(self.documents_.button)
        return toolbar

    def _filter_row(self) -> QHBoxLayout:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Номер или ФИО")
        self.search.setToolTip("Ищет по номеру сертификата и договора, ФИО ребёнка и родителя; регистр и «ё» не важны")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Все статусы", None)
        for status in ContractStatus:
            self.status_filter.addItem(status.label, status.value)
        self.program_filter = QComboBox()
        self.group_filter = QComboBox()
        self.period_filter = QComboBox()
        self.program_filter.addItem("Все программы", None)
        self.group_filter.addItem("Все группы", None)
        self.period_filter.addItem("Все периоды", None)
        self._combos = (self.status_filter, self.program_filter, self.group_filter, self.period_filter)
        """Item data are plain strings (status values, ids, period codes): Qt keeps them as they are."""
        for combo in self._combos:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.currentIndexChanged.connect(lambda _index: self._filters_changed())
        self.program_filter.currentIndexChanged.connect(lambda _index: self._fill_groups())
        self.search.textChanged.connect(lambda _text: self._filters_changed())
        row = QHBoxLayout()
        row.addWidget(self.search, 4)
        row.addWidget(self.status_filter, 3)
        row.addWidget(self.program_filter, 3)
        row.addWidget(self.group_filter, 3)
        row.addWidget(self.period_filter, 2)
        return row

    # ------------------------------------------------------------ loading

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Reload the list on the database lane; ``select`` chooses a contract once it is shown."""
        contracts = self._contracts
        self._runner.run(
            Lane.DATABASE,
            "contracts",
            lambda _control: ContractsPageData(contracts.contracts(), contracts.periods()),
            lambda data: self._show(data, select),
        )

    def _show(self, data: ContractsPageData, select: uuid.UUID | None) -> None:
        selected = self.selected()
        keep = select or (selected.id if selected else None)
        self._periods = data.periods
        self.model.set_views(data.views)
        self._fill_combo(
            self.program_filter, sorted({(view.program_name, str(view.contract.program_id)) for view in data.views})
        )
        self._fill_combo(self.period_filter, [(period.code, period.code) for period in data.periods])
        self._fill_groups()
        if select is not None:
            self._reveal(select)
        elif keep is not None:
            self.select_contract(keep)
        self._selection_changed()
        self.loaded.emit()

    @staticmethod
    def _fill_combo(combo: QComboBox, items: Sequence[tuple[str, object]]) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(keep)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _fill_groups(self) -> None:
        program_id = self.program_filter.currentData()
        groups = sorted(
            {
                (f"{view.group_name} ({view.module_name})", str(view.contract.group_id))
                for view in self.model.views()
                if program_id is None or str(view.contract.program_id) == program_id
            }
        )
        self._fill_combo(self.group_filter, groups)
        self._filters_changed()

    # ------------------------------------------------------------ filters and selection

    def _filters_changed(self) -> None:
        period_code = self.period_filter.currentData()
        period = next((item for item in self._periods if item.code == period_code), None)
        status, program, group = (combo.currentData() for combo in self._combos[:3])
        self.proxy.set_filter(
            ContractFilter(
                status=ContractStatus(status) if status else None,
                program_id=uuid.UUID(program) if program else None,
                group_id=uuid.UUID(group) if group else None,
                period=period,
                search=self.search.text(),
            )
        )
        self._selection_changed()

    def _show_counter(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.counter.setText("Договоров пока нет: они появятся после приёма по сертификату или заявок с портала.")
        else:
            self.counter.setText(f"Показано договоров: {_count(shown)} из {_count(total)}")

    def selected(self) -> ContractView | None:
        """The selected contract, when exactly one is selected (the contract actions act on one)."""
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.view_at(rows[0].row()) if len(rows) == 1 else None

    def selected_views(self) -> list[ContractView]:
        """Every selected contract, in the order of the list."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.proxy.view_at(row) for row in rows]

    def show_contract(self, contract_id: uuid.UUID) -> None:
        """Select the contract (a sync result is about it): clear a search or filter that hides it, and reload
        the list first when the contract is not in it yet."""
        if self.model.row_of(contract_id) is None:
            self.refresh(select=contract_id)
        else:
            self._reveal(contract_id)

    def _reveal(self, contract_id: uuid.UUID) -> None:
        if not self.select_contract(contract_id) and self.model.row_of(contract_id) is not None:
            self._clear_filters()
            self.select_contract(contract_id)

    def _clear_filters(self) -> None:
        self.search.clear()
        for combo in self._combos:
            combo.setCurrentIndex(0)

    def select_contract(self, contract_id: uuid.UUID) -> bool:
        row = self.model.row_of(contract_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.scrollTo(index)
        return True

    def _selection_changed(self) -> None:
        view = self.selected()
        self.confirm_action.setEnabled(can(view, ContractAction.CONFIRM))
        self.activate_action.setEnabled(can(view, ContractAction.ACTIVATE))
        self.terminate_action.setEnabled(can(view, ContractAction.TERMINATE))
        self.refuse_action.setEnabled(can(view, ContractAction.REFUSE))
        self.details_action.setEnabled(can_complete(view))
        if self.documents_ is not None:
            self.documents_.selection_changed(self.selected_views())
        self.details.setText(details_text(view) if view else "")
        self.details.setVisible(view is not None)
        reason = view.contract.reason if view else ""
        rejected = view is not None and view.status is ContractStatus.REJECTED
        self.reason.setObjectName("deskProblem" if rejected else "deskHint")
        self.reason.style().unpolish(self.reason)  # the style sheet picks the colours by object name
        self.reason.style().polish(self.reason)
        self.reason.setText(f"{'Отклонён сервером' if rejected else 'Причина'}: {reason}" if reason else "")
        self.reason.setVisible(bool(reason))

    # ------------------------------------------------------------ actions

    def _act(self, action: Callable[[ContractView], None]) -> None:
        view = self.selected()
        if view is not None:
            self.message.hide()
            action(view)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _changed(self, contract_id: uuid.UUID) -> None:
        self.refresh(select=contract_id)
        self.contracts_changed.emit()
