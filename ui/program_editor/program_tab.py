"""«Программа»: the program's own fields (names, direction, kind, form, level, ages, texts, addresses)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.age import MONTHS_PER_YEAR, AgeRange, years_phrase
from desktop_app.domain.program import Direction, Level, Program, ProgramKind, StudyForm
from desktop_app.domain.validation import MAX_DURATION_MONTHS
from ui.program_editor.widgets import Field, combo, editable_combo, fixed_width, line_edit_of, select_value

E = TypeVar("E", bound=StrEnum)
TEXT_LINES = 4
MAX_AGE_YEARS = 18


def _enum_combo(kind: type[E]) -> QComboBox:
    return combo([(member.label, member.value) for member in kind])  # type: ignore[attr-defined]


def _chosen(box: QComboBox, kind: type[E]) -> E | None:
    value = box.currentData()
    return kind(value) if value else None


def _text_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * TEXT_LINES + 12)
    return box


class AgeInput(QWidget):
    """An age as years and months: «[7] лет [6] мес.»; the noun follows the number (год, года, лет)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.years = QSpinBox()
        self.years.setRange(0, MAX_AGE_YEARS)
        self.months = QSpinBox()
        self.months.setRange(0, MONTHS_PER_YEAR - 1)
        self.years_noun = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.years)
        layout.addWidget(self.years_noun)
        layout.addWidget(self.months)
        layout.addWidget(QLabel("мес."))
        self.years.valueChanged.connect(self._years_changed)
        self.months.valueChanged.connect(self.changed)
        self._years_changed()

    def _years_changed(self) -> None:
        self.years_noun.setText(years_phrase(self.years.value()).split()[1])
        self.changed.emit()

    def set_months(self, total: int) -> None:
        years, months = divmod(total, MONTHS_PER_YEAR)
        self.years.setValue(years)
        self.months.setValue(months)

    def total_months(self) -> int:
        return self.years.value() * MONTHS_PER_YEAR + self.months.value()


class ProgramTab(QWidget):
    edited = Signal()

    def __init__(self, address_choices: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.read_only = False
        self.full_name = QLineEdit()
        self.short_name = QLineEdit()
        self.direction = _enum_combo(Direction)
        self.kind = _enum_combo(ProgramKind)
        self.form = _enum_combo(StudyForm)
        self.distance = QCheckBox("с дистанционными технологиями")
        self.level = _enum_combo(Level)
        self.age_from = AgeInput()
        self.age_to = AgeInput()
        self.duration = QSpinBox()
        self.duration.setRange(0, MAX_DURATION_MONTHS)
        self.duration.setSuffix(" мес.")
        fixed_width(self.duration)
        self.annotation = _text_box("Кратко о программе для родителей")
        self.goals = _text_box("Цели и задачи программы")
        self.expected_results = _text_box("Что ребёнок будет знать и уметь по окончании")
        self.medical = QCheckBox("Нужна медицинская справка")
        self.accessible = QCheckBox("Доступна детям с ограниченными возможностями здоровья (ОВЗ)")
        self.final_document = QLineEdit()
        self.final_document.setPlaceholderText("Например, свидетельство об обучении")
        self.address_list = QListWidget()
        self.address_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.address_list.setFixedHeight(self.address_list.fontMetrics().lineSpacing() * 4 + 12)
        self.address_input = editable_combo(list(address_choices))
        line_edit_of(self.address_input).setPlaceholderText("Выберите адрес организации или введите новый")
        self.add_address_button = QPushButton("Добавить адрес")
        self.remove_address_button = QPushButton("Убрать")
        for button in (self.add_address_button, self.remove_address_button):
            button.setProperty("edits", True)
        self.fields: dict[str, Field] = {}
        self._build_form()
        self._connect()

    def _build_form(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form_row = QHBoxLayout()
        form_row.setContentsMargins(0, 0, 0, 0)
        form_row.addWidget(self.form)
        form_row.addWidget(self.distance)
        form_row.addStretch(1)
        age_row = QHBoxLayout()
        age_row.setContentsMargins(0, 0, 0, 0)
        for text, age in (("от", self.age_from), ("до", self.age_to)):
            age_row.addWidget(QLabel(text))
            age_row.addWidget(age)
        age_row.addStretch(1)
        address_row = QHBoxLayout()
        address_row.setContentsMargins(0, 0, 0, 0)
        address_row.addWidget(self.address_input, 1)
        address_row.addWidget(self.add_address_button)
        address_row.addWidget(self.remove_address_button)
        address_box = QVBoxLayout()
        address_box.setContentsMargins(0, 0, 0, 0)
        address_box.addWidget(self.address_list)
        address_box.addLayout(address_row)
        rows: list[tuple[str, str, QWidget | QHBoxLayout | QVBoxLayout]] = [
            ("full_name", "Полное название:", self.full_name),
            ("short_name", "Краткое название:", self.short_name),
            ("direction", "Направленность:", self.direction),
            ("kind", "Вид программы:", self.kind),
            ("form", "Форма обучения:", form_row),
            ("level", "Уровень:", self.level),
            ("age_range", "Возраст детей:", age_row),
            ("duration_months", "Продолжительность:", self.duration),
            ("annotation", "Аннотация:", self.annotation),
            ("goals", "Цели:", self.goals),
            ("expected_results", "Ожидаемые результаты:", self.expected_results),
            ("medical", "", self.medical),
            ("accessible", "", self.accessible),
            ("final_document", "Итоговый документ:", self.final_document),
            ("addresses", "Адреса занятий:", address_box),
        ]
        for name, label, content in rows:
            widget = content if isinstance(content, QWidget) else _wrap(content)
            self.fields[name] = Field(widget)
            form.addRow(label, self.fields[name])
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(form)
        body_layout.addStretch(1)  # spare height goes below the form, not between its rows
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _connect(self) -> None:
        for line in (self.full_name, self.short_name, self.final_document):
            line.textChanged.connect(self._edited)
        for box in (self.direction, self.kind, self.form, self.level):
            box.currentIndexChanged.connect(self._edited)
        for check in (self.distance, self.medical, self.accessible):
            check.toggled.connect(self._edited)
        for text in (self.annotation, self.goals, self.expected_results):
            text.textChanged.connect(self._edited)
        self.age_from.changed.connect(self._edited)
        self.age_to.changed.connect(self._edited)
        self.duration.valueChanged.connect(self._edited)
        self.add_address_button.clicked.connect(self.add_address)
        self.remove_address_button.clicked.connect(self._remove_address)
        line_edit_of(self.address_input).returnPressed.connect(self.add_address)

    def _edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    # ------------------------------------------------------------ values

    def load(self, program: Program) -> None:
        self._loading = True
        try:
            self.full_name.setText(program.full_name)
            self.short_name.setText(program.short_name)
            for box, value in (
                (self.direction, program.direction),
                (self.kind, program.kind),
                (self.form, program.form),
                (self.level, program.level),
            ):
                select_value(box, value.value if value else None)
            self.distance.setChecked(program.distance_technologies)
            self.age_from.set_months(program.age_range.from_months)
            self.age_to.set_months(program.age_range.to_months)
            self.duration.setValue(program.duration_months)
            self.annotation.setPlainText(program.annotation)
            self.goals.setPlainText(program.goals)
            self.expected_results.setPlainText(program.expected_results)
            self.medical.setChecked(program.medical_certificate_required)
            self.accessible.setChecked(program.accessible_for_disabled)
            self.final_document.setText(program.final_document)
            self.address_list.clear()
            self.address_list.addItems(list(program.addresses))
        finally:
            self._loading = False

    def values(self) -> dict[str, Any]:
        """The program's own fields as ``dataclasses.replace`` takes them."""
        return {
            "full_name": self.full_name.text().strip(),
            "short_name": self.short_name.text().strip(),
            "direction": _chosen(self.direction, Direction),
            "kind": _chosen(self.kind, ProgramKind),
            "form": _chosen(self.form, StudyForm),
            "level": _chosen(self.level, Level),
            "distance_technologies": self.distance.isChecked(),
            "age_range": AgeRange(self.age_from.total_months(), self.age_to.total_months()),
            "duration_months": self.duration.value(),
            "annotation": self.annotation.toPlainText().strip(),
            "goals": self.goals.toPlainText().strip(),
            "expected_results": self.expected_results.toPlainText().strip(),
            "medical_certificate_required": self.medical.isChecked(),
            "accessible_for_disabled": self.accessible.isChecked(),
            "final_document": self.final_document.text().strip(),
            "addresses": tuple(self.addresses()),
        }

    def addresses(self) -> list[str]:
        return [self.address_list.item(row).text() for row in range(self.address_list.count())]

    def set_address_choices(self, choices: Sequence[str]) -> None:
        text = self.address_input.currentText()
        self.address_input.clear()
        self.address_input.addItems(list(choices))
        self.address_input.setCurrentIndex(-1)
        self.address_input.setEditText(text)

    def add_address(self) -> None:
        text = " ".join(self.address_input.currentText().split())
        if text and text not in self.addresses():
            self.address_list.addItem(text)
            self.edited.emit()
        self.address_input.setCurrentIndex(-1)
        self.address_input.setEditText("")

    def _remove_address(self) -> None:
        row = self.address_list.currentRow()
        if row >= 0:
            self.address_list.takeItem(row)
            self.edited.emit()

    # ------------------------------------------------------------ errors

    def show_errors(self, errors: Mapping[str, str]) -> set[str]:
        """Show each error of a program field under it; return the paths shown."""
        shown: set[str] = set()
        for name, field in self.fields.items():
            messages = [message for path, message in errors.items() if path == name or path.startswith(f"{name}.")]
            shown.update(path for path in errors if path == name or path.startswith(f"{name}."))
            field.show_error("\n".join(dict.fromkeys(messages)) or None)
        return shown


def _wrap(layout: QHBoxLayout | QVBoxLayout) -> QWidget:
    widget = QWidget()
    widget.setLayout(layout)
    return widget
