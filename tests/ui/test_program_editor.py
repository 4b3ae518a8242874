"""The program editor through its widgets: a program made from scratch, validation as you type, the guard
against losing changes, overlapping lessons, a certified program edited, an archived one read-only."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, time

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QComboBox, QTableView, QTimeEdit, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext
from desktop_app.domain.program import CertificationStatus, Decision, Program, Weekday
from tests.ui.programs_support import (
    ADDRESS,
    SECOND_ADDRESS,
    WAIT_MS,
    FakePrompts,
    full_program,
    group,
    lesson,
    module,
    show_editor,
    wait_idle,
)
from ui.pages.programs_page import ProgramsPage
from ui.program_editor import ProgramEditor, SaveChoice
from ui.program_editor.schedule_model import ProblemsRole, ScheduleColumn, ScheduleModel
from ui.program_editor.widgets import PRICE_FORMAT_MESSAGE
from ui.task_runner import TaskRunner

Status = CertificationStatus


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def open_editor(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts
) -> Callable[[Program | None], ProgramEditor]:
    return lambda program: show_editor(qtbot, context, runner, prompts, program)


def choose(box: QComboBox, text: str) -> None:
    index = box.findText(text)
    assert index >= 0, f"no «{text}» in the list"
    box.setCurrentIndex(index)


def edit_cell(qtbot: QtBot, view: QTableView, row: int, column: int, fill: Callable[[QWidget], None]) -> None:
    """Open the cell's editor as a double click would, fill it, press Enter."""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    widget = view.indexWidget(index)
    assert widget is not None, "the cell did not open an editor"
    fill(widget)
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None, timeout=WAIT_MS)  # committed (a queued call)


def set_lesson(qtbot: QtBot, view: QTableView, row: int, day: Weekday, starts: str, ends: str, room: str) -> None:
    def weekday(widget: QWidget) -> None:
        assert isinstance(widget, QComboBox)
        choose(widget, day.label)

    def clock(text: str) -> Callable[[QWidget], None]:
        def fill(widget: QWidget) -> None:
            assert isinstance(widget, QTimeEdit)
            widget.setTime(QTime.fromString(text, "HH:mm"))

        return fill

    edit_cell(qtbot, view, row, ScheduleColumn.WEEKDAY, weekday)
    edit_cell(qtbot, view, row, ScheduleColumn.STARTS, clock(starts))
    edit_cell(qtbot, view, row, ScheduleColumn.ENDS, clock(ends))
    edit_cell(qtbot, view, row, ScheduleColumn.ROOM, lambda widget: widget.setProperty("text", room))


# ------------------------------------------------------------ the whole way through the widgets


def test_a_program_with_two_modules_two_groups_and_schedules_is_made_and_saved(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts
) -> None:
    context.references.save_teacher("Петрова Анна Сергеевна", "высшая")
    context.references.save_teacher("Сидоров Иван Павлович", "первая")
    context.references.save_address(ADDRESS, "вход со двора")
    page = ProgramsPage(context.programs, context.references, runner, prompts=prompts.prompts())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    page.new_action.trigger()
    (editor,) = page.editors.values()
    qtbot.waitExposed(editor)

    tab = editor.program_tab
    tab.full_name.setText("Шахматы: от первых ходов до разряда")
    tab.short_name.setText("Шахматы")
    choose(tab.direction, "социально-гуманитарная")
    choose(tab.kind, "общеразвивающая")
    choose(tab.form, "очная")
    choose(tab.level, "стартовый")
    tab.age_from.years.setValue(6)
    tab.age_from.months.setValue(6)
    tab.age_to.years.setValue(12)
    tab.duration.setValue(18)
    tab.annotation.setPlainText("Шахматы для детей, которые знают, как ходят фигуры.")
    tab.goals.setPlainText("Развитие логического мышления.")
    tab.expected_results.setPlainText("Первый юношеский разряд.\nУчастие в турнирах.")
    tab.accessible.setChecked(True)
    tab.final_document.setText("Свидетельство об обучении")
    choose(tab.address_input, ADDRESS)
    tab.add_address_button.click()
    tab.address_input.setEditText(SECOND_ADDRESS)
    tab.add_address_button.click()
    assert tab.addresses() == [ADDRESS, SECOND_ADDRESS]

    modules = editor.modules_tab
    for name, price in (("Первый год обучения", "12 000,50"), ("Второй год обучения", "13000")):
        modules.add_button.click()
        modules.name.setText(name)
        modules.hours.setValue(72)
        modules.min_group.setValue(5)
        modules.max_group.setValue(15)
        modules.qualification.setText("Первый разряд по шахматам")
        modules.price.setText(price)
    assert [module.price for module in editor.draft.modules] == [1_200_050, 1_300_000]

    groups = editor.groups_tab
    plan = (
        (
            "Группа 1-А",
            "Петрова Анна Сергеевна",
            [(Weekday.MONDAY, "15:00", "16:30"), (Weekday.THURSDAY, "15:00", "16:30")],
        ),
        ("Группа 2-А", "Сидоров Иван Павлович", [(Weekday.TUESDAY, "17:00", "18:30")]),
    )
    for module_index, (name, teacher, lessons) in enumerate(plan):
        editor.tabs.setCurrentWidget(groups)
        groups.module_choice.setCurrentIndex(module_index)
        groups.add_group_button.click()
        groups.name.setText(name)
        choose(groups.teacher, teacher)
        groups.start_date.setDate(QDate(2026, 9, 1))
        groups.end_date.setDate(QDate(2027, 5, 31))
        groups.capacity.setValue(12)
        for day, starts, ends in lessons:
            groups.add_lesson_button.click()
            set_lesson(qtbot, groups.schedule_view, groups.schedule_model.rowCount() - 1, day, starts, ends, "каб. 7")
    assert editor.errors() == {}
    assert editor.certification_tab.submit_button.isEnabled()

    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        editor.save_button.click()
    wait_idle(qtbot, runner)
    row = page.selected()
    assert row is not None and row.status_label == "ждёт отправки"
    stored = context.programs.get(row.program.id)
    assert stored == editor.build_program()
    assert stored.age_range.from_months == 78 and stored.accessible_for_disabled  # type: ignore[union-attr]
    first, second = stored.modules  # type: ignore[union-attr]
    assert [entry.weekday for entry in first.groups[0].schedule] == [Weekday.MONDAY, Weekday.THURSDAY]
    assert second.groups[0].schedule[0].starts_at == time(17, 0)
    assert second.groups[0].schedule[0].address == ADDRESS  # the program's first address by default
    queue = context.sync.queue()
    assert Counter(operation.op_type for operation in queue) == {
        "teacher.create": 2,
        "address.create": 1,
        "program.create": 1,
        "module.create": 2,
        "group.create": 2,
        "schedule.create": 3,
    }
    prices = [operation.payload["price"] for operation in queue if operation.op_type == "module.create"]
    assert prices == [1_200_050, 1_300_000]
    assert not editor.is_dirty()
    assert editor.windowTitle() == "Программа «Шахматы» — ждёт отправки"


# ------------------------------------------------------------ validation as you type


def test_messages_appear_next_to_their_fields_and_go_when_fixed(
    open_editor: Callable[[Program | None], ProgramEditor],
) -> None:
    editor = open_editor(None)
    name = editor.program_tab.fields["full_name"]
    assert name.error.isVisible() and name.error.text() == "Укажите полное название программы."
    assert editor.tabs.tabText(0).startswith("Программа (")
    editor.program_tab.full_name.setText("Шахматы")
    assert not name.error.isVisible()

    age = editor.program_tab.fields["age_range"]
    editor.program_tab.age_to.years.setValue(5)
    assert age.error.text() == "Возраст «до» должен быть больше возраста «от»."
    editor.program_tab.age_to.years.setValue(12)
    assert age.error.isHidden()

    editor.tabs.setCurrentWidget(editor.modules_tab)
    modules = editor.modules_tab
    assert modules.list_error.text() == "Добавьте хотя бы один модуль."
    modules.add_button.click()
    assert modules.list_error.isHidden()
    price = modules.fields["price"]
    modules.price.setText("12,345")
    assert price.error.isVisible() and price.error.text() == PRICE_FORMAT_MESSAGE
    assert not editor.certification_tab.submit_button.isEnabled()
    modules.price.setText("12 345,60")
    assert price.error.isHidden()
    assert editor.draft.modules[0].price == 1_234_560

    editor.tabs.setCurrentWidget(editor.groups_tab)
    groups = editor.groups_tab
    groups.add_group_button.click()
    capacity = groups.fields["capacity"]
    groups.capacity.setValue(40)
    assert capacity.error.text() == "Мест в группе больше, чем допускает модуль: не более 15."
    groups.capacity.setValue(15)
    assert capacity.error.isHidden()
    teacher = groups.fields["teacher"]
    assert teacher.error.text() == "Укажите педагога группы."
    groups.teacher.setEditText("Новикова Ольга Викторовна")
    assert teacher.error.isHidden()

    groups.add_lesson_button.click()
    editor.groups_tab.schedule_model.setData(
        groups.schedule_model.index(0, ScheduleColumn.ENDS), QTime(14, 0), Qt.ItemDataRole.EditRole
    )
    check = groups.schedule_model.index(0, ScheduleColumn.CHECK)
    assert check.data() == "Занятие должно заканчиваться позже, чем начинается."
    groups.schedule_model.setData(groups.schedule_model.index(0, ScheduleColumn.ENDS), QTime(16, 0))
    assert check.data() == "нет замечаний"


def test_problems_out_of_sight_are_listed_below_and_lead_to_their_place(
    open_editor: Callable[[Program | None], ProgramEditor],
) -> None:
    program = full_program()
    broken = dataclasses.replace(program.modules[0], name="", hours=0)
    editor = open_editor(dataclasses.replace(program, modules=(broken, program.modules[1])))
    editor.modules_tab.select(1)
    assert editor.error_list.isVisible()
    texts = [editor.error_list.item(row).text() for row in range(editor.error_list.count())]
    assert texts == [
        "Модуль 1 «»: Укажите название модуля.",
        "Модуль 1 «»: Укажите число часов модуля: хотя бы один час.",
    ]
    assert editor.tabs.tabText(1) == "Модули (2)"
    editor.error_list.itemClicked.emit(editor.error_list.item(0))
    assert editor.tabs.currentWidget() is editor.modules_tab
    assert editor.modules_tab.current_index() == 0
    assert editor.modules_tab.fields["name"].error.text() == "Укажите название модуля."
    assert editor.error_list.isHidden()


# ------------------------------------------------------------ closing with unsaved changes


def test_closing_with_unsaved_changes_asks_what_to_do(
    qtbot: QtBot,
    context: AppContext,
    runner: TaskRunner,
    prompts: FakePrompts,
    open_editor: Callable[[Program | None], ProgramEditor],
) -> None:
    program = context.programs.save(full_program())
    untouched = open_editor(program)
    with qtbot.waitSignal(untouched.finished, timeout=WAIT_MS):
        untouched.close_button.click()
    assert prompts.asked == []

    editor = open_editor(program)
    editor.program_tab.full_name.setText("Робототехника: новое название")
    assert editor.windowTitle().startswith("* ")
    prompts.save_choice = SaveChoice.CANCEL
    editor.close_button.click()
    assert prompts.asked == ["save changes"] and editor.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert prompts.asked == ["save changes"] * 2 and editor.isVisible()

    prompts.save_choice = SaveChoice.DISCARD
    with qtbot.waitSignal(editor.finished, timeout=WAIT_MS):
        editor.close()
    assert context.programs.get(program.id).full_name == program.full_name  # type: ignore[union-attr]

    editor = open_editor(program)
    editor.program_tab.full_name.setText("Робототехника: новое название")
    prompts.save_choice = SaveChoice.SAVE
    with qtbot.waitSignal(editor.finished, timeout=WAIT_MS):
        editor.close_button.click()
    wait_idle(qtbot, runner)
    assert context.programs.get(program.id).full_name == "Робототехника: новое название"  # type: ignore[union-attr]


# ------------------------------------------------------------ overlapping lessons


def test_overlapping_lessons_of_one_teacher_are_flagged(open_editor: Callable[[Program | None], ProgramEditor]) -> None:
    monday = lesson(Weekday.MONDAY, time(15), time(16, 30), room="каб. 1")
    clash = lesson(Weekday.MONDAY, time(16), time(17), room="каб. 2")
    program = full_program(
        modules=(module("Первый год", group("Группа 1-А", monday)), module("Второй год", group("Группа 2-А", clash)))
    )
    editor = open_editor(program)
    groups = editor.groups_tab
    editor.tabs.setCurrentWidget(groups)
    check = groups.schedule_model.index(0, ScheduleColumn.CHECK)
    assert check.data() == "Пересекается с занятием группы «Группа 2-А» (пн 16:00–17:00): тот же педагог."
    assert check.data(Qt.ItemDataRole.DecorationRole) is not None
    assert editor.errors() == {}  # a warning, not an error: the program can still be submitted
    groups.module_choice.setCurrentIndex(1)
    assert (
        groups.schedule_model.index(0, ScheduleColumn.CHECK)
        .data()
        .startswith("Пересекается с занятием группы «Группа 1-А»")
    )
    groups.schedule_model.setData(groups.schedule_model.index(0, ScheduleColumn.STARTS), QTime(16, 30))
    assert groups.schedule_model.index(0, ScheduleColumn.CHECK).data(ProblemsRole) == []
    groups.module_choice.setCurrentIndex(0)
    assert groups.schedule_model.index(0, ScheduleColumn.CHECK).data() == "нет замечаний"


# ------------------------------------------------------------ models


def test_the_editor_table_models_pass_the_model_tester(
    qtmodeltester: ModelTester, open_editor: Callable[[Program | None], ProgramEditor]
) -> None:
    schedule = ScheduleModel()
    schedule.set_entries([lesson(Weekday.MONDAY, time(15), time(16)), lesson(Weekday.FRIDAY, time(9), time(10))])
    schedule.set_problems({1: ["Пересекается с занятием группы «Б» (пн 15:00–16:00): тот же педагог."]})
    qtmodeltester.check(schedule)
    decided = Decision(Status.REFUSED, "Уточните цели.", "Оператор", datetime(2026, 8, 1, tzinfo=UTC))
    editor = open_editor(full_program(status=Status.REFUSED, decisions=(decided,)))
    qtmodeltester.check(editor.certification_tab.decisions_model)
    qtmodeltester.check(editor.certification_tab.normatives_model)
    qtmodeltester.check(editor.groups_tab.schedule_model)


def test_enter_in_the_address_field_adds_the_address_and_does_not_save(
    qtbot: QtBot, runner: TaskRunner, open_editor: Callable[[Program | None], ProgramEditor]
) -> None:
    editor = open_editor(full_program())
    address = editor.program_tab.address_input
    address.setEditText(SECOND_ADDRESS)
    line = address.lineEdit()
    assert line is not None
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert editor.program_tab.addresses() == [ADDRESS, SECOND_ADDRESS]
    assert not runner.busy and editor.is_dirty() and editor.isVisible()
