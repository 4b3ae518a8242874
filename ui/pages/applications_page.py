"""«Новые заявки»: parents' applications from the regional portal, oldest first, waiting for the clerk.

An application arrives by sync as a contract in status «заявка» with no parent's details. Choosing one
checks its certificate exactly as the desk does (the number from the application, the child's surname) and
shows the split the server reserved with its monthly schedule; then the clerk confirms it or refuses it
with a reason. ``applications_count_changed`` carries the count for the navigation («Новые заявки (3)»).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.domain.contract import ContractAction
from desktop_app.errors import as_expected
from desktop_app.services.certificates import CertificateService
from desktop_app.services.contract_views import ContractView
from desktop_app.services.contracts import ContractService, usability_problem
from ui.desk.certificate_panel import CertificatePanel
from ui.desk.contract_actions import ContractActions, can, can_complete
from ui.desk.formatting import STYLE
from ui.desk.prompts import ContractPrompts
from ui.desk.split_panel import SplitPanel
from ui.models.contracts_model import ContractColumn, ContractsFilter, ContractsModel
from ui.pages.contracts_page import ContractsTableView
from ui.pages.desk_page import CHECKING, DeskCheck
from ui.task_runner import Lane, TaskRunner

HIDDEN_COLUMNS = (ContractColumn.STATUS,)
"""Every application is «заявка»."""
INTRO = (
    "Заявки родителей с регионального портала, сначала самые ранние. Выберите заявку: сертификат будет проверен "
    "так же, как при приёме, и будет видно, сколько оплачивается из сертификата. Затем подтвердите или отклоните её."
)
NONE_WAITING = "Новых заявок нет. Заявки с портала приходят при синхронизации."


class ApplicationsPage(QWidget):
    applications_count_changed = Signal(int)
    """How many applications wait (emitted after every refresh)."""
    contracts_changed = Signal()
    """An application was confirmed, refused or completed here."""
    loaded = Signal()
    checked = Signal(object)
    """The selected application's certificate was checked: ``DeskCheck``, or None when the check failed."""

    def __init__(
        self,
        certificates: CertificateService,
        contracts: ContractService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        prompts: ContractPrompts | None = None,
    ) -> None:
        super().__init__(parent)
        self._certificates = certificates
        self._contracts = contracts
        self._runner = runner
        self._today = today
        self._generation = 0
        self._blocked = True
        self.setStyleSheet(STYLE)
        self.actions_ = ContractActions(contracts, runner, self, today, prompts)
        self.actions_.done.connect(lambda _contract: self._changed())
        self.actions_.failed.connect(self._say)

        heading = QLabel("Новые заявки")
        heading.setObjectName("pageHeading")
        intro = QLabel(INTRO)
        intro.setObjectName("pageNotice")
        intro.setWordWrap(True)
        self.model = ContractsModel(self, keep_order=True)  # the service's order: oldest first
        self.proxy = ContractsFilter(self.model, self)
        self.view = ContractsTableView(self.proxy)
        self.view.setSortingEnabled(False)
        for column in HIDDEN_COLUMNS:
            self.view.setColumnHidden(column, True)
        buttons = self._buttons()
        body = self._body()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.view, 2)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addLayout(body, 3)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self._enable()

    def _buttons(self) -> QHBoxLayout:
        self.empty = QLabel(NONE_WAITING)
        self.empty.setObjectName("deskHint")
        self.empty.setWordWrap(True)
        self.confirm_button = QPushButton("Подтвердить заявку")
        self.refuse_button = QPushButton("Отклонить…")
        self.details_button = QPushButton("Данные родителя…")
        self.confirm_button.clicked.connect(lambda _checked=False: self._act(self.actions_.confirm))
        self.refuse_button.clicked.connect(lambda _checked=False: self._act(self.actions_.refuse))
        self.details_button.clicked.connect(lambda _checked=False: self._act(self.actions_.complete))
        buttons = QHBoxLayout()
        buttons.addWidget(self.details_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.confirm_button)
        return buttons

    def _body(self) -> QHBoxLayout:
        self.message = QLabel()
        self.message.setObjectName("deskProblem")
        self.message.setWordWrap(True)
        self.message.hide()
        self.panel = CertificatePanel()
        self.panel.clear("Выберите заявку в списке: здесь появятся данные сертификата.")
        self.split = SplitPanel()
        self.split.clear()
        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(self.panel, 2)
        body.addWidget(self.split, 3)
        return body

    # ------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Reload the queue on the database lane; the count follows."""
        contracts = self._contracts
        self._runner.run(Lane.DATABASE, "applications", lambda _control: contracts.applications(), self._show)

    def _show(self, views: list[ContractView]) -> None:
        selected = self.selected()
        self.model.set_views(views)
        self.empty.setVisible(not views)
        self.view.setVisible(bool(views))
        if views:
            row = self.model.row_of(selected.id) if selected else None
            self.view.selectRow(self.proxy.mapFromSource(self.model.index(row or 0, 0)).row())
        else:
            self._selection_changed()
        self.applications_count_changed.emit(len(views))
        self.loaded.emit()

    def selected(self) -> ContractView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.view_at(rows[0].row()) if rows else None

    def select_application(self, contract_id: uuid.UUID) -> bool:
        row = self.model.row_of(contract_id)
        if row is None:
            return False
        self.view.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        return True

    # ------------------------------------------------------------ the selected application

    def _selection_changed(self) -> None:
        self._generation += 1
        self.message.hide()
        view = self.selected()
        self._blocked = True
        self._enable()
        if view is None:
            self.panel.clear("Выберите заявку в списке: здесь появятся данные сертификата.")
            self.split.clear()
            return
        self.split.show_split(view.split(), view.schedule())
        self.panel.clear(CHECKING)
        generation, today = self._generation, self._today()
        certificates, contracts = self._certificates, self._contracts
        number, surname = view.contract.certificate_number, view.child_surname

        def work(_control: object) -> DeskCheck:
            found = certificates.check(number, surname, today)
            return DeskCheck(found, contracts.of_certificate(found.number))

        self._runner.run(
            Lane.DATABASE,
            "application check",
            work,
            lambda result: self._checked(generation, result),
            on_failure=lambda error: self._check_failed(generation, error),
        )

    def _checked(self, generation: int, result: DeskCheck) -> None:
        if generation != self._generation:
            return
        self.panel.show_check(result.check, result.contracts, self._today())
        self._blocked = usability_problem(result.check) is not None
        self._enable()
        self.checked.emit(result)

    def _check_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        expected = as_expected(error)
        if expected is None:
            self._runner.report_error(error)
            return
        self.panel.show_problem(expected.user_message)
        self._enable()
        self.checked.emit(None)

    def _enable(self) -> None:
        view = self.selected()
        self.confirm_button.setEnabled(can(view, ContractAction.CONFIRM) and not self._blocked)
        self.refuse_button.setEnabled(can(view, ContractAction.REFUSE))
        self.details_button.setEnabled(can_complete(view))

    # ------------------------------------------------------------ actions

    def _act(self, action: Callable[[ContractView], None]) -> None:
        view = self.selected()
        if view is not None:
            self.message.hide()
            action(view)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _changed(self) -> None:
        self.refresh()
        self.contracts_changed.emit()
