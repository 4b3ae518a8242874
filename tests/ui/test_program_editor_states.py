"""The editor on a certified program (a confirmation, back to draft, resubmission) and on an archived one
(read-only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext
from desktop_app.domain.money import format_kopecks
from desktop_app.domain.program import CertificationStatus, Decision, Program
from tests.ui.programs_support import WAIT_MS, FakePrompts, bulk_insert, full_program, show_editor, wait_idle
from ui.program_editor import ProgramEditor
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


def test_editing_what_was_certified_asks_first_and_sends_it_back_to_draft(
    qtbot: QtBot,
    context: AppContext,
    runner: TaskRunner,
    prompts: FakePrompts,
    open_editor: Callable[[Program | None], ProgramEditor],
) -> None:
    decided = Decision(Status.CERTIFIED, "", "Оператор Кузбасса", datetime(2026, 8, 1, 10, tzinfo=UTC))
    program = full_program(status=Status.CERTIFIED, decisions=(decided,))
    certified = dataclasses.replace(
        program, modules=tuple(dataclasses.replace(item, normative=1_300_000) for item in program.modules)
    )
    bulk_insert(context.database, [certified])
    editor = open_editor(certified)
    assert editor.modules_tab.normative.text() == format_kopecks(1_300_000)
    assert not editor.certification_tab.submit_button.isEnabled()
    assert editor.certification_tab.status.text() == "Статус: сертифицирована"

    editor.groups_tab.name.setText("Группа 1-Б")  # groups are not what certification covers
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save_button.click()
    assert prompts.asked == []
    assert context.programs.get(program.id).status is Status.CERTIFIED  # type: ignore[union-attr]

    editor.program_tab.goals.setPlainText("Новые цели программы.")
    prompts.recertify = False
    editor.save_button.click()
    assert prompts.asked == ["recertification"] and not runner.busy and editor.is_dirty()
    prompts.recertify = True
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save_button.click()
    wait_idle(qtbot, runner)
    stored = context.programs.get(program.id)
    assert stored is not None and stored.status is Status.DRAFT and stored.goals == "Новые цели программы."
    assert editor.certification_tab.status.text() == "Статус: ждёт отправки"
    assert editor.certification_tab.submit_button.isEnabled()
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.certification_tab.submit_button.click()
    assert context.programs.get(program.id).status is Status.SUBMITTED  # type: ignore[union-attr]
    assert not editor.certification_tab.submit_button.isEnabled()


def test_an_archived_program_is_read_only(
    qtbot: QtBot, prompts: FakePrompts, open_editor: Callable[[Program | None], ProgramEditor]
) -> None:
    editor = open_editor(full_program(status=Status.ARCHIVED))
    assert editor.read_only and editor.archived_notice.isVisible()
    assert editor.archived_notice.text() == "Программа в архиве: изменить её нельзя."
    assert editor.program_tab.full_name.isReadOnly()
    assert not editor.program_tab.direction.isEnabled()
    assert not editor.program_tab.add_address_button.isEnabled()
    assert editor.save_button.isHidden()
    assert not editor.modules_tab.add_button.isEnabled() and not editor.modules_tab.remove_button.isEnabled()
    assert editor.modules_tab.name.isReadOnly() and editor.modules_tab.price.isReadOnly()
    groups = editor.groups_tab
    assert not groups.add_group_button.isEnabled() and not groups.add_lesson_button.isEnabled()
    assert not groups.schedule_model.flags(groups.schedule_model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not editor.certification_tab.submit_button.isEnabled()
    editor.save()
    with qtbot.waitSignal(editor.finished, timeout=WAIT_MS):
        editor.close_button.click()
    assert prompts.asked == []
