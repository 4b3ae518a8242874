"""What the contract actions ask the clerk (a reason, the date of signing, the details), as replaceable
functions: the defaults show dialogs; tests pass their own ``ContractPrompts`` that answer at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop_app.services.contracts import Person
from ui.app import APPLICATION_NAME
from ui.desk.formatting import STYLE, day_text
from ui.desk.people_form import PeopleDialog

REASON_MISSING = "Укажите причину."


def termination_question(contract_label: str, effective: date) -> str:
    return (
        f"Расторгнуть договор {contract_label}? Расторжение вступит в силу {day_text(effective)} — в последний "
        "день месяца; неизрасходованные средства вернутся на сертификат. Укажите причину:"
    )


def refusal_question(contract_label: str) -> str:
    return f"Отклонить {contract_label}? Зарезервированные средства вернутся на сертификат. Укажите причину:"


class ReasonDialog(QDialog):
    """A question and a free-text reason, which may not be empty."""

    def __init__(self, question: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APPLICATION_NAME)
        self.setStyleSheet(STYLE)
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Например: семья переезжает в другой город")
        self.reason.setTabChangesFocus(True)
        self.error = QLabel(REASON_MISSING)
        self.error.setObjectName("deskProblem")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def text(self) -> str:
        return " ".join(self.reason.toPlainText().split())

    def accept(self) -> None:
        if not self.text():
            self.error.show()
            return
        super().accept()


class SigningDateDialog(QDialog):
    """The date the parent signed: today by default, never in the future."""

    def __init__(self, contract_label: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APPLICATION_NAME)
        question = QLabel(f"Договор {contract_label} подписан родителем. Дата подписания:")
        question.setWordWrap(True)
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Отметить как подписанный", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.date)
        layout.addWidget(buttons)

    def chosen(self) -> date:
        value = self.date.date()
        return date(value.year(), value.month(), value.day())


def ask_reason(parent: QWidget, question: str, action: str) -> str | None:
    dialog = ReasonDialog(question, action, parent)
    return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_signing_date(parent: QWidget, contract_label: str, today: date) -> date | None:
    dialog = SigningDateDialog(contract_label, today, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_details(
    parent: QWidget, contract_label: str, parent_person: Person, child: Person, birth_date: date | None
) -> tuple[Person, Person] | None:
    dialog = PeopleDialog(contract_label, parent_person, child, birth_date, parent)
    return dialog.people() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True)
class ContractPrompts:
    """Who answers the contract actions' questions: dialogs by default, a test's functions in tests."""

    ask_reason: Callable[[QWidget, str, str], str | None] = ask_reason
    """(parent, question, action button) → the reason, or None when cancelled."""
    ask_signing_date: Callable[[QWidget, str, date], date | None] = ask_signing_date
    ask_details: Callable[[QWidget, str, Person, Person, date | None], tuple[Person, Person] | None] = ask_details
