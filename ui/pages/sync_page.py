"""«Синхронизация»: what waits to be sent, what the server refused (kept until seen), and the history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.progress import Progress
from desktop_app.services.sync import SyncOverview, SyncService, describe_figures
from desktop_app.sync.records import OutboxOperation, SyncResult
from ui.models.records_table import Column, RecordsTableModel
from ui.task_runner import Lane, TaskRunner

PROGRESS_TEXT_SAMPLE = "Получение изменений с сервера"
"""The longest text the sync engine reports with its progress."""

STATUS_LABELS = {"applied": "принято", "rejected": "отклонено", "needs_review": "принято, на проверке у оператора"}


def moment(value: datetime) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M")


def result_text(result: SyncResult) -> str:
    return STATUS_LABELS.get(result.status, result.status)


def explanation(result: SyncResult) -> str:
    return "\n".join([result.message or "", *describe_figures(result.figures)]).strip()


QUEUE_COLUMNS: list[Column[OutboxOperation]] = [
    Column("Когда", lambda op: moment(op.created_at)),
    Column("Что", lambda op: op.summary or op.op_type),
]
INBOX_COLUMNS: list[Column[SyncResult]] = [
    Column("Решение", lambda result: moment(result.decided_at)),
    Column("Что", lambda result: result.summary or result.op_type),
    Column("Ответ сервера", lambda result: result.message or result_text(result), explanation),
]
HISTORY_COLUMNS: list[Column[SyncResult]] = [
    Column("Решение", lambda result: moment(result.decided_at)),
    Column("Что", lambda result: result.summary or result.op_type),
    Column("Результат", result_text),
    Column("Пояснение", lambda result: result.message or "", explanation),
]


@dataclass(frozen=True)
class SyncPageData:
    overview: SyncOverview
    queue: list[OutboxOperation]
    inbox: list[SyncResult]
    history: list[SyncResult]


def _table(model: QAbstractTableModel) -> QTableView:
    """A read-only list: columns as wide as their contents; the last one takes the rest and wraps its text
    (the server's explanations are long), each row as tall as that needs."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class SyncPage(QWidget):
    sync_requested = Signal()
    cancel_requested = Signal()
    open_record = Signal(str, object)
    """(operation type, entity id): show the record a rejection is about."""

    def __init__(self, sync: SyncService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self._runner = runner
        heading = QLabel("Синхронизация")
        heading.setObjectName("pageHeading")
        self.last_sync_label = QLabel()
        self.sync_button = QPushButton("Синхронизировать")
        self.sync_button.clicked.connect(self.sync_requested)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        # Room for «Получение изменений с сервера: 1 234 из 5 678»: a narrower bar cuts the words off.
        self.progress_bar.setMinimumWidth(
            self.progress_bar.fontMetrics().horizontalAdvance(f"{PROGRESS_TEXT_SAMPLE}: 00000 из 00000") + 24
        )
        self.cancel_button = QPushButton("Отменить")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.clock_warning = QLabel()
        self.clock_warning.setObjectName("formError")
        self.clock_warning.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.last_sync_label, 1)
        top.addWidget(self.sync_button)
        # The progress has a row of its own: its text needs room the row above does not always have.
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.cancel_button)

        self.inbox_model: RecordsTableModel[SyncResult] = RecordsTableModel(INBOX_COLUMNS, self)
        self.queue_model: RecordsTableModel[OutboxOperation] = RecordsTableModel(QUEUE_COLUMNS, self)
        self.history_model: RecordsTableModel[SyncResult] = RecordsTableModel(HISTORY_COLUMNS, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._inbox_tab(), "Требуют внимания")
        self.queue_view = _table(self.queue_model)
        self.history_view = _table(self.history_model)
        self.tabs.addTab(self.queue_view, "Ждут отправки")
        self.tabs.addTab(self.history_view, "История")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addLayout(progress_row)
        layout.addWidget(self.clock_warning)
        layout.addWidget(self.tabs, 1)
        self.show_syncing(False)
        self._show_selected()

    def _inbox_tab(self) -> QWidget:
        self.inbox_view = _table(self.inbox_model)
        self.inbox_view.selectionModel().selectionChanged.connect(self._show_selected)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.acknowledge_button = QPushButton("Понятно, убрать из списка")
        self.acknowledge_button.clicked.connect(self._acknowledge)
        self.open_button = QPushButton("Открыть запись")
        self.open_button.clicked.connect(self._open)
        inbox_tab = QWidget()
        inbox_layout = QVBoxLayout(inbox_tab)
        inbox_layout.addWidget(self.inbox_view, 1)
        inbox_layout.addWidget(self.details)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.acknowledge_button)
        inbox_layout.addLayout(buttons)
        return inbox_tab

    # ------------------------------------------------------------ data

    def refresh(self) -> None:
        """Reload the lists on the database lane."""
        self._runner.run(Lane.DATABASE, "sync page", lambda _control: self._load(), self._show)

    def _load(self) -> SyncPageData:
        return SyncPageData(self._sync.overview(), self._sync.queue(), self._sync.inbox(), self._sync.history())

    def _show(self, data: SyncPageData) -> None:
        overview = data.overview
        self.last_sync_label.setText(
            f"Последняя синхронизация: {moment(overview.last_synced_at)}"
            if overview.last_synced_at
            else "Синхронизация ещё не выполнялась"
        )
        warning = overview.clock_warning
        self.clock_warning.setText(warning or "")
        self.clock_warning.setVisible(warning is not None)
        self.inbox_model.set_records(data.inbox)
        self.queue_model.set_records(data.queue)
        self.history_model.set_records(data.history)
        self.tabs.setTabText(0, f"Требуют внимания ({len(data.inbox)})")
        self.tabs.setTabText(1, f"Ждут отправки ({len(data.queue)})")
        if data.inbox:
            self.inbox_view.selectRow(0)
        self._show_selected()

    # ------------------------------------------------------------ sync in progress

    def show_syncing(self, syncing: bool) -> None:
        self.sync_button.setEnabled(not syncing)
        self.progress_bar.setVisible(syncing)
        self.cancel_button.setVisible(syncing)
        if syncing:
            self.progress_bar.setRange(0, 0)

    def show_progress(self, progress: Progress) -> None:
        if progress.total:
            self.progress_bar.setRange(0, progress.total)
            self.progress_bar.setValue(min(progress.done, progress.total))
            self.progress_bar.setFormat(f"{progress.text}: %v из %m")

    # ------------------------------------------------------------ inbox

    def _selected(self) -> SyncResult | None:
        rows = self.inbox_view.selectionModel().selectedRows()
        return self.inbox_model.record(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        result = self._selected()
        self.details.setText(f"{result.summary}\n{explanation(result)}" if result else "")
        self.details.setVisible(result is not None)
        self.acknowledge_button.setEnabled(result is not None)
        self.open_button.setEnabled(result is not None)

    def _acknowledge(self) -> None:
        result = self._selected()
        if result is not None:
            self._runner.run(
                Lane.DATABASE,
                "acknowledge",
                lambda _control: self._sync.acknowledge(result.id),
                lambda _none: self.refresh(),
            )

    def _open(self) -> None:
        result = self._selected()
        if result is not None:
            self.open_record.emit(result.op_type, uuid.UUID(str(result.entity_id)))
