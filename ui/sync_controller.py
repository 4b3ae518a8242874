"""When to sync, and what the connection looks like: a timer, retries with back-off, and the state.

A round runs on the database lane, never on the GUI thread. It starts every few minutes, when the clerk
presses «Синхронизировать», when the network comes back, and after a failure worth retrying, on a timer
with back-off and jitter — never because of the next local edit. A refused refresh token asks for the
password again; the outbox waits.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.progress import Progress
from desktop_app.services.session import NotSignedIn
from desktop_app.services.sync import SyncService
from desktop_app.sync.backoff import Backoff
from desktop_app.sync.client import ProtocolUnsupported, ServerUnavailable, SessionExpired
from desktop_app.sync.engine import SyncReport
from ui.task_runner import Lane, Task, TaskRunner

log = logging.getLogger(__name__)

AUTO_SYNC_INTERVAL_MS = 3 * 60 * 1000
FIRST_SYNC_DELAY_MS = 500


class ConnectionState(enum.Enum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"
    NOT_SIGNED_IN = "not_signed_in"
    SESSION_EXPIRED = "session_expired"
    UPDATE_NEEDED = "update_needed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ConnectionState.UNKNOWN: "Связь с сервером проверяется",
    ConnectionState.ONLINE: "Сервер на связи",
    ConnectionState.OFFLINE: "Нет связи с сервером",
    ConnectionState.NOT_SIGNED_IN: "Вход не выполнен",
    ConnectionState.SESSION_EXPIRED: "Нужно войти снова",
    ConnectionState.UPDATE_NEEDED: "Нужно обновить программу",
}


class SyncController(QObject):
    state_changed = Signal(object)
    """ConnectionState."""
    sync_started = Signal()
    progress = Signal(object)
    """Progress of the running round."""
    sync_finished = Signal(object)
    """SyncReport on success, None when the round failed or was cancelled."""
    sign_in_needed = Signal(str)
    """The refresh token was refused: ask for the password (the text says why)."""

    def __init__(
        self,
        sync: SyncService,
        runner: TaskRunner,
        report_error: Callable[[BaseException], None],
        *,
        interval_ms: int = AUTO_SYNC_INTERVAL_MS,
        backoff: Backoff | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sync = sync
        self._runner = runner
        self._report_error = report_error
        self._backoff = backoff or Backoff()
        self._task: Task[SyncReport] | None = None
        self.state = ConnectionState.UNKNOWN
        self._periodic = QTimer(self)
        self._periodic.setInterval(interval_ms)
        self._periodic.timeout.connect(self.sync_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.sync_now)

    @property
    def running(self) -> bool:
        return self._task is not None

    @property
    def retry_pending(self) -> bool:
        return self._retry.isActive()

    def start(self) -> None:
        """Sync soon after start-up, then every few minutes."""
        self._periodic.start()
        self._retry.start(FIRST_SYNC_DELAY_MS)

    def stop(self) -> None:
        self._periodic.stop()
        self._retry.stop()
        self.cancel()

    def network_came_back(self) -> None:
        """The operating system says the network is reachable again: do not wait for the timer."""
        if self.state is ConnectionState.OFFLINE:
            self.sync_now()

    def sync_now(self) -> None:
        if self._task is not None:
            return
        self._retry.stop()
        self.sync_started.emit()
        self._task = self._runner.run(
            Lane.DATABASE,
            "sync",
            self._sync.sync,
            self._succeeded,
            on_failure=self._failed,
            on_cancelled=self._cancelled,
            on_progress=self._progressed,
        )

    def signed_out(self) -> None:
        """Nobody is signed in any more: no retries until someone signs in."""
        self._retry.stop()
        self._set_state(ConnectionState.NOT_SIGNED_IN)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _progressed(self, progress: Progress) -> None:
        self.progress.emit(progress)

    def _succeeded(self, report: SyncReport) -> None:
        self._task = None
        log.info("sync done: %d sent (%d refused), %d changes received", report.pushed, report.rejected, report.pulled)
        self._backoff.reset()
        self._set_state(ConnectionState.ONLINE)
        self.sync_finished.emit(report)

    def _cancelled(self) -> None:
        self._task = None
        self.sync_finished.emit(None)

    def _failed(self, error: BaseException) -> None:
        self._task = None
        self.sync_finished.emit(None)
        if isinstance(error, ServerUnavailable):
            self._set_state(ConnectionState.OFFLINE)
            delay = self._backoff.next_delay(error.retry_after)
            log.info("sync failed (%s); next attempt in %.0f s", error.user_message, delay)
            self._retry.start(int(delay * 1000))
        elif isinstance(error, SessionExpired):
            self._set_state(ConnectionState.SESSION_EXPIRED)
            self.sign_in_needed.emit(error.user_message)
        elif isinstance(error, NotSignedIn):
            self._set_state(ConnectionState.NOT_SIGNED_IN)
        elif isinstance(error, ProtocolUnsupported):
            if self.state is not ConnectionState.UPDATE_NEEDED:
                self._report_error(error)
            self._set_state(ConnectionState.UPDATE_NEEDED)
        else:
            self._report_error(error)

    def _set_state(self, state: ConnectionState) -> None:
        if state is not self.state:
            self.state = state
            self.state_changed.emit(state)
