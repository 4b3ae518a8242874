"""The «Программы» page: the table model, search, filters and sorting over 5,000 programs, the actions, notices."""

from __future__ import annotations

import dataclasses
import itertools
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext
from desktop_app.domain.program import CertificationStatus, Decision, Direction, Program
from desktop_app.domain.program_summary import ProgramSummary
from desktop_app.domain.text import collation_key
from tests.ui.programs_support import (
    WAIT_MS,
    FakePrompts,
    bulk_insert,
    full_program,
    group,
    module,
    summary_of,
    type_text,
    wait_idle,
)
from tests.ui.test_screenshots import (
    MIN_DISTINCT_COLOURS,
    assert_glyphs_exist,
    assert_no_clipped_labels,
    distinct_colours,
)
from ui.models.programs_model import ProgramColumn, ProgramsFilter, ProgramsModel, SortKeyRole, SummaryRole
from ui.pages.programs_page import ProgramsPage
from ui.pages.programs_table import MIN_NAME_WIDTH
from ui.task_runner import TaskRunner

Status = CertificationStatus
MANY = 5_000
NAMES = ("Шахматы", "Ёлочка-затейница", "Елена Прекрасная: театр", "алгоритмика", "Робототехника", "Вокал")
STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.CERTIFIED, Status.REFUSED, Status.ARCHIVED)


def numbered(number: int) -> Program:
    """The n-th program of the big list: names, statuses, directions and places cycle."""
    name = f"{NAMES[number % len(NAMES)]} {number:04d}"
    one_group = group("Группа", capacity=10 + number % 7, taken=number % 5)
    return dataclasses.replace(
        full_program(name, f"П{number:04d}", status=STATUSES[number % len(STATUSES)]),
        direction=list(Direction)[number % len(Direction)],
        modules=(module("Модуль", one_group),),
    )


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


def make_page(qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts) -> ProgramsPage:
    page = ProgramsPage(context.programs, context.references, runner, prompts=prompts.prompts())
    qtbot.addWidget(page)
    page.resize(940, 720)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS * 3):
        page.refresh()
    return page


@pytest.fixture
def many(context: AppContext) -> list[Program]:
    programs = [numbered(number) for number in range(MANY)]
    bulk_insert(context.database, programs)
    return programs


def shown_rows(page: ProgramsPage) -> list[ProgramSummary]:
    return [page.proxy.program_row(row).summary for row in range(page.proxy.rowCount())]


def test_the_model_and_its_proxy_pass_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = ProgramsModel()
    model.set_summaries([summary_of(numbered(number), waiting=number % 2 == 0) for number in range(12)])
    qtmodeltester.check(model)
    proxy = ProgramsFilter(model)
    proxy.set_search("шах")
    qtmodeltester.check(proxy)
    model.sort(ProgramColumn.PLACES, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_rows_show_the_summary_and_keep_it_under_a_role() -> None:
    program = numbered(7)
    model = ProgramsModel()
    summary = summary_of(program, waiting=True)
    model.set_summaries([summary])
    texts = [model.index(0, column).data() for column in ProgramColumn]
    taken, capacity = program.modules[0].groups[0].taken, program.modules[0].groups[0].capacity
    assert texts == [
        program.full_name,
        program.direction.label if program.direction else "",
        "общеразвивающая",
        "от\u00a07 до\u00a012\u00a0лет",
        "1",
        "1",
        f"{taken} / {capacity}",
        "ждёт отправки",
    ]
    assert model.index(0, 0).data(SummaryRole) == summary
    assert model.headerData(ProgramColumn.PLACES, Qt.Orientation.Horizontal) == "Места\n(занято/всего)"


def test_five_thousand_programs_search_filter_and_sort(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts, many: list[Program]
) -> None:
    page = make_page(qtbot, context, runner, prompts)
    active = [program for program in many if program.status is not Status.ARCHIVED]
    assert page.model.rowCount() == MANY
    assert page.proxy.rowCount() == len(active)
    assert page.counter.text() == f"Показано программ: {len(active):,} из {MANY:,}".replace(",", "\u00a0")

    type_text(page.search, "ШАХМ")
    assert page.proxy.rowCount() == sum(1 for program in active if program.full_name.startswith("Шахматы"))
    page.search.clear()
    type_text(page.search, "елочка")  # «ё» is «е» for the search
    found = shown_rows(page)
    assert found and all(row.program.full_name.startswith("Ёлочка") for row in found)
    page.search.setText("п0042")  # the short name counts too
    assert [row.program.short_name for row in shown_rows(page)] == ["П0042"]
    page.search.clear()
    assert page.proxy.rowCount() == len(active)

    page.status_filter.setCurrentIndex(page.status_filter.findText("отказ"))
    assert {row.status_label for row in shown_rows(page)} == {"отказ"}
    page.status_filter.setCurrentIndex(page.status_filter.findText("в архиве"))
    assert page.proxy.rowCount() == MANY - len(active)  # asked for by status: shown without the switch
    page.status_filter.setCurrentIndex(0)
    page.direction_filter.setCurrentIndex(page.direction_filter.findText("художественная"))
    assert {row.program.direction for row in shown_rows(page)} == {Direction.ARTS}
    page.direction_filter.setCurrentIndex(0)
    page.show_archived.setChecked(True)
    assert page.proxy.rowCount() == MANY

    page.view.sortByColumn(ProgramColumn.PLACES, Qt.SortOrder.DescendingOrder)
    places = [row.places for row in shown_rows(page)]
    assert places == sorted(places, reverse=True)
    page.view.sortByColumn(ProgramColumn.NAME, Qt.SortOrder.AscendingOrder)
    names = [row.program.full_name for row in shown_rows(page)]
    assert names == sorted(names, key=collation_key)
    # «ё» sorts as «е»: after «Елена», before «Робототехника» (by code points it would come after «я»)
    assert names.index("Елена Прекрасная: театр 0002") < names.index("Ёлочка-затейница 0001")
    assert names.index("Ёлочка-затейница 0001") < names.index("Робототехника 0004")
    assert names[0].startswith("алгоритмика")  # case does not matter
    page.view.sortByColumn(ProgramColumn.STATUS, Qt.SortOrder.AscendingOrder)
    statuses = [row.status_label for row in shown_rows(page)]
    assert list(dict.fromkeys(statuses)) == ["черновик", "на сертификации", "сертифицирована", "отказ", "в архиве"]
    keys = [page.proxy.index(row, ProgramColumn.AGE).data(SortKeyRole) for row in range(3)]
    assert all(isinstance(key, int) for key in keys)


def test_sorting_keeps_the_selection_and_survives_a_refresh(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts
) -> None:
    programs = [numbered(number) for number in range(30)]
    bulk_insert(context.database, programs)
    page = make_page(qtbot, context, runner, prompts)
    chosen = programs[12]
    assert page.select_program(chosen.id)
    page.view.sortByColumn(ProgramColumn.PLACES, Qt.SortOrder.DescendingOrder)
    selected = page.selected()
    assert selected is not None and selected.program.id == chosen.id
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    selected = page.selected()
    assert selected is not None and selected.program.id == chosen.id
    places = [row.places for row in shown_rows(page)]
    assert places == sorted(places, reverse=True)


def test_submit_copy_and_archive_from_the_list(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts
) -> None:
    valid = context.programs.save(full_program("Шахматы для начинающих", "Шахматы"))
    incomplete = context.programs.save(dataclasses.replace(full_program("Танцы", "Танцы"), modules=()))
    page = make_page(qtbot, context, runner, prompts)
    assert {row.status_label for row in shown_rows(page)} == {"ждёт отправки"}

    page.select_program(incomplete.id)
    assert not page.submit_action.isEnabled()
    page.select_program(valid.id)
    assert page.submit_action.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.submit_action.trigger()
    assert context.programs.get(valid.id).status is Status.SUBMITTED  # type: ignore[union-attr]
    assert not page.submit_action.isEnabled()

    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.copy_action.trigger()
    copies = [row for row in shown_rows(page) if row.program.full_name == "Шахматы для начинающих"]
    assert len(copies) == 2
    selected = page.selected()
    assert selected is not None and selected.program.id != valid.id and selected.status_label == "ждёт отправки"
    assert "Создана копия программы «Шахматы»" in page.message.text()

    page.select_program(incomplete.id)
    prompts.archive = False
    page.archive_action.trigger()
    assert prompts.asked == ["archive Танцы"]
    assert not runner.busy
    prompts.archive = True
    with qtbot.waitSignal(page.programs_changed, timeout=WAIT_MS):
        page.archive_action.trigger()
    wait_idle(qtbot, runner)
    assert incomplete.id not in {row.program.id for row in shown_rows(page)}
    page.show_archived.setChecked(True)
    archived = next(row for row in shown_rows(page) if row.program.id == incomplete.id)
    assert archived.status_label == "в архиве"
    page.select_program(incomplete.id)
    assert not page.archive_action.isEnabled()
    operations = Counter(operation.op_type for operation in context.sync.queue())
    assert operations["program.submit"] == 1
    assert operations["program.archive"] == 1
    assert operations["program.create"] == 3


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen cannot raise the open editor
def test_double_click_or_enter_opens_the_editor_once(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts
) -> None:
    program = context.programs.save(full_program())
    page = make_page(qtbot, context, runner, prompts)
    page.show()
    qtbot.waitExposed(page)
    page.select_program(program.id)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: list(page.editors) == [program.id], timeout=WAIT_MS)  # the program is read first
    editor = page.editors[program.id]
    assert editor.program_tab.full_name.text() == program.full_name
    with qtbot.waitSignal(editor.finished, timeout=WAIT_MS):
        editor.close_button.click()
    assert page.editors == {}
    rect = page.view.visualRect(page.view.currentIndex())
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double click's
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # first press
    qtbot.waitUntil(lambda: list(page.editors) == [program.id], timeout=WAIT_MS)
    editor = page.editors[program.id]
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert list(page.editors) == [program.id] and page.editors[program.id] is editor  # the open one, not another
    with qtbot.waitSignal(editor.finished, timeout=WAIT_MS):
        editor.close_button.click()
    page.new_action.trigger()
    assert len(page.editors) == 1
    assert next(iter(page.editors.values())).heading.text() == "Новая программа"


def test_decisions_that_arrive_between_refreshes_become_notices(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts
) -> None:
    chess = full_program("Шахматы для начинающих", "Шахматы", status=Status.SUBMITTED)
    dance = full_program("Современный танец", "Танцы", status=Status.SUBMITTED)
    bulk_insert(context.database, [chess, dance])
    page = make_page(qtbot, context, runner, prompts)
    received: list[list[str]] = []
    page.notices.connect(received.append)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    assert received == []

    decided = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    with context.database.write() as work:  # what a sync applies: the operator's decisions
        work.programs.save(dataclasses.replace(chess, status=Status.CERTIFIED), decided)
        work.programs.save(dataclasses.replace(dance, status=Status.REFUSED), decided)
    with qtbot.waitSignal(page.notices, timeout=WAIT_MS) as signal:
        page.refresh()
    # in the list's order: alphabetical by full name («Современный танец» before «Шахматы…»)
    assert signal.args == [["Программа „Танцы“: отказ, см. замечание", "Программа „Шахматы“ сертифицирована"]]
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    assert len(received) == 1


def test_picture_of_the_list(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, prompts: FakePrompts, artifacts_dir: Path
) -> None:
    remark = Decision(Status.REFUSED, "Уточните ожидаемые результаты.", "Оператор", datetime(2026, 8, 1, tzinfo=UTC))
    programs = [
        full_program(name, name.split()[0], status=status, direction=direction, decisions=(remark,))
        for name, status, direction in zip(
            (
                "Робототехника и программирование микроконтроллеров для начинающих инженеров",
                "Шахматы: от первых ходов до разряда",
                "Туристско-краеведческий клуб «Следопыт»",
                "Ёлочка: хореография для самых маленьких",
                "Юный натуралист",
                "Английский язык в играх",
                "Футбол",
            ),
            itertools.cycle(STATUSES[:4]),
            itertools.cycle(Direction),
            strict=False,
        )
    ]
    bulk_insert(context.database, programs)
    context.programs.save(full_program("Вокальная студия «Звонкие голоса»", "Вокал"))
    page = make_page(qtbot, context, runner, prompts)
    page.select_program(programs[1].id)
    page.show()
    qtbot.waitExposed(page)
    image = page.grab().toImage()
    assert image.save(str(artifacts_dir / "programs-list.png"))
    assert distinct_colours(image) >= MIN_DISTINCT_COLOURS
    assert_glyphs_exist(page)
    assert_no_clipped_labels(page)
    assert uuid.UUID(str(programs[1].id)) == page.selected().program.id  # type: ignore[union-attr]
    page.resize(1500, 720)  # a maximized window on a common laptop screen: every column without scrolling
    qtbot.waitUntil(lambda: not page.view.horizontalScrollBar().isVisible(), timeout=WAIT_MS)
    assert page.view.horizontalHeader().sectionSize(ProgramColumn.NAME) > MIN_NAME_WIDTH
    assert page.grab().save(str(artifacts_dir / "programs-list-wide.png"))
    assert_no_clipped_labels(page)
