"""«Модули»: the program's modules (years of study) with add, remove and reorder, and the chosen module's form."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.money import format_kopecks
from desktop_app.domain.program import Module
from ui.icons import icon
from ui.program_editor.draft import ProgramDraft
from ui.program_editor.widgets import (
    PRICE_FORMAT_MESSAGE,
    Field,
    error_label,
    fixed_width,
    parse_roubles,
    roubles_text,
    show_error,
    wrapping_list,
)

MAX_MONTHS = 120
MAX_HOURS = 10_000
MAX_GROUP = 1_000
ERROR_COLOUR = QColor("#b71c1c")
NO_NORMATIVE = "установит оператор при сертификации"


def module_title(index: int, module: Module) -> str:
    return f"{index + 1}. {module.name or 'без названия'}"


def _spin(maximum: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, maximum)
    spin.setSuffix(suffix)
    fixed_width(spin)
    return spin


class ModulesTab(QWidget):
    shown_changed = Signal()
    """Another module is on screen (the editor lists the problems out of sight again)."""

    def __init__(self, draft: ProgramDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self._loading = False
        self._errors: Mapping[str, str] = {}
        self.read_only = False
        self._shown: uuid.UUID | None = None
        self.module_list = wrapping_list(QListWidget())
        self.module_list.setMinimumWidth(220)
        self.add_button = QPushButton(icon("mdi6.plus"), "Добавить модуль")
        self.remove_button = QPushButton(icon("mdi6.delete-outline"), "Удалить")
        self.up_button = QPushButton(icon("mdi6.arrow-up"), "Выше")
        self.down_button = QPushButton(icon("mdi6.arrow-down"), "Ниже")
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setProperty("edits", True)
        self.list_error = error_label()

        self.name = QLineEdit()
        self.months = _spin(MAX_MONTHS, " мес.")
        self.hours = _spin(MAX_HOURS, " ч")
        self.min_group = _spin(MAX_GROUP, " чел.")
        self.max_group = _spin(MAX_GROUP, " чел.")
        self.qualification = QLineEdit()
        self.qualification.setPlaceholderText("Например, высшее педагогическое образование")
        self.price = QLineEdit()
        self.price.setPlaceholderText("0,00")
        self.price.setMinimumWidth(self.price.fontMetrics().horizontalAdvance("0 000 000 000,00 ₽") + 16)
        fixed_width(self.price)
        self.normative = QLabel()
        self.fields: dict[str, Field] = {}
        self.form_panel = self._form()
        self.empty_notice = QLabel("В программе пока нет модулей. Нажмите «Добавить модуль».")
        self.empty_notice.setObjectName("pageNotice")
        self.empty_notice.setWordWrap(True)

        buttons = QGridLayout()
        buttons.addWidget(self.add_button, 0, 0, 1, 2)
        buttons.addWidget(self.up_button, 1, 0)
        buttons.addWidget(self.down_button, 1, 1)
        buttons.addWidget(self.remove_button, 2, 0, 1, 2)
        left = QVBoxLayout()
        left.addWidget(self.module_list, 1)
        left.addWidget(self.list_error)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(self.form_panel)
        right.addWidget(self.empty_notice)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 5)

        self._connect()
        draft.structure_changed.connect(self.rebuild_list)
        self.rebuild_list()

    def _connect(self) -> None:
        self.module_list.currentRowChanged.connect(self._show_module)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.name.textChanged.connect(lambda text: self._update(name=text.strip()))
        self.months.valueChanged.connect(lambda value: self._update(months=value))
        self.hours.valueChanged.connect(lambda value: self._update(hours=value))
        self.min_group.valueChanged.connect(lambda value: self._update(min_group_size=value))
        self.max_group.valueChanged.connect(lambda value: self._update(max_group_size=value))
        self.qualification.textChanged.connect(lambda text: self._update(teacher_qualification=text.strip()))
        self.price.textChanged.connect(self._price_typed)

    def _form(self) -> QWidget:
        panel = QWidget()
        form = QFormLayout(panel)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        group_size = QWidget()
        size_row = QHBoxLayout(group_size)
        size_row.setContentsMargins(0, 0, 0, 0)
        for text, spin in (("от", self.min_group), ("до", self.max_group)):
            size_row.addWidget(QLabel(text))
            size_row.addWidget(spin)
        size_row.addStretch(1)
        rows: list[tuple[str, str, QWidget]] = [
            ("name", "Название модуля:", self.name),
            ("months", "Продолжительность:", self.months),
            ("hours", "Объём:", self.hours),
            ("group_size", "Размер группы:", group_size),
            ("teacher_qualification", "Квалификация педагога:", self.qualification),
            ("price", "Цена модуля, ₽:", self.price),
            ("normative", "Нормативная стоимость:", self.normative),
        ]
        for name, label, widget in rows:
            self.fields[name] = Field(widget)
            form.addRow(label, self.fields[name])
        return panel

    # ------------------------------------------------------------ list

    def current_index(self) -> int:
        return self.module_list.currentRow()

    def select(self, index: int) -> None:
        self.module_list.setCurrentRow(index)

    def rebuild_list(self) -> None:
        """Refresh the list's titles and marks, keeping the chosen module."""
        current = max(self.module_list.currentRow(), 0)
        self.module_list.blockSignals(True)
        self.module_list.clear()
        for index, module in enumerate(self._draft.modules):
            self.module_list.addItem(module_title(index, module))
        if self._draft.modules:
            self.module_list.setCurrentRow(min(current, len(self._draft.modules) - 1))
        self.module_list.blockSignals(False)
        self._mark_list()
        self._show_module(self.module_list.currentRow())

    def _mark_list(self) -> None:
        for index in range(self.module_list.count()):
            item = self.module_list.item(index)
            prefix = f"modules[{index}]."
            faulty = any(path.startswith(prefix) and ".groups[" not in path for path in self._errors)
            item.setIcon(icon("mdi6.alert-circle-outline") if faulty else icon("mdi6.book-outline"))
            item.setForeground(ERROR_COLOUR if faulty else self.palette().text().color())

    def _add(self) -> None:
        self.select(self._draft.add_module())
        self.name.setFocus()
        self.name.selectAll()

    def _remove(self) -> None:
        index = self.current_index()
        if index >= 0:
            self._draft.remove_module(index)

    def _move(self, step: int) -> None:
        index = self.current_index()
        if index >= 0:
            self.select(self._draft.move_module(index, step))

    # ------------------------------------------------------------ form

    def _show_module(self, index: int) -> None:
        has_module = 0 <= index < len(self._draft.modules)
        self.form_panel.setVisible(has_module)
        self.empty_notice.setVisible(not self._draft.modules)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(has_module and not self.read_only)
        if not has_module:
            if self._shown is not None:
                self._shown = None
                self.shown_changed.emit()
            return
        module = self._draft.modules[index]
        if module.id == self._shown:
            self.show_errors(self._errors)
            return  # the same module, moved or renamed: the form already shows it (and keeps the cursor)
        self._shown = module.id
        self._draft.clear_input_errors()  # a price typed wrong in another module is dropped with its text
        self._loading = True
        try:
            self.name.setText(module.name)
            self.months.setValue(module.months)
            self.hours.setValue(module.hours)
            self.min_group.setValue(module.min_group_size)
            self.max_group.setValue(module.max_group_size)
            self.qualification.setText(module.teacher_qualification)
            self.price.setText(roubles_text(module.price))
            self.normative.setText(format_kopecks(module.normative) if module.normative is not None else NO_NORMATIVE)
        finally:
            self._loading = False
        self.show_errors(self._errors)
        self.shown_changed.emit()

    def _update(self, **changes: object) -> None:
        index = self.current_index()
        if not self._loading and index >= 0:
            self._draft.update_module(index, **changes)

    def _price_typed(self, text: str) -> None:
        index = self.current_index()
        if self._loading or index < 0:
            return
        kopecks = parse_roubles(text)
        if kopecks is None:
            self._draft.set_input_error(index, "price", PRICE_FORMAT_MESSAGE)
            return
        self._draft.input_errors.pop((self._draft.modules[index].id, "price"), None)
        self._draft.update_module(index, price=kopecks)

    # ------------------------------------------------------------ errors

    def show_errors(self, errors: Mapping[str, str]) -> set[str]:
        """Errors of the chosen module next to its fields, a mark on every module with errors; returns the
        paths shown next to a field."""
        self._errors = errors
        self._mark_list()
        show_error(self.list_error, errors.get("modules"))
        shown = {"modules"} & errors.keys()
        index = self.current_index()
        prefix = f"modules[{index}]."
        own = {path.removeprefix(prefix): path for path in errors if path.startswith(prefix) and index >= 0}
        aliases = {"min_group_size": "group_size", "max_group_size": "group_size"}
        messages: dict[str, list[str]] = {}
        for name, path in own.items():
            field = aliases.get(name, name)
            if field in self.fields:
                messages.setdefault(field, []).append(errors[path])
                shown.add(path)
        for name, field_widget in self.fields.items():
            field_widget.show_error("\n".join(messages.get(name, [])) or None)
        return shown
