"""One consistent icon set (Material Design, through qtawesome) for navigation and actions."""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")

import qtawesome
from PySide6.QtGui import QColor, QIcon

ICON_COLOR = QColor("#37474f")
ACTIVE_COLOR = QColor("#1565c0")


def icon(name: str) -> QIcon:
    """An icon by its qtawesome name, e.g. ``mdi6.book-open-variant``."""
    made: QIcon = qtawesome.icon(name, color=ICON_COLOR, color_active=ACTIVE_COLOR, color_selected=ACTIVE_COLOR)
    return made
