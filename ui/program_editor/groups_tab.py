"""«Группы и расписание»: the groups of a chosen module, the chosen group's form and its weekly schedule.

Overlapping lessons of one teacher or one room anywhere in the program are flagged in the schedule's
«Проверка» column and by a mark on the group and its module.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.schedule import find_overlaps
from ui.icons import icon
from ui.program_editor.draft import ProgramDraft
from ui.program_editor.schedule_model import ScheduleColumn, ScheduleDelegate, ScheduleModel
from ui.program_editor.widgets import Field, date_edit, editable_combo, line_edit_of, wrapping_list

MAX_CAPACITY = 1_000
ERROR_COLOUR = QColor("#b71c1c")
_GROUP_PATH = re.compile(r"modules\[(\d+)\]\.groups\[(\d+)\]\.(.+)")
_LESSON_FIELD = re.compile(r"schedule\[(\d+)\]\.\w+")
NO_MODULES = "Сначала добавьте модуль на вкладке «Модули»."
NO_GROUPS = "В этом модуле пока нет групп. Нажмите «Добавить группу»."


def group_path(path: str) -> tuple[int, int, str] | None:
    """``modules[1].groups[0].capacity`` → (1, 0, "capacity")."""
    match = _GROUP_PATH.fullmatch(path)
    return (int(match[1]), int(match[2]), match[3]) if match else None


class GroupsTab(QWidget):
    shown_changed = Signal()
    """Another group is on screen (the editor lists the problems out of sight again)."""

    def __init__(
        self,
        draft: ProgramDraft,
        teachers: Sequence[str],
        addresses: Callable[[], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._draft = draft
        self._addresses = addresses
        self._loading = False
        self._shown: tuple[uuid.UUID, uuid.UUID] | None = None
        self._errors: Mapping[str, str] = {}
        self._faulty_groups: set[uuid.UUID] = set()
        self.read_only = False
        self.module_choice = QComboBox()
        self.module_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_list = wrapping_list(QListWidget())
        self.group_list.setMinimumWidth(200)
        self.add_group_button = QPushButton(icon("mdi6.plus"), "Добавить группу")
        self.remove_group_button = QPushButton(icon("mdi6.delete-outline"), "Удалить группу")
        self.notice = QLabel()
        self.notice.setObjectName("pageNotice")
        self.notice.setWordWrap(True)

        self.name = QLineEdit()
        self.teacher = editable_combo(list(teachers))
        line_edit_of(self.teacher).setPlaceholderText("Выберите педагога или введите ФИО")
        self.start_date = date_edit()
        self.end_date = date_edit()
        self.capacity = QSpinBox()
        self.capacity.setRange(0, MAX_CAPACITY)
        self.taken = QLabel()
        self.fields: dict[str, Field] = {}

        self.schedule_model = ScheduleModel(self)
        self.schedule_view = QTableView()
        self.schedule_view.setModel(self.schedule_model)
        self.schedule_view.setItemDelegate(ScheduleDelegate(addresses, self.schedule_view))
        self.schedule_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.schedule_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.schedule_view.setWordWrap(True)
        self.schedule_view.verticalHeader().setVisible(False)
        self.schedule_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.schedule_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ScheduleColumn.ADDRESS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ScheduleColumn.ADDRESS, 220)
        header.setStretchLastSection(True)
        self.schedule_heading = QLabel("Расписание занятий группы")
        self.add_lesson_button = QPushButton(icon("mdi6.plus"), "Добавить занятие")
        self.remove_lesson_button = QPushButton(icon("mdi6.delete-outline"), "Удалить занятие")
        for button in (
            self.add_group_button,
            self.remove_group_button,
            self.add_lesson_button,
            self.remove_lesson_button,
        ):
            button.setProperty("edits", True)
        self._layout()
        self._connect()
        self.rebuild()

    def _layout(self) -> None:
        self.group_form = QWidget()
        form = QFormLayout(self.group_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        dates = QWidget()
        dates_row = QHBoxLayout(dates)
        dates_row.setContentsMargins(0, 0, 0, 0)
        for text, edit in (("с", self.start_date), ("по", self.end_date)):
            dates_row.addWidget(QLabel(text))
            dates_row.addWidget(edit)
        dates_row.addStretch(1)
        places = QWidget()
        places_row = QHBoxLayout(places)
        places_row.setContentsMargins(0, 0, 0, 0)
        places_row.addWidget(self.capacity)
        places_row.addWidget(self.taken)
        places_row.addStretch(1)
        for name, label, widget in (
            ("name", "Название группы:", self.name),
            ("teacher", "Педагог:", self.teacher),
            ("dates", "Даты занятий:", dates),
            ("capacity", "Мест в группе:", places),
        ):
            self.fields[name] = Field(widget)
            form.addRow(label, self.fields[name])

        module_row = QHBoxLayout()
        module_row.addWidget(QLabel("Модуль:"))
        module_row.addWidget(self.module_choice)
        module_row.addStretch(1)
        list_column = QVBoxLayout()
        list_column.addWidget(self.group_list, 1)
        list_column.addWidget(self.add_group_button)
        list_column.addWidget(self.remove_group_button)
        top = QHBoxLayout()
        top.addLayout(list_column, 2)
        top.addWidget(self.group_form, 5, Qt.AlignmentFlag.AlignTop)
        schedule_buttons = QHBoxLayout()
        schedule_buttons.addWidget(self.schedule_heading, 1)
        schedule_buttons.addWidget(self.add_lesson_button)
        schedule_buttons.addWidget(self.remove_lesson_button)
        self.schedule_panel = QWidget()
        schedule_layout = QVBoxLayout(self.schedule_panel)
        schedule_layout.setContentsMargins(0, 0, 0, 0)
        schedule_layout.addLayout(schedule_buttons)
        schedule_layout.addWidget(self.schedule_view, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(module_row)
        layout.addWidget(self.notice)
        layout.addLayout(top, 2)
        layout.addWidget(self.schedule_panel, 3)

    def _connect(self) -> None:
        self.module_choice.currentIndexChanged.connect(lambda _index: self._show_module())
        self.group_list.currentRowChanged.connect(lambda _row: self._show_group())
        self.add_group_button.clicked.connect(self._add_group)
        self.remove_group_button.clicked.connect(self._remove_group)
        self.add_lesson_button.clicked.connect(self._add_lesson)
        self.remove_lesson_button.clicked.connect(self._remove_lesson)
        self.name.textChanged.connect(lambda text: self._update(name=text.strip()))
        self.teacher.currentTextChanged.connect(lambda text: self._update(teacher=" ".join(text.split())))
        self.start_date.dateChanged.connect(lambda value: self._update(start_date=value.toPython()))
        self.end_date.dateChanged.connect(lambda value: self._update(end_date=value.toPython()))
        self.capacity.valueChanged.connect(lambda value: self._update(capacity=value))
        self.schedule_model.edited.connect(self._schedule_edited)
        self._draft.structure_changed.connect(self.rebuild)

    # ------------------------------------------------------------ choosing

    def module_index(self) -> int:
        return self.module_choice.currentIndex()

    def group_index(self) -> int:
        return self.group_list.currentRow()

    def select(self, module_index: int, group_index: int = 0) -> None:
        self.module_choice.setCurrentIndex(module_index)
        if group_index < self.group_list.count():
            self.group_list.setCurrentRow(group_index)

    def set_teachers(self, teachers: Sequence[str]) -> None:
        text = self.teacher.currentText()
        self._loading = True
        try:
            self.teacher.clear()
            self.teacher.addItems(list(teachers))
            self.teacher.setCurrentIndex(-1)
            self.teacher.setEditText(text)
        finally:
            self._loading = False

    def rebuild(self) -> None:
        """Refresh the module choice and the group list after modules or groups changed."""
        modules = self._draft.modules
        current = max(self.module_choice.currentIndex(), 0)
        self.module_choice.blockSignals(True)
        self.module_choice.clear()
        for index, module in enumerate(modules):
            self.module_choice.addItem(f"{index + 1}. {module.name or 'без названия'}")
        self.module_choice.setCurrentIndex(min(current, len(modules) - 1) if modules else -1)
        self.module_choice.blockSignals(False)
        self._show_module(keep_group=True)

    def _show_module(self, *, keep_group: bool = False) -> None:
        index = self.module_index()
        groups = self._draft.modules[index].groups if index >= 0 else ()
        current = max(self.group_list.currentRow(), 0) if keep_group else 0
        self.group_list.blockSignals(True)
        self.group_list.clear()
        for group in groups:
            self.group_list.addItem(group.name or "без названия")
        self.group_list.setCurrentRow(min(current, len(groups) - 1) if groups else -1)
        self.group_list.blockSignals(False)
        self.add_group_button.setEnabled(index >= 0 and not self.read_only)
        self._mark()
        self._show_group()

    def _show_group(self) -> None:
        module_index, group_index = self.module_index(), self.group_index()
        has_group = module_index >= 0 and group_index >= 0
        self.notice.setText(NO_MODULES if module_index < 0 else NO_GROUPS)
        self.notice.setVisible(not has_group)
        self.group_form.setVisible(has_group)
        self.schedule_panel.setVisible(has_group)
        self.remove_group_button.setEnabled(has_group and not self.read_only)
        if not has_group:
            if self._shown is not None:
                self._shown = None
                self.shown_changed.emit()
            return
        module = self._draft.modules[module_index]
        group = module.groups[group_index]
        if self._shown != (module.id, group.id):
            self._shown = (module.id, group.id)
            self._load_group(module_index, group_index)
            self.show_errors(self._errors)
            self.shown_changed.emit()
        else:
            self.show_errors(self._errors)

    def _load_group(self, module_index: int, group_index: int) -> None:
        group = self._draft.modules[module_index].groups[group_index]
        self._loading = True
        try:
            self.name.setText(group.name)
            self.teacher.setCurrentIndex(self.teacher.findText(group.teacher))
            self.teacher.setEditText(group.teacher)
            self.start_date.setDate(QDate(group.start_date.year, group.start_date.month, group.start_date.day))
            self.end_date.setDate(QDate(group.end_date.year, group.end_date.month, group.end_date.day))
            self.capacity.setValue(group.capacity)
            self.taken.setText(f"занято: {group.taken}")
            self.schedule_heading.setText(f"Расписание занятий группы «{group.name}»")
            self.schedule_model.set_entries(group.schedule)
        finally:
            self._loading = False
        self.remove_lesson_button.setEnabled(not self.read_only)

    # ------------------------------------------------------------ editing

    def _update(self, **changes: object) -> None:
        if self._loading or self.group_index() < 0:
            return
        self._draft.update_group(self.module_index(), self.group_index(), **changes)
        if "name" in changes:
            self.schedule_heading.setText(f"Расписание занятий группы «{changes['name']}»")

    def _add_group(self) -> None:
        module_index = self.module_index()
        if module_index >= 0:
            self.select(module_index, self._draft.add_group(module_index))
            self.name.setFocus()
            self.name.selectAll()

    def _remove_group(self) -> None:
        if self.group_index() >= 0:
            self._draft.remove_group(self.module_index(), self.group_index())

    def _add_lesson(self) -> None:
        row = self.schedule_model.add(self._draft.new_lesson(self._addresses()))
        self.schedule_view.selectRow(row)

    def _remove_lesson(self) -> None:
        rows = self.schedule_view.selectionModel().selectedRows()
        if rows:
            self.schedule_model.remove(rows[0].row())

    def _schedule_edited(self) -> None:
        if not self._loading and self.group_index() >= 0:
            self._draft.set_schedule(self.module_index(), self.group_index(), self.schedule_model.entries())

    # ------------------------------------------------------------ errors and overlaps

    def show_errors(self, errors: Mapping[str, str]) -> set[str]:
        """Errors of the chosen group next to its fields and lessons, overlaps in the schedule, marks on faulty
        groups and modules; returns the paths shown."""
        self._errors = errors
        overlaps = find_overlaps(self._draft.all_groups())
        self._faulty_groups = {
            group.id
            for module_index, module in enumerate(self._draft.modules)
            for group_index, group in enumerate(module.groups)
            if any(entry.id in overlaps for entry in group.schedule)
            or any(path.startswith(f"modules[{module_index}].groups[{group_index}].") for path in errors)
        }
        self._mark()
        module_index, group_index = self.module_index(), self.group_index()
        shown: set[str] = set()
        messages: dict[str, list[str]] = {}
        lesson_problems: dict[int, list[str]] = {}
        for path, message in errors.items():
            parsed = group_path(path)
            if parsed is None or parsed[:2] != (module_index, group_index):
                continue
            field = parsed[2]
            lesson = _LESSON_FIELD.fullmatch(field)
            if lesson:
                lesson_problems.setdefault(int(lesson[1]), []).append(message)
            else:
                messages.setdefault("dates" if field in ("start_date", "end_date") else field, []).append(message)
            shown.add(path)
        for name, field_widget in self.fields.items():
            field_widget.show_error("\n".join(messages.get(name, [])) or None)
        for row, entry in enumerate(self.schedule_model.entries()):
            lesson_problems.setdefault(row, []).extend(overlap.message for overlap in overlaps.get(entry.id, ()))
        self.schedule_model.set_problems(lesson_problems)
        self.schedule_view.resizeRowsToContents()
        return shown

    def _mark(self) -> None:
        module_index = self.module_index()
        for row in range(self.module_choice.count()):
            groups = self._draft.modules[row].groups
            faulty = any(group.id in self._faulty_groups for group in groups)
            self.module_choice.setItemIcon(
                row, icon("mdi6.alert-circle-outline") if faulty else icon("mdi6.book-outline")
            )
        if module_index < 0:
            return
        groups = self._draft.modules[module_index].groups
        for row in range(min(self.group_list.count(), len(groups))):
            item = self.group_list.item(row)
            faulty = groups[row].id in self._faulty_groups
            item.setIcon(icon("mdi6.alert-circle-outline") if faulty else icon("mdi6.account-group-outline"))
            item.setForeground(ERROR_COLOUR if faulty else self.palette().text().color())
