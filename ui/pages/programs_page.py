"""«Программы»: the organization's programs with search, filters and sorting, and what can be done to them.

Everything that touches the database runs on the database lane. After a refresh the page compares the new
list with the one it showed before and emits ``notices`` about certification decisions that arrived (by
sync) in between; ``programs_changed`` follows every change made here or in an editor.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.money import NBSP
from desktop_app.domain.program import Direction, Program
from desktop_app.domain.program_summary import ProgramSummary
from desktop_app.services.programs import ProgramService, decisions_between
from desktop_app.services.references import ReferenceService
from ui.icons import icon
from ui.models.programs_model import STATUS_LABELS, ProgramRow, ProgramsFilter, ProgramsModel
from ui.pages.programs_table import ProgramsTableView
from ui.program_editor import ProgramEditor, Prompts
from ui.reference_lists_dialog import ReferenceListsDialog
from ui.task_runner import Lane, TaskRunner

ALL_STATUSES = "Все"
ALL_DIRECTIONS = "Все направленности"


@dataclass(frozen=True)
class ProgramsPageData:
    summaries: list[ProgramSummary]
    submittable: frozenset[uuid.UUID]
    """Programs that can be sent for certification now: complete, and a draft or refused."""
    teachers: list[str]
    addresses: list[str]


def _count(number: int) -> str:
    return f"{number:,}".replace(",", NBSP)


class ProgramsPage(QWidget):
    programs_changed = Signal()
    """A program was saved, submitted, copied or archived here or in an editor."""
    notices = Signal(list)
    """Russian notices about certification decisions that arrived since the previous refresh."""
    loaded = Signal()
    """A refresh is on screen."""

    def __init__(
        self,
        programs: ProgramService,
        references: ReferenceService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__(parent)
        self._programs = programs
        self._references = references
        self._runner = runner
        self._prompts = prompts or Prompts()
        self._last: list[ProgramSummary] | None = None
        self._submittable: frozenset[uuid.UUID] = frozenset()
        self._teachers: list[str] = []
        self._addresses: list[str] = []
        self.editors: dict[uuid.UUID, ProgramEditor] = {}
        self.references_dialog: ReferenceListsDialog | None = None

        heading = QLabel("Программы")
        heading.setObjectName("pageHeading")
        self.references_button = QToolButton()
        self.references_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.references_action = QAction(icon("mdi6.account-multiple-outline"), "Педагоги и адреса", self)
        self.references_action.setToolTip("Списки педагогов и адресов занятий организации")
        self.references_action.triggered.connect(self.show_references)
        self.references_button.setDefaultAction(self.references_action)
        heading_row = QHBoxLayout()
        heading_row.addWidget(heading, 1)
        heading_row.addWidget(self.references_button)
        self.model = ProgramsModel(self)
        self.proxy = ProgramsFilter(self.model, self)
        self.toolbar = self._toolbar()
        filters = self._filter_row()
        self.counter = QLabel()
        self.counter.setObjectName("pageNotice")
        self.message = QLabel()
        self.message.setObjectName("pageNotice")
        self.message.setWordWrap(True)
        self.message.hide()
        self.view = ProgramsTableView(self.proxy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)
        layout.addLayout(heading_row)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.counter)
        self._connect()
        self._enable_actions()
        self._show_counter()

    def _filter_row(self) -> QHBoxLayout:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Поиск по названию")
        self.search.setToolTip("Ищет в полном и кратком названии; регистр и «ё» не важны")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem(ALL_STATUSES, None)
        for label in STATUS_LABELS:
            self.status_filter.addItem(label, label)
        self.direction_filter = QComboBox()
        self.direction_filter.addItem(ALL_DIRECTIONS, None)
        for direction in Direction:
            self.direction_filter.addItem(direction.label, direction.value)
        self.show_archived = QCheckBox("Показывать архивные")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.direction_filter, 1)
        filters.addWidget(self.show_archived)
        return filters

    def _connect(self) -> None:
        self.search.textChanged.connect(self._search_changed)
        self.status_filter.currentIndexChanged.connect(lambda _index: self._filters_changed())
        self.direction_filter.currentIndexChanged.connect(lambda _index: self._filters_changed())
        self.show_archived.toggled.connect(lambda _checked: self._filters_changed())
        self.view.activated.connect(lambda _index: self.open_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable_actions())
        self.proxy.rowsInserted.connect(self._show_counter)
        self.proxy.rowsRemoved.connect(self._show_counter)
        self.proxy.modelReset.connect(self._show_counter)
        self.proxy.layoutChanged.connect(self._show_counter)

    def _toolbar(self) -> QToolBar:
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(18, 18))

        def action(text: str, icon_name: str, slot: object, shortcut: str | None = None) -> QAction:
            made = QAction(icon(icon_name), text, self)
            made.triggered.connect(slot)
            if shortcut:
                made.setShortcut(QKeySequence(shortcut))
                made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            toolbar.addAction(made)
            self.addAction(made)
            return made

        self.new_action = action("Новая программа", "mdi6.plus", self.new_program, "Ctrl+N")
        self.open_action = action("Открыть", "mdi6.pencil-outline", self.open_selected)
        self.submit_action = action("Отправить на сертификацию", "mdi6.send-outline", self.submit_selected)
        self.copy_action = action("Копировать на следующий год", "mdi6.content-copy", self.copy_selected)
        self.archive_action = action("В архив", "mdi6.archive-outline", self.archive_selected)
        return toolbar

    # ------------------------------------------------------------ loading

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Reload the list on the database lane; ``select`` chooses a program once it is shown."""
        programs, references = self._programs, self._references

        def load(_control: object) -> ProgramsPageData:
            teachers = [teacher.full_name for teacher in references.teachers()]
            addresses = [address.text for address in references.addresses()]
            return ProgramsPageData(programs.summaries(), programs.submittable(), teachers, addresses)

        self._runner.run(Lane.DATABASE, "programs", load, lambda data: self._show(data, select))

    def _show(self, data: ProgramsPageData, select: uuid.UUID | None) -> None:
        selected = self.selected()
        keep = select or (selected.program.id if selected else None)
        notices = decisions_between(self._last, data.summaries) if self._last is not None else []
        self._last = data.summaries
        self._submittable = data.submittable
        self._teachers, self._addresses = data.teachers, data.addresses
        self.model.set_summaries(data.summaries)
        if keep is not None:
            self.select_program(keep)
        for editor in self.editors.values():
            editor.set_references(self._teachers, self._addresses)
        self._enable_actions()
        self.loaded.emit()
        if notices:
            self.notices.emit(notices)

    # ------------------------------------------------------------ search, filters, selection

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)

    def _filters_changed(self) -> None:
        self.proxy.set_status(self.status_filter.currentData())
        direction = self.direction_filter.currentData()
        self.proxy.set_direction(Direction(direction) if direction else None)
        self.proxy.set_show_archived(self.show_archived.isChecked())

    def _show_counter(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.counter.setText("Программ пока нет. Нажмите «Новая программа», чтобы добавить первую.")
        else:
            self.counter.setText(f"Показано программ: {_count(shown)} из {_count(total)}")

    def selected(self) -> ProgramRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.program_row(rows[0].row()) if rows else None

    def select_program(self, program_id: uuid.UUID) -> bool:
        row = self.model.row_of(program_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.scrollTo(index)
        return True

    def _enable_actions(self) -> None:
        row = self.selected()
        self.open_action.setEnabled(row is not None)
        self.copy_action.setEnabled(row is not None)
        self.archive_action.setEnabled(row is not None and not row.archived)
        self.submit_action.setEnabled(row is not None and row.program.id in self._submittable)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------ actions

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_program(row.summary)

    def open_program(self, summary: ProgramSummary) -> None:
        """The program's editor: the open one brought forward, or a new one once the whole program is read."""
        if self._raise_editor(summary.program.id):
            return
        programs, program_id = self._programs, summary.program.id

        def opened(program: Program | None) -> None:
            if program is not None:  # programs are archived, never deleted; kept for the type
                self._open_editor(program, waiting=summary.waiting)

        self._runner.run(Lane.DATABASE, "open program", lambda _control: programs.get(program_id), opened)

    def new_program(self) -> ProgramEditor:
        return self._open_editor(None, waiting=False)

    def _raise_editor(self, program_id: uuid.UUID) -> bool:
        editor = self.editors.get(program_id)
        if editor is not None:
            editor.raise_()
            editor.activateWindow()
        return editor is not None

    def _open_editor(self, program: Program | None, *, waiting: bool) -> ProgramEditor:
        if program is not None and self._raise_editor(program.id):
            return self.editors[program.id]  # opened twice quickly: the first one read stays
        editor = ProgramEditor(
            self._programs,
            self._runner,
            program,
            waiting=waiting,
            teachers=self._teachers,
            addresses=self._addresses,
            prompts=self._prompts,
            parent=self,
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        program_id = editor.build_program().id
        self.editors[program_id] = editor
        editor.saved.connect(self._editor_saved)
        editor.finished.connect(lambda _result: self.editors.pop(program_id, None))
        editor.show()
        return editor

    def _editor_saved(self, program: Program) -> None:
        self.refresh(select=program.id)
        self.programs_changed.emit()

    def _changed(self, program: Program, message: str = "") -> None:
        self._say(message)
        self.refresh(select=program.id)
        self.programs_changed.emit()

    def submit_selected(self) -> None:
        row = self.selected()
        if row is None or row.program.id not in self._submittable:
            return
        programs, program_id = self._programs, row.program.id
        self._runner.run(Lane.DATABASE, "submit program", lambda _control: programs.submit(program_id), self._changed)

    def copy_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        programs, program_id = self._programs, row.program.id
        name = row.program.short_name or row.program.full_name
        self._runner.run(
            Lane.DATABASE,
            "copy program",
            lambda _control: programs.copy_for_next_year(program_id),
            lambda copy: self._changed(copy, f"Создана копия программы «{name}» на следующий учебный год: черновик."),
        )

    def archive_selected(self) -> None:
        row = self.selected()
        if row is None or row.archived:
            return
        name = row.program.short_name or row.program.full_name
        if not self._prompts.confirm_archive(self, name):
            return
        programs, program_id = self._programs, row.program.id
        self._runner.run(Lane.DATABASE, "archive program", lambda _control: programs.archive(program_id), self._changed)

    def show_references(self) -> ReferenceListsDialog:
        if self.references_dialog is None:
            self.references_dialog = ReferenceListsDialog(self._references, self._runner, self)
            self.references_dialog.changed.connect(self.refresh)
        if self.references_dialog.isVisible():
            self.references_dialog.raise_()
            self.references_dialog.activateWindow()
        else:
            self.references_dialog.show()
        return self.references_dialog
