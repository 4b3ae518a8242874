"""The status bar: the connection, when the last sync succeeded, how many changes wait, a sync button."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

from desktop_app.progress import Progress
from desktop_app.services.status import WorkstationStatus
from ui.sync_controller import ConnectionState

PROGRESS_WIDTH = 180


def describe_server(server_url: str | None, state: ConnectionState = ConnectionState.UNKNOWN) -> str:
    if not server_url:
        return "Сервер не настроен"
    host = urlsplit(server_url).netloc or server_url
    if state is ConnectionState.UNKNOWN:
        return f"Сервер: {host}"
    return f"{state.label} ({host})"


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
    sync_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFixedWidth(PROGRESS_WIDTH)
        self.cancel_button = QPushButton("Отменить")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.server_label = QLabel(describe_server(None))
        self.sync_label = QLabel()
        self.pending_label = QLabel()
        self.sync_button = QPushButton("Синхронизировать")
        self.sync_button.setObjectName("statusButton")
        self.sync_button.clicked.connect(self.sync_requested)
        self.addPermanentWidget(self.progress_bar)
        self.addPermanentWidget(self.cancel_button)
        for label in (self.server_label, self.sync_label, self.pending_label):
            label.setObjectName("statusField")
            self.addPermanentWidget(label)
        self.addPermanentWidget(self.sync_button)
        self._state = ConnectionState.UNKNOWN
        self._server_url: str | None = None
        self.show_syncing(False)

    def show_status(self, status: WorkstationStatus, now: datetime) -> None:
        self._server_url = status.server_url
        self.server_label.setText(describe_server(status.server_url, self._state))
        self.sync_label.setText(describe_last_sync(status.last_synced_at, now))
        self.pending_label.setText(describe_pending(status.pending_changes))

    def show_state(self, state: ConnectionState) -> None:
        self._state = state
        self.server_label.setText(describe_server(self._server_url, state))

    def show_syncing(self, syncing: bool) -> None:
        """While a round runs, its progress and «Отменить» take the place of the last sync and the button
        (all of them at once do not fit a window of the smallest size)."""
        self.progress_bar.setVisible(syncing)
        self.cancel_button.setVisible(syncing)
        self.sync_label.setVisible(not syncing)
        self.sync_button.setVisible(not syncing)
        self.sync_button.setEnabled(not syncing)
        if syncing:
            self.progress_bar.setRange(0, 0)

    def show_progress(self, progress: Progress) -> None:
        if progress.total:
            self.progress_bar.setRange(0, progress.total)
            self.progress_bar.setValue(min(progress.done, progress.total))
