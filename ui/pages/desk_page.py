"""«Приём по сертификату»: a walk-in parent, a queue behind them. Keyboard-first and certain about money.

The number field takes the number as people and devices give it: with spaces or dashes, from a scanner (the
digits, then Enter), pasted with a line break. Enter in the number or the surname field checks the
certificate on the database lane (online through the server, offline through the mirror). What the check
found is on the left; on the right the enrollment: place, money, details, «Оформить заявку». After a request
is filed the form is ready for the next parent, with the cursor in the number field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.certificate import CertificateNumberError, normalize_certificate_number
from desktop_app.domain.contract import Contract
from desktop_app.domain.money import NBSP
from desktop_app.errors import as_expected
from desktop_app.services.certificates import CertificateCheck, CertificateService
from desktop_app.services.contract_views import ContractView
from desktop_app.services.contracts import ContractService, usability_problem
from ui.desk.certificate_panel import CertificatePanel
from ui.desk.enrollment import EnrollmentForm
from ui.desk.formatting import STYLE, certificate_text
from ui.task_runner import Lane, TaskRunner

SURNAME_MISSING = "Введите фамилию ребёнка: без неё сертификат не проверить."
SURNAME_NEXT = "Номер принят. Введите фамилию ребёнка и нажмите Enter."
CHECKING = "Проверяем сертификат…"
STEPS = (
    "Как оформить приём:\n\n"
    "1. Введите или отсканируйте номер сертификата, введите фамилию ребёнка и нажмите Enter.\n\n"
    "2. Выберите программу, модуль, группу и дату начала: до сохранения будут видны стоимость, оплата "
    "из сертификата, доплата родителя и график платежей по месяцам.\n\n"
    "3. Заполните данные родителя и ребёнка и нажмите «Оформить заявку». Без связи с сервером заявка "
    "получит временный номер и уйдёт на сервер при синхронизации."
)


@dataclass(frozen=True, slots=True)
class DeskCheck:
    """What one check found: the certificate and this child's contracts with the organization."""

    check: CertificateCheck
    contracts: list[ContractView]


class CertificateNumberEdit(QLineEdit):
    """A line for a certificate number: a pasted line break becomes a space (the number stays readable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("42 12 000001")
        self.setMaxLength(64)
        self.textChanged.connect(self._one_line)

    def _one_line(self, text: str) -> None:
        if "\n" in text or "\r" in text:
            self.setText(" ".join(text.split()))


class DeskPage(QWidget):
    checked = Signal(object)
    """A check ended: the ``DeskCheck``, or None when it found nothing or could not run."""
    contracts_changed = Signal()
    """A contract request was filed here (contracts list, free places, sync queue and status bar change)."""

    def __init__(
        self,
        certificates: CertificateService,
        contracts: ContractService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._certificates = certificates
        self._contracts = contracts
        self._runner = runner
        self._today = today
        self._generation = 0
        self.result: DeskCheck | None = None
        self.setStyleSheet(STYLE)

        heading = QLabel("Приём по сертификату")
        heading.setObjectName("pageHeading")
        self.new_button = QPushButton("Новый приём")
        self.new_button.setToolTip("Очистить форму для следующего родителя (Esc)")
        self.new_button.clicked.connect(lambda _checked=False: self.reset())
        heading_row = QHBoxLayout()
        heading_row.addWidget(heading, 1)
        heading_row.addWidget(self.new_button)

        check_row = self._check_row()

        self.notice = QLabel()
        self.notice.setObjectName("deskSuccess")
        self.notice.setWordWrap(True)
        self.notice.hide()
        body = self._body(contracts, runner, today)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)
        layout.addLayout(heading_row)
        layout.addLayout(check_row)
        layout.addWidget(self.notice)
        layout.addLayout(body, 1)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.reset)
        self.setFocusProxy(self.number)

    def _check_row(self) -> QHBoxLayout:
        self.number = CertificateNumberEdit()
        self.surname = QLineEdit()
        self.surname.setPlaceholderText("Фамилия ребёнка")
        self.surname.setMaxLength(100)
        self.check_button = QPushButton("Проверить")
        self.check_button.setToolTip("Enter в поле номера или фамилии")
        self.check_button.clicked.connect(self.check)
        self.number.returnPressed.connect(self._number_entered)
        self.surname.returnPressed.connect(self.check)
        check_row = QHBoxLayout()
        check_row.addWidget(QLabel("Номер сертификата:"))
        check_row.addWidget(self.number, 2)
        check_row.addSpacing(12)
        check_row.addWidget(QLabel("Фамилия ребёнка:"))
        check_row.addWidget(self.surname, 2)
        check_row.addWidget(self.check_button)
        return check_row

    def _body(self, contracts: ContractService, runner: TaskRunner, today: Callable[[], date]) -> QHBoxLayout:
        """What the check found on the left; the steps of enrollment (or how to begin) on the right."""
        self.panel = CertificatePanel()
        self.enrollment = EnrollmentForm(contracts, runner, today)
        self.enrollment.created.connect(self._created)
        steps = QLabel(STEPS)
        steps.setObjectName("deskHint")
        steps.setWordWrap(True)
        steps.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.right = QStackedWidget()
        self.right.addWidget(steps)
        self.right.addWidget(self.enrollment)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.right)
        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(self.panel, 2)
        body.addWidget(scroll, 3)
        return body

    # ------------------------------------------------------------ checking

    def _number_entered(self) -> None:
        """A scanner's Enter (or the clerk's) in the number field: check, or ask for the surname first."""
        if self.surname.text().strip():
            self.check()
            return
        try:
            normalize_certificate_number(self.number.text())
        except CertificateNumberError:
            self.check()  # says what is wrong with the number
            return
        self.panel.clear(SURNAME_NEXT)
        self.surname.setFocus(Qt.FocusReason.OtherFocusReason)

    def check(self) -> None:
        """Check what the two fields hold (on the database lane; the result arrives by ``checked``)."""
        self._generation += 1
        generation = self._generation
        self.result = None
        self.right.setCurrentIndex(0)
        try:
            number = normalize_certificate_number(self.number.text())
        except CertificateNumberError as error:
            self._problem(error.message, self.number)
            return
        surname = " ".join(self.surname.text().split())
        if not surname:
            self._problem(SURNAME_MISSING, self.surname)
            return
        self.panel.clear(CHECKING)
        self.check_button.setEnabled(False)
        certificates, contracts, today = self._certificates, self._contracts, self._today()

        def work(_control: object) -> DeskCheck:
            found = certificates.check(number, surname, today)
            return DeskCheck(found, contracts.of_certificate(found.number))

        self._runner.run(
            Lane.DATABASE,
            "certificate check",
            work,
            lambda result: self._show(generation, result),
            on_failure=lambda error: self._failed(generation, error),
        )

    def _show(self, generation: int, result: DeskCheck) -> None:
        if generation != self._generation:
            return
        self.check_button.setEnabled(True)
        self.result = result
        self.number.setText(certificate_text(result.check.number).replace(NBSP, " "))  # as printed: 42 12 000001
        self.panel.show_check(result.check, result.contracts, self._today())
        if usability_problem(result.check) is None:
            self.right.setCurrentIndex(1)
            self.enrollment.begin(result.check)
            self.enrollment.start.setFocus(Qt.FocusReason.OtherFocusReason)
        self.checked.emit(result)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.check_button.setEnabled(True)
        expected = as_expected(error)
        if expected is None:
            self.panel.clear()
            self.checked.emit(None)
            self._runner.report_error(error)
            return
        self._problem(expected.user_message, self.number)

    def _problem(self, text: str, field: QLineEdit) -> None:
        self.panel.show_problem(text)
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        field.selectAll()
        self.checked.emit(None)

    # ------------------------------------------------------------ after the request

    def _created(self, contract: Contract) -> None:
        waiting = "ждёт отправки на сервер" if contract.number is None else "принята"
        self.notice.setText(
            f"Заявка {contract.display_number} на {contract.child_full_name} оформлена и {waiting}: "
            "окончательный номер договора сервер присвоит при синхронизации."
        )
        self.notice.show()
        self.reset(keep_notice=True)
        self.contracts_changed.emit()

    def reset(self, *, keep_notice: bool = False) -> None:
        """Ready for the next parent: empty fields, nothing checked, the cursor in the number field."""
        self._generation += 1
        self.result = None
        self.number.clear()
        self.surname.clear()
        self.check_button.setEnabled(True)
        self.panel.clear()
        self.right.setCurrentIndex(0)
        if not keep_notice:
            self.notice.hide()
        self.number.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        """Free places may have changed (a sync, a contract elsewhere): offer the places anew."""
        if self.result is not None and self.right.currentIndex() == 1 and self.enrollment.steps.currentIndex() == 0:
            self.enrollment.reload()
