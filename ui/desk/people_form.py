"""The parent's and the child's details a contract needs, as a form (desk) and as a dialog (completing an
online application when the parent comes to sign). The child's birth date comes from the certificate."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.contracts import Person
from ui.app import APPLICATION_NAME
from ui.desk.formatting import STYLE, day_text

NAMES_MISSING = "Укажите ФИО родителя и ребёнка."


def _field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setMaxLength(500)
    return field


class PeopleForm(QWidget):
    """ФИО, телефон, e-mail, адрес and документ of the parent; ФИО and адрес of the child."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parent_name = _field("Фамилия Имя Отчество")
        self.parent_phone = _field("+7 900 000-00-00")
        self.parent_email = _field("name@example.ru")
        self.parent_address = _field("Адрес регистрации или проживания")
        self.parent_document = _field("Паспорт: серия, номер, кем и когда выдан")
        self.child_name = _field("Фамилия Имя Отчество")
        self.child_address = _field("Если отличается от адреса родителя")
        self.child_birth = QLabel("—")

        parent_box = QGroupBox("Родитель (законный представитель)")
        parent_form = QFormLayout(parent_box)
        parent_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        parent_form.addRow("ФИО*:", self.parent_name)
        parent_form.addRow("Телефон:", self.parent_phone)
        parent_form.addRow("E-mail:", self.parent_email)
        parent_form.addRow("Адрес:", self.parent_address)
        parent_form.addRow("Документ:", self.parent_document)
        child_box = QGroupBox("Ребёнок")
        child_form = QFormLayout(child_box)
        child_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        child_form.addRow("ФИО*:", self.child_name)
        child_form.addRow("Дата рождения:", self.child_birth)
        child_form.addRow("Адрес:", self.child_address)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(parent_box)
        layout.addWidget(child_box)

    def fields(self) -> list[QLineEdit]:
        return [
            self.parent_name,
            self.parent_phone,
            self.parent_email,
            self.parent_address,
            self.parent_document,
            self.child_name,
            self.child_address,
        ]

    def fill(self, parent: Person, child: Person, birth_date: date | None) -> None:
        self.parent_name.setText(parent.full_name)
        self.parent_phone.setText(parent.phone)
        self.parent_email.setText(parent.email)
        self.parent_address.setText(parent.address)
        self.parent_document.setText(parent.identity_document)
        self.child_name.setText(child.full_name)
        self.child_address.setText(child.address)
        self.child_birth.setText(day_text(birth_date) + (" (по данным сертификата)" if birth_date else ""))

    def clear(self) -> None:
        for field in self.fields():
            field.clear()
        self.child_birth.setText("—")

    def people(self) -> tuple[Person, Person]:
        parent = Person(
            full_name=" ".join(self.parent_name.text().split()),
            phone=self.parent_phone.text().strip(),
            email=self.parent_email.text().strip(),
            address=self.parent_address.text().strip(),
            identity_document=self.parent_document.text().strip(),
        )
        child = Person(full_name=" ".join(self.child_name.text().split()), address=self.child_address.text().strip())
        return parent, child

    def missing(self) -> str | None:
        """What must be filled in before saving, or None."""
        parent, child = self.people()
        return NAMES_MISSING if not parent.full_name or not child.full_name else None


class PeopleDialog(QDialog):
    """Completing the details of a contract (an online application arrives without them)."""

    def __init__(
        self,
        contract_label: str,
        parent_person: Person,
        child: Person,
        birth_date: date | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APPLICATION_NAME} — данные родителя и ребёнка")
        self.setStyleSheet(STYLE)
        title = QLabel(f"Договор {contract_label}: данные родителя и ребёнка для договора")
        title.setWordWrap(True)
        self.form = PeopleForm()
        self.form.fill(parent_person, child, birth_date)
        self.error = QLabel()
        self.error.setObjectName("deskProblem")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        self.form.parent_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        problem = self.form.missing()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()

    def people(self) -> tuple[Person, Person]:
        return self.form.people()
