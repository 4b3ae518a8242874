"""«Педагоги и адреса»: the organization's teachers and lesson addresses, added, edited and archived offline.

Every change goes through ``ReferenceService`` on the database lane (it writes locally and queues the
operation for the server). An archived record leaves the pick lists but stays here, under «Показывать
архивные».
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.references import QUALIFICATION_CATEGORIES, Address, Teacher, address_problems, teacher_problems
from desktop_app.services.references import ReferenceService
from ui.icons import icon
from ui.models.records_table import Column, RecordsTableModel
from ui.program_editor.prompts import ask_to_confirm
from ui.program_editor.widgets import editable_combo, error_label, show_error
from ui.task_runner import Lane, TaskRunner

R = TypeVar("R", Teacher, Address)


def _state(record: Teacher | Address) -> str:
    return "в архиве" if record.archived else "действует"


TEACHER_COLUMNS: list[Column[Teacher]] = [
    Column("ФИО", lambda teacher: teacher.full_name),
    Column("Квалификационная категория", lambda teacher: teacher.category or "—"),
    Column("Состояние", _state),
]
ADDRESS_COLUMNS: list[Column[Address]] = [
    Column("Адрес", lambda address: address.text),
    Column("Примечание", lambda address: address.note or "—"),
    Column("Состояние", _state),
]


def confirm_archive_record(parent: QWidget, text: str) -> bool:
    return ask_to_confirm(parent, text, "В архив")


class RecordForm(QDialog):
    """A small form for one teacher or address; «Сохранить» checks the fields first."""

    def __init__(
        self,
        title: str,
        fields: Sequence[tuple[str, QWidget]],
        problems: Callable[[], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._problems = problems
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in fields:
            form.addRow(label, widget)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        problems = self._problems()
        show_error(self.error, " ".join(problems))
        if not problems:
            super().accept()


class ReferenceListTab(QWidget, Generic[R]):
    """One list: a table with «Добавить», «Изменить», «В архив» and a switch for archived records."""

    def __init__(self, columns: list[Column[R]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records: list[R] = []
        self.model: RecordsTableModel[R] = RecordsTableModel(columns, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(icon("mdi6.plus"), "Добавить")
        self.edit_button = QPushButton(icon("mdi6.pencil-outline"), "Изменить")
        self.archive_button = QPushButton(icon("mdi6.archive-outline"), "В архив")
        self.show_archived = QCheckBox("Показывать архивные")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_archived)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        self.show_archived.toggled.connect(lambda _checked: self.show_records(self.records))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._enable()

    def show_records(self, records: Sequence[R]) -> None:
        selected = self.selected()
        self.records = list(records)
        shown = [record for record in records if self.show_archived.isChecked() or not record.archived]
        self.model.set_records(shown)
        for row, record in enumerate(shown):
            if selected is not None and record.id == selected.id:
                self.view.selectRow(row)
        self._enable()

    def selected(self) -> R | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def select_id(self, record_id: uuid.UUID) -> None:
        for row in range(self.model.rowCount()):
            if self.model.record(row).id == record_id:
                self.view.selectRow(row)

    def _enable(self) -> None:
        record = self.selected()
        self.edit_button.setEnabled(record is not None and not record.archived)
        self.archive_button.setEnabled(record is not None and not record.archived)


class ReferenceListsDialog(QDialog):
    changed = Signal()
    """A teacher or an address was added, changed or archived."""
    loaded = Signal()
    """The lists on screen were (re)loaded."""

    def __init__(
        self,
        references: ReferenceService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        confirm: Callable[[QWidget, str], bool] = confirm_archive_record,
    ) -> None:
        super().__init__(parent)
        self._references = references
        self._runner = runner
        self._confirm = confirm
        self.form: RecordForm | None = None
        self.setWindowTitle("Педагоги и адреса")
        self.resize(900, 560)
        notice = QLabel(
            "Списки организации, из которых выбираются педагоги групп и адреса занятий. Изменения сохраняются "
            "на этом компьютере и отправляются на сервер при синхронизации."
        )
        notice.setObjectName("pageNotice")
        notice.setWordWrap(True)
        self.teachers: ReferenceListTab[Teacher] = ReferenceListTab(TEACHER_COLUMNS)
        self.addresses: ReferenceListTab[Address] = ReferenceListTab(ADDRESS_COLUMNS)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.teachers, "Педагоги")
        self.tabs.addTab(self.addresses, "Адреса занятий")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(notice)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.teachers.add_button.clicked.connect(lambda: self.edit_teacher(None))
        self.teachers.edit_button.clicked.connect(lambda: self.edit_teacher(self.teachers.selected()))
        self.teachers.view.activated.connect(lambda _index: self.edit_teacher(self.teachers.selected()))
        self.teachers.archive_button.clicked.connect(self._archive_teacher)
        self.addresses.add_button.clicked.connect(lambda: self.edit_address(None))
        self.addresses.edit_button.clicked.connect(lambda: self.edit_address(self.addresses.selected()))
        self.addresses.view.activated.connect(lambda _index: self.edit_address(self.addresses.selected()))
        self.addresses.archive_button.clicked.connect(self._archive_address)
        self.refresh()

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Reload both lists on the database lane (archived records included; the switch hides them)."""
        references = self._references

        def load(_control: object) -> tuple[list[Teacher], list[Address]]:
            return references.teachers(include_archived=True), references.addresses(include_archived=True)

        def show(lists: tuple[list[Teacher], list[Address]]) -> None:
            self.teachers.show_records(lists[0])
            self.addresses.show_records(lists[1])
            if select is not None:
                self.teachers.select_id(select)
                self.addresses.select_id(select)
            self.loaded.emit()

        self._runner.run(Lane.DATABASE, "reference lists", load, show)

    def _after_change(self, record: Teacher | Address) -> None:
        self.refresh(select=record.id)
        self.changed.emit()

    # ------------------------------------------------------------ teachers

    def edit_teacher(self, teacher: Teacher | None) -> RecordForm:
        name = QLineEdit(teacher.full_name if teacher else "")
        name.setPlaceholderText("Фамилия Имя Отчество")
        category = editable_combo(list(QUALIFICATION_CATEGORIES), teacher.category if teacher else "")
        teacher_id = teacher.id if teacher else uuid.uuid4()

        def problems() -> list[str]:
            return teacher_problems(Teacher(teacher_id, name.text().strip(), category.currentText().strip()))

        title = "Изменить педагога" if teacher else "Новый педагог"
        form = RecordForm(title, [("ФИО:", name), ("Квалификационная категория:", category)], problems, self)
        references = self._references

        def save() -> None:
            full_name, chosen = name.text(), category.currentText()  # read here: widgets live on this thread
            self._runner.run(
                Lane.DATABASE,
                "save teacher",
                lambda _control: references.save_teacher(full_name, chosen, teacher_id),
                self._after_change,
            )

        form.accepted.connect(save)
        return self._open(form)

    def _archive_teacher(self) -> None:
        teacher = self.teachers.selected()
        if teacher is None or not self._confirm(self, f"Перенести педагога «{teacher.full_name}» в архив?"):
            return
        references = self._references
        self._runner.run(
            Lane.DATABASE,
            "archive teacher",
            lambda _control: references.archive_teacher(teacher.id),
            self._after_change,
        )

    # ------------------------------------------------------------ addresses

    def edit_address(self, address: Address | None) -> RecordForm:
        text = QLineEdit(address.text if address else "")
        text.setPlaceholderText("Город, улица, дом")
        note = QLineEdit(address.note if address else "")
        note.setPlaceholderText("Например, вход со двора, 2-й этаж")
        address_id = address.id if address else uuid.uuid4()

        def problems() -> list[str]:
            return address_problems(Address(address_id, text.text().strip(), note.text().strip()))

        title = "Изменить адрес" if address else "Новый адрес"
        form = RecordForm(title, [("Адрес:", text), ("Примечание:", note)], problems, self)
        references = self._references

        def save() -> None:
            typed, hint = text.text(), note.text()  # read here: widgets live on this thread
            self._runner.run(
                Lane.DATABASE,
                "save address",
                lambda _control: references.save_address(typed, hint, address_id),
                self._after_change,
            )

        form.accepted.connect(save)
        return self._open(form)

    def _archive_address(self) -> None:
        address = self.addresses.selected()
        if address is None or not self._confirm(self, f"Перенести адрес «{address.text}» в архив?"):
            return
        references = self._references
        self._runner.run(
            Lane.DATABASE,
            "archive address",
            lambda _control: references.archive_address(address.id),
            self._after_change,
        )

    def _open(self, form: RecordForm) -> RecordForm:
        self.form = form
        form.finished.connect(form.deleteLater)
        form.open()
        return form
