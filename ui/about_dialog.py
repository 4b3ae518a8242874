"""«О программе»: name, version and what the program is built on."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app import __version__
from desktop_app.paths import resources_dir

ICON_SIZE = 64
DIALOG_WIDTH = 560


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("О программе")
        icon = QLabel()
        icon.setPixmap(QIcon(str(resources_dir() / "icons" / "app.png")).pixmap(ICON_SIZE, ICON_SIZE))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        title = QLabel("АРМ организации ПФДО")
        title.setObjectName("pageHeading")
        self.version_label = QLabel(f"Версия {__version__}")
        description = QLabel(
            "Рабочее место организации дополнительного образования в системе персонифицированного "
            "финансирования: программы и их сертификация, приём детей по сертификатам, договоры и "
            "документы — в том числе без связи с сервером."
        )
        description.setWordWrap(True)
        components = QLabel(
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {PySide6.__version__}\n"
            "Шрифты DejaVu (лицензия Bitstream Vera), значки Material Design."
        )
        components.setObjectName("pageNotice")
        components.setWordWrap(True)

        text = QVBoxLayout()
        for widget in (title, self.version_label, description, components):
            text.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        # Word-wrapped labels need their height worked out for a known width: fix the width, then fit.
        self.setFixedWidth(DIALOG_WIDTH)
        self.setFixedHeight(self.heightForWidth(DIALOG_WIDTH))
