"""Enrolling a checked child: program → module → group and the start date, the money shown before anything
is saved, then the parent's and the child's details and «Оформить заявку».

Two steps on a stack. Keyboard-first: Enter in the first step goes on to the details; in the details Enter
moves to the next field and, in the last one (or with Ctrl anywhere), files the request. Every database read
and the request itself run on the database lane; a result that arrives after the clerk changed the choice is
dropped (each reload has a generation number).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.contract import Contract
from desktop_app.errors import as_expected
from desktop_app.services.certificates import CertificateCheck
from desktop_app.services.contracts import ContractService, Person, Placement, Quote
from ui.desk.formatting import STYLE, day_text, money_text
from ui.desk.people_form import PeopleForm
from ui.desk.split_panel import SplitPanel
from ui.task_runner import Lane, TaskRunner

CHOOSE_STEP, DETAILS_STEP = 0, 1
NO_PLACES = (
    "На эту дату нет групп, куда можно записать ребёнка: нужны сертифицированная программа, открытая группа "
    "со свободным местом и подходящий возраст. Выберите другую дату начала."
)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _unique(items: list[tuple[uuid.UUID, str]]) -> list[tuple[uuid.UUID, str]]:
    return list(dict(items).items())


class EnrollmentForm(QWidget):
    placements_shown = Signal()
    quote_shown = Signal()
    """A quote (or the reason there is none) is on screen."""
    created = Signal(object)
    """The request was filed: the new ``Contract``."""
    failed = Signal(str)
    """Filing the request was refused (the message is on screen too)."""

    def __init__(
        self,
        contracts: ContractService,
        runner: TaskRunner,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._contracts = contracts
        self._runner = runner
        self._today = today
        self._check: CertificateCheck | None = None
        self._placements: list[Placement] = []
        self.quote: Quote | None = None
        self._generation = 0
        self.setStyleSheet(STYLE)

        self.steps = QStackedWidget()
        self.steps.addWidget(self._choose_step())
        self.steps.addWidget(self._details_step())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.steps)

    def _choose_step(self) -> QWidget:
        self.start = QDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd.MM.yyyy")
        self.program = QComboBox()
        self.module = QComboBox()
        self.group = QComboBox()
        for combo in (self.program, self.module, self.group):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Дата начала:", self.start)
        form.addRow("Программа:", self.program)
        form.addRow("Модуль:", self.module)
        form.addRow("Группа:", self.group)
        self.no_places = QLabel(NO_PLACES)
        self.no_places.setObjectName("deskWarning")
        self.no_places.setWordWrap(True)
        self.no_places.hide()
        self.quote_problem = QLabel()
        self.quote_problem.setObjectName("deskProblem")
        self.quote_problem.setWordWrap(True)
        self.quote_problem.hide()
        self.split = SplitPanel()
        self.next_button = QPushButton("Далее: данные родителя  →")
        self.next_button.setToolTip("Enter")
        self.next_button.clicked.connect(self.go_to_details)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        step = QWidget()
        layout = QVBoxLayout(step)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.no_places)
        layout.addWidget(self.quote_problem)
        layout.addWidget(self.split)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.start.dateChanged.connect(lambda _value: self._load_placements())
        self.program.currentIndexChanged.connect(lambda _index: self._fill_modules())
        self.module.currentIndexChanged.connect(lambda _index: self._fill_groups())
        self.group.currentIndexChanged.connect(lambda _index: self._load_quote())
        return step

    def _details_step(self) -> QWidget:
        self.summary = QLabel()
        self.summary.setObjectName("deskHint")
        self.summary.setWordWrap(True)
        self.people = PeopleForm()
        self.error = QLabel()
        self.error.setObjectName("deskProblem")
        self.error.setWordWrap(True)
        self.error.hide()
        self.back_button = QPushButton("←  Назад")
        self.back_button.clicked.connect(self.go_back)
        self.submit_button = QPushButton("Оформить заявку")
        self.submit_button.setToolTip("Ctrl+Enter")
        self.submit_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        step = QWidget()
        layout = QVBoxLayout(step)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.people)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return step

    # ------------------------------------------------------------ the child to enroll

    def begin(self, check: CertificateCheck) -> None:
        """Start enrolling the child of this check: offer places from today."""
        self._check = check
        self.steps.setCurrentIndex(CHOOSE_STEP)
        self.people.clear()
        self.people.fill(Person(""), Person(check.child_full_name or ""), check.birth_date)
        self.error.hide()
        today = self._today()
        self.start.blockSignals(True)
        self.start.setMinimumDate(_qdate(today))
        self.start.setDate(_qdate(today))
        self.start.blockSignals(False)
        self._load_placements()

    def reload(self) -> None:
        """Offer the places anew for the same child and date (free places change with syncs)."""
        self._load_placements()

    def _load_placements(self) -> None:
        check = self._check
        if check is None:
            return
        self._generation += 1
        generation, start, contracts = self._generation, _day(self.start.date()), self._contracts
        self._runner.run(
            Lane.DATABASE,
            "placements",
            lambda _control: contracts.placements(check, start),
            lambda placements: self._show_placements(generation, placements),
        )

    def _show_placements(self, generation: int, placements: list[Placement]) -> None:
        if generation != self._generation:
            return
        self._placements = placements
        self.no_places.setVisible(not placements)
        chosen = self.program.currentData()
        programs = _unique(
            [(item.program.id, item.program.short_name or item.program.full_name) for item in placements]
        )
        self._refill(self.program, programs, chosen)
        self._fill_modules()
        self.placements_shown.emit()

    def _fill_modules(self) -> None:
        program_id = self.program.currentData()
        modules = _unique(
            [(item.module.id, item.module.name) for item in self._placements if item.program.id == program_id]
        )
        self._refill(self.module, modules, self.module.currentData())
        self._fill_groups()

    def _fill_groups(self) -> None:
        module_id = self.module.currentData()
        groups = [
            (
                item.group.id,
                f"{item.group.name} — {item.group.teacher}, свободно {item.free_places} из {item.group.capacity}",
            )
            for item in self._placements
            if item.module.id == module_id
        ]
        self._refill(self.group, groups, self.group.currentData())
        self._load_quote()

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[uuid.UUID, str]], keep: object) -> None:
        combo.blockSignals(True)
        combo.clear()
        for item_id, text in items:
            combo.addItem(text, item_id)
        index = combo.findData(keep)
        combo.setCurrentIndex(index if index >= 0 else 0 if items else -1)
        combo.blockSignals(False)

    def _load_quote(self) -> None:
        check, group_id = self._check, self.group.currentData()
        self._generation += 1
        generation = self._generation
        self.quote = None
        self.next_button.setEnabled(False)
        if check is None or group_id is None:
            self.split.clear()
            self.quote_problem.hide()
            self.quote_shown.emit()
            return
        start, contracts = _day(self.start.date()), self._contracts
        self._runner.run(
            Lane.DATABASE,
            "quote",
            lambda _control: contracts.quote(check, group_id, start),
            lambda quote: self._show_quote(generation, quote),
            on_failure=lambda error: self._quote_failed(generation, error),
        )

    def _show_quote(self, generation: int, quote: Quote) -> None:
        if generation != self._generation:
            return
        self.quote = quote
        self.quote_problem.hide()
        self.split.show_split(quote.split, quote.schedule, quote.warning)
        self.next_button.setEnabled(True)
        self.quote_shown.emit()

    def _quote_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        expected = as_expected(error)
        if expected is None:
            self._runner.report_error(error)
            return
        self.split.clear()
        self.quote_problem.setText(expected.user_message)
        self.quote_problem.show()
        self.quote_shown.emit()

    # ------------------------------------------------------------ steps

    def go_to_details(self) -> None:
        quote = self.quote
        if quote is None:
            return
        split, placement = quote.split, quote.placement
        self.summary.setText(
            f"{placement.program.short_name or placement.program.full_name} · {placement.module.name} · "
            f"{placement.group.name}, с {day_text(split.contract_start)} по {day_text(split.contract_end)}: "
            f"стоимость {money_text(split.price)}, из сертификата {money_text(split.from_certificate)}, "
            f"доплата родителя {money_text(split.co_payment)}."
        )
        self.steps.setCurrentIndex(DETAILS_STEP)
        self.people.parent_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_back(self) -> None:
        self.steps.setCurrentIndex(CHOOSE_STEP)
        self.program.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        check, quote = self._check, self.quote
        if check is None or quote is None or not self.submit_button.isEnabled():
            return
        problem = self.people.missing()
        if problem:
            self._say(problem)
            return
        parent, child = self.people.people()
        contracts = self._contracts
        self.submit_button.setEnabled(False)
        self._runner.run(
            Lane.DATABASE,
            "contract request",
            lambda _control: contracts.request(check, quote, parent, child),
            self._created,
            on_failure=self._refused,
        )

    def _created(self, contract: Contract) -> None:
        self.submit_button.setEnabled(True)
        self.error.hide()
        self.created.emit(contract)

    def _refused(self, error: BaseException) -> None:
        self.submit_button.setEnabled(True)
        expected = as_expected(error)
        if expected is None:
            self._runner.report_error(error)
            return
        self._say(expected.user_message)
        self.failed.emit(expected.user_message)

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 — Qt's name
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        if self.steps.currentIndex() == CHOOSE_STEP:
            self.go_to_details()
            return
        fields = self.people.fields()
        focused = self.focusWidget()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if not ctrl and isinstance(focused, QLineEdit) and focused in fields[:-1]:
            fields[fields.index(focused) + 1].setFocus(Qt.FocusReason.TabFocusReason)
            return
        self.submit()
