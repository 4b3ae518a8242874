"""Pictures of the programs section under test-artifacts/: every editor tab, the remark history, the form
with its messages, the reference lists; each checked for real content, Cyrillic glyphs and uncut labels."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext
from desktop_app.domain.program import CertificationStatus, Decision, Weekday
from tests.ui.programs_support import WAIT_MS, FakePrompts, full_program, group, lesson, module
from tests.ui.test_screenshots import (
    MIN_DISTINCT_COLOURS,
    assert_glyphs_exist,
    assert_no_clipped_labels,
    distinct_colours,
)
from ui.program_editor import ProgramEditor
from ui.reference_lists_dialog import ReferenceListsDialog
from ui.task_runner import TaskRunner

Status = CertificationStatus
TEACHERS = ["Петрова Анна Сергеевна", "Сидоров Иван Павлович", "Константинопольская Екатерина Александровна"]
LONG_REMARK = (
    "Уточните ожидаемые результаты второго года обучения: они повторяют результаты первого года. "
    "Цена модуля «Второй год обучения» выше нормативной стоимости, снизьте её или обоснуйте."
)


def picture(widget: QWidget, path: Path) -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # what the event loop does before painting
    image = widget.grab().toImage()
    assert image.save(str(path))
    assert distinct_colours(image, step=2) >= MIN_DISTINCT_COLOURS, f"{path.name} looks blank"
    assert_glyphs_exist(widget)
    assert_no_clipped_labels(widget)


def decisions() -> tuple[Decision, ...]:
    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 8, day, hour, 15, tzinfo=UTC)

    return (
        Decision(Status.REFUSED, LONG_REMARK, "Иванова Н. П., региональный модельный центр", at(20, 11)),
        Decision(Status.SUBMITTED, "", "", at(18, 9)),
        Decision(Status.REFUSED, "Не указаны адреса проведения занятий.", "Иванова Н. П.", at(12, 16)),
        Decision(Status.SUBMITTED, "", "", at(10, 10)),
    )


def refused_program() -> object:
    first = module(
        "Первый год обучения: основы конструирования",
        group(
            "Группа 1-А (понедельник и четверг)",
            lesson(Weekday.MONDAY, time(15), time(16, 30)),
            lesson(Weekday.THURSDAY, time(15), time(16, 30), room="актовый зал"),
            taken=7,
        ),
        group("Группа 1-Б", lesson(Weekday.MONDAY, time(16), time(17, 30), room="каб. 14"), taken=2),
        normative=1_300_000,
    )
    second = module(
        "Второй год обучения",
        group("Группа 2-А", lesson(Weekday.TUESDAY, time(17), time(18, 30)), teacher=TEACHERS[2]),
        price=1_500_000,
        normative=1_400_000,
    )
    return full_program(status=Status.REFUSED, modules=(first, second), decisions=decisions())


@pytest.fixture
def editor_of(qtbot: QtBot, context: AppContext, runner: TaskRunner) -> object:
    def make(program: object) -> ProgramEditor:
        editor = ProgramEditor(
            context.programs,
            runner,
            program,  # type: ignore[arg-type]
            teachers=TEACHERS,
            addresses=["г. Кемерово, ул. Весенняя, д. 5", "г. Кемерово, пр. Ленина, д. 10"],
            prompts=FakePrompts().prompts(),
        )
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        return editor

    return make


def test_pictures_of_every_editor_tab(editor_of: object, artifacts_dir: Path) -> None:
    editor: ProgramEditor = editor_of(refused_program())  # type: ignore[operator]
    editor.groups_tab.select(0, 0)
    for index, name in enumerate(("program", "modules", "groups", "certification")):
        editor.tabs.setCurrentIndex(index)
        picture(editor, artifacts_dir / f"editor-{index + 1}-{name}.png")
    editor.tabs.setCurrentWidget(editor.certification_tab)
    assert editor.certification_tab.decisions_model.rowCount() == 4
    assert editor.certification_tab.decisions_model.index(0, 3).data() == LONG_REMARK  # newest first
    picture(editor.certification_tab, artifacts_dir / "editor-remarks.png")


def test_picture_of_a_new_program_with_its_messages(editor_of: object, artifacts_dir: Path) -> None:
    editor: ProgramEditor = editor_of(None)  # type: ignore[operator]
    editor.program_tab.full_name.setText("Шахматы")
    editor.program_tab.age_to.years.setValue(4)
    picture(editor, artifacts_dir / "editor-new-messages.png")
    editor.modules_tab.add_button.click()
    editor.modules_tab.price.setText("12,345")
    editor.tabs.setCurrentWidget(editor.modules_tab)
    picture(editor, artifacts_dir / "editor-new-module-messages.png")


def test_picture_of_an_archived_program(editor_of: object, artifacts_dir: Path) -> None:
    program = dataclasses.replace(full_program(), status=Status.ARCHIVED)
    editor: ProgramEditor = editor_of(program)  # type: ignore[operator]
    editor.tabs.setCurrentWidget(editor.modules_tab)
    picture(editor, artifacts_dir / "editor-archived.png")


def test_pictures_of_the_reference_lists(
    qtbot: QtBot, context: AppContext, runner: TaskRunner, artifacts_dir: Path
) -> None:
    for name, category in zip(TEACHERS, ("высшая", "первая", "без категории"), strict=True):
        context.references.save_teacher(name, category)
    archived = context.references.save_teacher("Уволившийся Пётр Петрович", "первая")
    context.references.archive_teacher(archived.id)
    context.references.save_address("г. Кемерово, ул. Весенняя, д. 5", "вход со двора, 2-й этаж")
    context.references.save_address("г. Кемерово, пр. Ленина, д. 10, Дом детского творчества", "")
    dialog = ReferenceListsDialog(context.references, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS):
        dialog.show()
    qtbot.waitExposed(dialog)
    dialog.teachers.show_archived.setChecked(True)
    picture(dialog, artifacts_dir / "reference-teachers.png")
    dialog.tabs.setCurrentWidget(dialog.addresses)
    picture(dialog, artifacts_dir / "reference-addresses.png")
    form = dialog.edit_address(None)
    qtbot.waitExposed(form)
    form.buttons.button(form.buttons.StandardButton.Save).click()
    picture(form, artifacts_dir / "reference-address-form.png")
    form.reject()
