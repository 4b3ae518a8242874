"""The program editor (a dialog with four tabs) and the questions it asks the clerk."""

from ui.program_editor.editor import ProgramEditor
from ui.program_editor.prompts import Prompts, SaveChoice

__all__ = ["ProgramEditor", "Prompts", "SaveChoice"]
