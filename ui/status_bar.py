"""The status bar: which server, when the last sync succeeded, how many changes wait to be sent."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop_app.services.status import WorkstationStatus


def describe_server(server_url: str | None) -> str:
    if not server_url:
        return "Сервер не настроен"
    return f"Сервер: {urlsplit(server_url).netloc or server_url}"


def describe_last_sync(last_synced_at: datetime | None, now: datetime) -> str:
    """«Последняя синхронизация 10:41» today, with the date on other days; local time."""
    if last_synced_at is None:
        return "Синхронизация ещё не выполнялась"
    local = last_synced_at.astimezone(now.tzinfo)
    shown = local.strftime("%H:%M") if local.date() == now.date() else local.strftime("%d.%m.%Y %H:%M")
    return f"Последняя синхронизация {shown}"


def describe_pending(count: int) -> str:
    return f"ждут отправки: {count}"


class WorkstationStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.server_label = QLabel(describe_server(None))
        self.sync_label = QLabel()
        self.pending_label = QLabel()
        for label in (self.server_label, self.sync_label, self.pending_label):
            label.setObjectName("statusField")
            self.addPermanentWidget(label)

    def show_status(self, status: WorkstationStatus, now: datetime) -> None:
        self.server_label.setText(describe_server(status.server_url))
        self.sync_label.setText(describe_last_sync(status.last_synced_at, now))
        self.pending_label.setText(describe_pending(status.pending_changes))
