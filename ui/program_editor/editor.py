"""The program editor: four tabs over one program, checked as the clerk types, saved offline.

After every edit the program is built from the form and checked by ``ProgramService.validate``; each
message appears next to its field, and what has no field in sight (another module, another group) is
listed at the bottom, where a click leads to it. Saving and submitting run on the database lane; the
service queues the outbox, so both work offline. A certified program whose certified content changed is
saved only after the clerk agrees to certify it again; closing with unsaved changes asks what to do.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.age import AgeRange
from desktop_app.domain.program import CertificationStatus, Program
from desktop_app.domain.program_summary import WAITING
from desktop_app.progress import TaskControl
from desktop_app.services.programs import ProgramService, recertification_needed
from ui.program_editor.certification_tab import CertificationTab
from ui.program_editor.draft import ProgramDraft
from ui.program_editor.groups_tab import GroupsTab, group_path
from ui.program_editor.modules_tab import ModulesTab
from ui.program_editor.program_tab import ProgramTab
from ui.program_editor.prompts import Prompts, SaveChoice
from ui.program_editor.widgets import set_read_only, wrapping_list
from ui.task_runner import Lane, Task, TaskRunner

TAB_TITLES = ("Программа", "Модули", "Группы и расписание", "Сертификация")
PROGRAM_TAB, MODULES_TAB, GROUPS_TAB, CERTIFICATION_TAB = range(4)
_MODULE_PATH = re.compile(r"modules\[(\d+)\]\.(.+)")
ARCHIVED_NOTICE = "Программа в архиве: изменить её нельзя."
DEFAULT_DURATION_MONTHS = 9
MAX_LISTED_LINES = 4


def _today() -> date:
    return datetime.now().astimezone().date()


def new_program() -> Program:
    """An empty draft: ages 5 to 18, nine months, nothing chosen."""
    return Program(
        id=uuid.uuid4(),
        full_name="",
        short_name="",
        direction=None,
        kind=None,
        form=None,
        level=None,
        age_range=AgeRange.from_years(5, 18),
        duration_months=DEFAULT_DURATION_MONTHS,
    )


def tab_of(path: str) -> int:
    if ".groups[" in path:
        return GROUPS_TAB
    return MODULES_TAB if path.startswith("modules") else PROGRAM_TAB


class ProgramEditor(QDialog):
    saved = Signal(object)
    """The program as stored, after a save or a submission."""

    def __init__(
        self,
        programs: ProgramService,
        runner: TaskRunner,
        program: Program | None = None,
        *,
        waiting: bool = False,
        teachers: Sequence[str] = (),
        addresses: Sequence[str] = (),
        prompts: Prompts | None = None,
        today: Callable[[], date] = _today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._programs = programs
        self._runner = runner
        self._prompts = prompts or Prompts()
        self._stored = program
        self._program = program or new_program()
        self._waiting = waiting
        self._org_addresses = list(addresses)
        self._task: Task[Any] | None = None
        self._errors: dict[str, str] = {}
        self.read_only = self._program.status is CertificationStatus.ARCHIVED
        self.setMinimumSize(900, 620)
        self.resize(1040, 760)

        self.draft = ProgramDraft(self._program.modules, today, self)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.heading.setWordWrap(True)
        self.archived_notice = QLabel(ARCHIVED_NOTICE)
        self.archived_notice.setObjectName("formError")
        self.program_tab = ProgramTab(self._org_addresses)
        self.program_tab.load(self._program)
        self.modules_tab = ModulesTab(self.draft)
        self.groups_tab = GroupsTab(self.draft, teachers, self._lesson_addresses)
        self.certification_tab = CertificationTab()
        self.tabs = QTabWidget()
        for widget, title in zip(
            (self.program_tab, self.modules_tab, self.groups_tab, self.certification_tab), TAB_TITLES, strict=True
        ):
            self.tabs.addTab(widget, title)
        self.errors_heading = QLabel("Исправьте перед отправкой на сертификацию (щёлкните, чтобы перейти):")
        self.errors_heading.setObjectName("formError")
        self.error_list = wrapping_list(QListWidget())
        self.error_list.setObjectName("errorSummary")
        self.save_button = QPushButton("Сохранить")
        self.save_button.setToolTip("Сохранить изменения (Ctrl+S); без связи с сервером они отправятся позже")
        self.close_button = QPushButton("Закрыть")
        self._baseline = self.build_program()
        self._layout()
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter in a field (adding an address) must not press a button
        self._connect()
        if self.read_only:
            self._make_read_only()
        self.revalidate()

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.archived_notice)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.errors_heading)
        layout.addWidget(self.error_list)
        layout.addLayout(buttons)
        self.archived_notice.setVisible(self.read_only)

    def _connect(self) -> None:
        self.program_tab.edited.connect(self.revalidate)
        self.draft.edited.connect(self.revalidate)
        self.modules_tab.shown_changed.connect(self.revalidate)
        self.groups_tab.shown_changed.connect(self.revalidate)
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.close_button.clicked.connect(self.reject)
        self.certification_tab.submit_requested.connect(self.submit)
        self.error_list.itemActivated.connect(self._go_to_error)
        self.error_list.itemClicked.connect(self._go_to_error)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.activated.connect(lambda: self.save(None))
        self._runner.finished.connect(self._task_finished)
        self._listening = True

    def _make_read_only(self) -> None:
        for tab in (self.program_tab, self.modules_tab, self.groups_tab):
            tab.read_only = True
            set_read_only(tab)
        self.groups_tab.schedule_model.read_only = True
        self.save_button.hide()
        self.modules_tab.rebuild_list()
        self.groups_tab.rebuild()

    def _lesson_addresses(self) -> list[str]:
        """Addresses offered for a lesson: the program's first, then the organization's."""
        return list(dict.fromkeys([*self.program_tab.addresses(), *self._org_addresses]))

    def set_references(self, teachers: Sequence[str], addresses: Sequence[str]) -> None:
        """New pick lists after the organization's reference lists changed."""
        self._org_addresses = list(addresses)
        self.program_tab.set_address_choices(addresses)
        self.groups_tab.set_teachers(teachers)

    # ------------------------------------------------------------ state

    def build_program(self) -> Program:
        """The program as the form describes it now."""
        return dataclasses.replace(self._program, **self.program_tab.values(), modules=tuple(self.draft.modules))

    def is_dirty(self) -> bool:
        return not self.read_only and self.build_program() != self._baseline

    @property
    def busy(self) -> bool:
        return self._task is not None

    def status_text(self) -> str:
        if self._waiting and self._program.status is not CertificationStatus.ARCHIVED:
            return WAITING
        return self._program.status.label

    def errors(self) -> dict[str, str]:
        """The current problems by field path, validation's and the form's own (a price typed wrong)."""
        return dict(self._errors)

    def revalidate(self) -> None:
        program = self.build_program()
        errors: dict[str, str] = {}
        for error in self._programs.validate(program):
            errors[error.field] = f"{errors[error.field]}\n{error.message}" if error.field in errors else error.message
        errors.update(self.draft.input_error_paths())
        self._errors = errors
        shown = self.program_tab.show_errors(errors)
        shown |= self.modules_tab.show_errors(errors)
        shown |= self.groups_tab.show_errors(errors)
        self._list_errors([path for path in errors if path not in shown])
        for index, title in enumerate(TAB_TITLES):
            count = sum(1 for path in errors if tab_of(path) == index) if index != CERTIFICATION_TAB else 0
            self.tabs.setTabText(index, f"{title} ({count})" if count else title)
        self._show_state(program)

    def _show_state(self, program: Program) -> None:
        name = program.short_name or program.full_name
        self.heading.setText(f"Программа «{name}»" if self._stored is not None or name else "Новая программа")
        dirty = self.is_dirty()
        self.setWindowTitle(f"{'* ' if dirty else ''}{self.heading.text()} — {self.status_text()}")
        self.save_button.setEnabled(dirty and not self.busy)
        self.certification_tab.show_program(self.status_text(), program.modules, self._program.decisions)
        enabled, hint = self._submit_state(program, dirty)
        self.certification_tab.set_submit_state(enabled, hint)

    def _submit_state(self, program: Program, dirty: bool) -> tuple[bool, str]:
        status = self._program.status
        if self.read_only:
            return False, ARCHIVED_NOTICE
        if status is CertificationStatus.SUBMITTED:
            return False, "Программа на сертификации: дождитесь решения оператора (оно придёт при синхронизации)."
        if status is CertificationStatus.CERTIFIED and not (
            self._stored is not None and recertification_needed(self._stored, program)
        ):
            return False, "Программа сертифицирована. Её можно отправить снова, если изменить её содержание."
        if self._errors:
            return False, f"Сначала исправьте ошибки заполнения ({len(self._errors)}): они перечислены ниже."
        if self.busy:
            return False, ""
        return True, "Перед отправкой изменения будут сохранены." if dirty else ""

    # ------------------------------------------------------------ the error list

    def _list_errors(self, paths: list[str]) -> None:
        self.error_list.clear()
        for path in paths:
            item = QListWidgetItem(f"{self._place(path)}{self._errors[path]}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.error_list.addItem(item)
        self.errors_heading.setVisible(bool(paths))
        self.error_list.setVisible(bool(paths))
        lines = min(max(len(paths), 1), MAX_LISTED_LINES) + 1  # room for a message that wraps
        self.error_list.setFixedHeight(self.error_list.fontMetrics().lineSpacing() * lines + 8)

    def _place(self, path: str) -> str:
        """Where a problem is, in the clerk's words: «Модуль 2 «…», группа «…»: »."""
        parsed = group_path(path)
        modules = self.draft.modules
        if parsed is not None and parsed[0] < len(modules) and parsed[1] < len(modules[parsed[0]].groups):
            group = modules[parsed[0]].groups[parsed[1]]
            return f"Модуль {parsed[0] + 1}, группа «{group.name}»: "
        match = _MODULE_PATH.fullmatch(path)
        if match and int(match[1]) < len(modules):
            return f"Модуль {int(match[1]) + 1} «{modules[int(match[1])].name}»: "
        return ""

    def _go_to_error(self, item: QListWidgetItem) -> None:
        self.go_to(str(item.data(Qt.ItemDataRole.UserRole)))

    def go_to(self, path: str) -> None:
        """Show the tab, module and group a field path points at."""
        tab = tab_of(path)
        parsed = group_path(path)
        match = _MODULE_PATH.fullmatch(path)
        if parsed is not None:
            self.groups_tab.select(parsed[0], parsed[1])
        elif match is not None:
            self.modules_tab.select(int(match[1]))
        self.tabs.setCurrentIndex(tab)

    # ------------------------------------------------------------ saving

    def save(self, then: Callable[[Program], None] | None = None) -> None:
        """Save in the background; ``then`` runs with the stored program once it is saved."""
        if self.read_only or self.busy:
            return
        if self.draft.input_errors:
            self.go_to(next(iter(self.draft.input_error_paths()), "modules"))
            return
        program = self.build_program()
        if (
            self._stored is not None
            and recertification_needed(self._stored, program)
            and not self._prompts.confirm_recertification(self)
        ):
            return
        programs = self._programs
        self._run(
            "save program", lambda _control: programs.save(program), lambda saved: self._saved(program, saved, then)
        )

    def _saved(self, sent: Program, saved: Program, then: Callable[[Program], None] | None) -> None:
        self._stored = saved
        self._program = dataclasses.replace(self._program, status=saved.status, decisions=saved.decisions)
        self._baseline = dataclasses.replace(sent, status=saved.status, decisions=saved.decisions)
        self._waiting = True
        self.revalidate()
        self.saved.emit(saved)
        if then is not None:
            then(saved)

    def submit(self) -> None:
        """Send the program for certification, saving it first when it has unsaved changes."""
        enabled, _hint = self._submit_state(self.build_program(), self.is_dirty())
        if not enabled:
            return
        if self.is_dirty():
            self.save(then=self._submit)
        else:
            self._submit(self._program)

    def _submit(self, program: Program) -> None:
        programs = self._programs
        self._run("submit program", lambda _control: programs.submit(program.id), self._submitted)

    def _submitted(self, submitted: Program) -> None:
        self._stored = submitted
        self._program = dataclasses.replace(self._program, status=submitted.status, decisions=submitted.decisions)
        self._baseline = dataclasses.replace(self._baseline, status=submitted.status, decisions=submitted.decisions)
        self._waiting = True
        self.revalidate()
        self.saved.emit(submitted)

    def _run(self, name: str, work: Callable[[TaskControl], Program], on_success: Callable[[Program], None]) -> None:
        self._task = self._runner.run(Lane.DATABASE, name, work, on_success)
        self.save_button.setEnabled(False)
        self.certification_tab.submit_button.setEnabled(False)

    def _task_finished(self, task: Task[Any]) -> None:
        """Any outcome of our task ends the busy state; errors reach the clerk through the error presenter."""
        if task is self._task:
            self._task = None
            self.revalidate()

    # ------------------------------------------------------------ closing

    def reject(self) -> None:
        """Close (Esc, «Закрыть», the window's cross), asking first what to do with unsaved changes."""
        if self.busy:
            return
        if not self.is_dirty():
            self._close()
            return
        choice = self._prompts.ask_save_changes(self)
        if choice is SaveChoice.SAVE:
            self.save(then=lambda _saved: self._close())
        elif choice is SaveChoice.DISCARD:
            self._close()

    def _close(self) -> None:
        if self._listening:
            self._runner.finished.disconnect(self._task_finished)
            self._listening = False
        super().reject()
