"""Helpers of the programs UI tests: complete programs, a bulk loader, prompts answered by the test.

``bulk_insert`` writes thousands of program trees with a few multi-row INSERTs (saving them one by one
through the repository takes about 17 s for 5,000); the rows are exactly what the repository would write.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from desktop_app.bootstrap import AppContext
from desktop_app.domain.age import AgeRange
from desktop_app.domain.program import (
    CertificationStatus,
    Decision,
    Direction,
    Group,
    Level,
    Module,
    Program,
    ProgramKind,
    ScheduleEntry,
    StudyForm,
    Weekday,
)
from desktop_app.domain.program_summary import ProgramHeader, ProgramSummary
from desktop_app.storage.database import Database
from desktop_app.storage.models import GroupRow, ModuleRow, ProgramDecisionRow, ProgramRow, ScheduleEntryRow
from ui.program_editor import ProgramEditor
from ui.program_editor.prompts import Prompts, SaveChoice
from ui.task_runner import TaskRunner

WAIT_MS = 10_000
NOW = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)
ADDRESS = "г. Кемерово, ул. Весенняя, д. 5"
SECOND_ADDRESS = "г. Кемерово, пр. Ленина, д. 10"
TEACHER = "Петрова Анна Сергеевна"


def lesson(weekday: Weekday, starts: time, ends: time, room: str = "каб. 12") -> ScheduleEntry:
    return ScheduleEntry(uuid.uuid4(), weekday, starts, ends, room, ADDRESS)


def group(name: str, *lessons: ScheduleEntry, teacher: str = TEACHER, capacity: int = 12, taken: int = 0) -> Group:
    return Group(uuid.uuid4(), name, teacher, date(2026, 9, 1), date(2027, 5, 31), capacity, lessons, taken)


def module(name: str, *groups: Group, price: int = 1_200_050, normative: int | None = None) -> Module:
    return Module(
        uuid.uuid4(), name, 9, 72, 5, 15, price, "Высшее педагогическое образование", normative, groups=groups
    )


def full_program(
    full_name: str = "Робототехника и программирование для начинающих",
    short_name: str = "Робототехника",
    *,
    status: CertificationStatus = CertificationStatus.DRAFT,
    direction: Direction = Direction.TECHNICAL,
    modules: tuple[Module, ...] | None = None,
    decisions: tuple[Decision, ...] = (),
) -> Program:
    """A complete, valid program: two modules, a group each, two lessons a week."""
    if modules is None:
        modules = (
            module(
                "Первый год обучения",
                group("Группа 1-А", lesson(Weekday.MONDAY, time(15), time(16, 30)), taken=3),
            ),
            module(
                "Второй год обучения",
                group("Группа 2-А", lesson(Weekday.TUESDAY, time(15), time(16, 30)), teacher="Сидоров Иван Павлович"),
            ),
        )
    return Program(
        id=uuid.uuid4(),
        full_name=full_name,
        short_name=short_name,
        direction=direction,
        kind=ProgramKind.GENERAL_DEVELOPMENTAL,
        form=StudyForm.FULL_TIME,
        level=Level.BASIC,
        age_range=AgeRange.from_years(7, 12),
        duration_months=18,
        annotation="Конструирование и программирование роботов.",
        goals="Развитие инженерного мышления.",
        expected_results="Участие в соревнованиях.",
        final_document="Свидетельство об обучении",
        addresses=(ADDRESS,),
        status=status,
        modules=modules,
        decisions=decisions,
    )


def summary_of(program: Program, *, waiting: bool = False) -> ProgramSummary:
    """The list's row of a whole program, counted as the repository counts a stored one."""
    groups = [one for item in program.modules for one in item.groups]
    header = ProgramHeader(
        program.id,
        program.full_name,
        program.short_name,
        program.direction,
        program.kind,
        program.age_range,
        program.status,
    )
    taken, capacity = sum(one.taken for one in groups), sum(one.capacity for one in groups)
    return ProgramSummary(header, len(program.modules), len(groups), taken, capacity, waiting)


def bulk_insert(database: Database, programs: Iterable[Program]) -> None:
    """Write whole program trees in one transaction with multi-row INSERTs."""
    rows: dict[type, list[dict[str, object]]] = {
        ProgramRow: [],
        ModuleRow: [],
        GroupRow: [],
        ScheduleEntryRow: [],
        ProgramDecisionRow: [],
    }
    for program in programs:
        rows[ProgramRow].append(_program_row(program))
        rows[ProgramDecisionRow] += [
            {
                "program_id": program.id,
                "decision": decision.decision.value,
                "remark": decision.remark,
                "author": decision.author,
                "decided_at": decision.decided_at,
            }
            for decision in program.decisions
        ]
        for position, item in enumerate(program.modules):
            rows[ModuleRow].append(_module_row(item, program.id, position))
            for group_position, one in enumerate(item.groups):
                rows[GroupRow].append(_group_row(one, item.id, group_position))
                rows[ScheduleEntryRow] += [
                    {
                        "id": entry.id,
                        "group_id": one.id,
                        "position": entry_position,
                        "weekday": int(entry.weekday),
                        "starts_at": entry.starts_at,
                        "ends_at": entry.ends_at,
                        "room": entry.room,
                        "address": entry.address,
                    }
                    for entry_position, entry in enumerate(one.schedule)
                ]
    with database.engine.begin() as connection:
        for table, values in rows.items():
            if values:
                connection.execute(insert(table), values)


def _program_row(program: Program) -> dict[str, object]:
    return {
        "id": program.id,
        "full_name": program.full_name,
        "short_name": program.short_name,
        "direction": program.direction.value if program.direction else None,
        "kind": program.kind.value if program.kind else None,
        "form": program.form.value if program.form else None,
        "level": program.level.value if program.level else None,
        "distance_technologies": program.distance_technologies,
        "age_from_months": program.age_range.from_months,
        "age_to_months": program.age_range.to_months,
        "duration_months": program.duration_months,
        "annotation": program.annotation,
        "goals": program.goals,
        "expected_results": program.expected_results,
        "medical_certificate_required": program.medical_certificate_required,
        "accessible_for_disabled": program.accessible_for_disabled,
        "final_document": program.final_document,
        "addresses_json": json.dumps(list(program.addresses), ensure_ascii=False),
        "status": program.status.value,
        "created_at": NOW,
        "updated_at": NOW,
    }


def _module_row(item: Module, program_id: uuid.UUID, position: int) -> dict[str, object]:
    return {
        "id": item.id,
        "program_id": program_id,
        "position": position,
        "name": item.name,
        "months": item.months,
        "hours": item.hours,
        "min_group_size": item.min_group_size,
        "max_group_size": item.max_group_size,
        "teacher_qualification": item.teacher_qualification,
        "price": item.price,
        "normative": item.normative,
    }


def _group_row(one: Group, module_id: uuid.UUID, position: int) -> dict[str, object]:
    return {
        "id": one.id,
        "module_id": module_id,
        "position": position,
        "name": one.name,
        "teacher": one.teacher,
        "start_date": one.start_date,
        "end_date": one.end_date,
        "capacity": one.capacity,
        "taken": one.taken,
    }


@dataclass
class FakePrompts:
    """Answers the editor's and the page's questions as the test says, and remembers what was asked."""

    save_choice: SaveChoice = SaveChoice.DISCARD
    recertify: bool = True
    archive: bool = True
    asked: list[str] = field(default_factory=list)

    def prompts(self) -> Prompts:
        return Prompts(
            ask_save_changes=self._ask_save_changes,
            confirm_recertification=self._confirm_recertification,
            confirm_archive=self._confirm_archive,
        )

    def _ask_save_changes(self, _parent: QWidget) -> SaveChoice:
        self.asked.append("save changes")
        return self.save_choice

    def _confirm_recertification(self, _parent: QWidget) -> bool:
        self.asked.append("recertification")
        return self.recertify

    def _confirm_archive(self, _parent: QWidget, name: str) -> bool:
        self.asked.append(f"archive {name}")
        return self.archive


def show_editor(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts, program: Program | None
) -> ProgramEditor:
    """An editor of the program (a new one for None) on screen, with two teachers and two addresses to pick."""
    editor = ProgramEditor(
        context.programs,
        runner,
        program,
        teachers=[TEACHER, "Сидоров Иван Павлович"],
        addresses=[ADDRESS, SECOND_ADDRESS],
        prompts=prompts.prompts(),
    )
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def type_text(widget: QWidget, text: str) -> None:
    """Type text key by key, as a keyboard would (QTest's keyClicks knows only ASCII, not Cyrillic)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def wait_idle(qtbot: QtBot, runner: TaskRunner) -> None:
    """Until every queued task has run and delivered its outcome."""
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
