"""The questions the editor and the programs page ask the clerk, as replaceable functions.

Tests pass their own ``Prompts`` to answer without a real message box; the defaults show one.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.app import APPLICATION_NAME

RECERTIFICATION_QUESTION = (
    "Программа сертифицирована. После изменения её нужно будет снова отправить на сертификацию. Продолжить?"
)
SAVE_CHANGES_QUESTION = "Сохранить изменения?"


class SaveChoice(enum.Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_save_changes(parent: QWidget) -> SaveChoice:
    box = QMessageBox(QMessageBox.Icon.Question, APPLICATION_NAME, SAVE_CHANGES_QUESTION, parent=parent)
    save = box.addButton("Сохранить", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Не сохранять", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Отмена", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return SaveChoice.SAVE
    if clicked is discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


def ask_to_confirm(parent: QWidget, text: str, yes: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, APPLICATION_NAME, text, parent=parent)
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Отмена", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept


def confirm_recertification(parent: QWidget) -> bool:
    return ask_to_confirm(parent, RECERTIFICATION_QUESTION, "Продолжить")


def confirm_archive(parent: QWidget, name: str) -> bool:
    text = f"Перенести программу «{name}» в архив? Изменить её после этого будет нельзя."
    return ask_to_confirm(parent, text, "В архив")


@dataclass(frozen=True)
class Prompts:
    """Who answers the editor's questions: message boxes by default, a test's functions in tests."""

    ask_save_changes: Callable[[QWidget], SaveChoice] = ask_save_changes
    confirm_recertification: Callable[[QWidget], bool] = confirm_recertification
    confirm_archive: Callable[[QWidget, str], bool] = confirm_archive
