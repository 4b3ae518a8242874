"""«Настройки»: what this workstation is and where it keeps its files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


@dataclass(frozen=True, slots=True)
class WorkstationInfo:
    version: str
    data_dir: Path
    database: Path
    log_file: Path
    server_url: str | None
    keyring_ok: bool


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class SettingsPage(QWidget):
    def __init__(self, info: WorkstationInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._info = info
        heading = QLabel("Настройки")
        heading.setObjectName("pageHeading")

        workstation = QGroupBox("Рабочее место")
        form = QFormLayout(workstation)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Версия программы:", _selectable(info.version))
        form.addRow("Сервер:", _selectable(info.server_url or "не настроен"))
        form.addRow("Папка данных:", _selectable(str(info.data_dir)))
        form.addRow("База данных:", _selectable(str(info.database)))
        form.addRow("Журнал работы:", _selectable(str(info.log_file)))
        keyring_text = (
            "системное хранилище паролей доступно"
            if info.keyring_ok
            else "системное хранилище паролей недоступно: пароль будет запрашиваться при каждом входе"
        )
        form.addRow("Вход:", _selectable(keyring_text))
        self.open_folder_button = QPushButton("Открыть папку данных")
        self.open_folder_button.clicked.connect(self._open_data_dir)
        button_row = QHBoxLayout()
        button_row.addWidget(self.open_folder_button)
        button_row.addStretch(1)
        form.addRow("", button_row)

        hint = QLabel(
            "Адрес регионального сервера и учётная запись задаются при входе: «Файл → Войти…». "
            "Реквизиты организации для договоров — в разделе «Реквизиты организации»."
        )
        hint.setObjectName("pageNotice")
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(workstation)
        layout.addWidget(hint)
        layout.addStretch(1)

    def _open_data_dir(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._info.data_dir)))
