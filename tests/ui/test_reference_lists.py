"""«Педагоги и адреса»: teachers and addresses added, edited and archived through the dialog, offline."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.bootstrap import AppContext
from tests.ui.programs_support import WAIT_MS, FakePrompts, wait_idle
from ui.pages.programs_page import ProgramsPage
from ui.reference_lists_dialog import RecordForm, ReferenceListsDialog
from ui.task_runner import TaskRunner


class Confirm:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: QWidget, text: str) -> bool:
        self.asked.append(text)
        return self.answer


@pytest.fixture
def confirm() -> Confirm:
    return Confirm(True)


@pytest.fixture
def dialog(qtbot: QtBot, context: AppContext, runner: TaskRunner, confirm: Confirm) -> ReferenceListsDialog:
    made = ReferenceListsDialog(context.references, runner, confirm=confirm)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    wait_idle(qtbot, runner)
    return made


def save(qtbot: QtBot, dialog: ReferenceListsDialog, form: RecordForm) -> None:
    """Press «Сохранить» and wait until the lists show the change."""
    with qtbot.waitSignal(dialog.changed, timeout=WAIT_MS), qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def fields(form: RecordForm) -> list[QWidget]:
    return [widget for widget in form.findChildren(QWidget) if isinstance(widget, QLineEdit | QComboBox)]


def test_a_teacher_is_added_edited_and_archived(
    qtbot: QtBot, context: AppContext, dialog: ReferenceListsDialog, confirm: Confirm
) -> None:
    teachers = dialog.teachers
    assert teachers.model.rowCount() == 0 and not teachers.edit_button.isEnabled()
    teachers.add_button.click()
    form = dialog.form
    assert form is not None and form.windowTitle() == "Новый педагог"
    name, category = form.findChild(QLineEdit), form.findChild(QComboBox)
    assert isinstance(name, QLineEdit) and isinstance(category, QComboBox)
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert form.isVisible() and form.error.text() == "Укажите ФИО педагога."
    name.setText("Петрова Анна Сергеевна")
    category.setCurrentIndex(category.findText("высшая"))
    save(qtbot, dialog, form)
    assert [teachers.model.index(0, column).data() for column in range(3)] == [
        "Петрова Анна Сергеевна",
        "высшая",
        "действует",
    ]
    assert teachers.selected() is not None

    teachers.edit_button.click()
    form = dialog.form
    assert form is not None and form.windowTitle() == "Изменить педагога"
    category = form.findChild(QComboBox)
    assert isinstance(category, QComboBox) and category.currentText() == "высшая"
    category.setEditText("первая")
    save(qtbot, dialog, form)
    assert teachers.model.index(0, 1).data() == "первая"

    confirm.answer = False
    teachers.archive_button.click()
    assert confirm.asked == ["Перенести педагога «Петрова Анна Сергеевна» в архив?"]
    confirm.answer = True
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        teachers.archive_button.click()
    assert teachers.model.rowCount() == 0
    teachers.show_archived.setChecked(True)
    assert teachers.model.index(0, 2).data() == "в архиве"
    teachers.view.selectRow(0)
    assert not teachers.edit_button.isEnabled() and not teachers.archive_button.isEnabled()
    assert context.references.teachers() == []
    assert Counter(operation.op_type for operation in context.sync.queue()) == {
        "teacher.create": 1,
        "teacher.update": 1,
        "teacher.archive": 1,
    }


def test_an_address_is_added_and_edited(qtbot: QtBot, context: AppContext, dialog: ReferenceListsDialog) -> None:
    dialog.tabs.setCurrentWidget(dialog.addresses)
    form = dialog.edit_address(None)
    text, note = fields(form)
    assert isinstance(text, QLineEdit) and isinstance(note, QLineEdit)
    text.setText("г. Кемерово, ул. Весенняя, д. 5")
    note.setText("вход со двора")
    save(qtbot, dialog, form)
    addresses = dialog.addresses
    assert [addresses.model.index(0, column).data() for column in range(2)] == [
        "г. Кемерово, ул. Весенняя, д. 5",
        "вход со двора",
    ]
    addresses.edit_button.click()
    form = dialog.form
    assert form is not None
    text, _note = fields(form)
    assert isinstance(text, QLineEdit)
    text.setText("г. Кемерово, ул. Весенняя, д. 5, корпус 2")
    save(qtbot, dialog, form)
    assert [address.text for address in context.references.addresses()] == ["г. Кемерово, ул. Весенняя, д. 5, корпус 2"]


def test_the_lists_models_pass_the_model_tester(
    qtmodeltester: ModelTester, context: AppContext, qtbot: QtBot, runner: TaskRunner
) -> None:
    context.references.save_teacher("Петрова Анна Сергеевна", "высшая")
    context.references.save_address("г. Кемерово, ул. Весенняя, д. 5", "")
    made = ReferenceListsDialog(context.references, runner)
    qtbot.addWidget(made)
    wait_idle(qtbot, runner)
    qtmodeltester.check(made.teachers.model)
    qtmodeltester.check(made.addresses.model)


def test_the_programs_page_opens_the_lists_and_offers_what_changed_to_editors(
    qtbot: QtBot, context: AppContext, runner: TaskRunner
) -> None:
    page = ProgramsPage(context.programs, context.references, runner, prompts=FakePrompts().prompts())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    page.new_action.trigger()
    (editor,) = page.editors.values()
    page.references_action.trigger()
    dialog = page.references_dialog
    assert dialog is not None and dialog.isVisible()
    wait_idle(qtbot, runner)
    form = dialog.edit_teacher(None)
    name = form.findChild(QLineEdit)
    assert isinstance(name, QLineEdit)
    name.setText("Сидоров Иван Павлович")
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    teacher_choices = editor.groups_tab.teacher
    assert [teacher_choices.itemText(row) for row in range(teacher_choices.count())] == ["Сидоров Иван Павлович"]
