"""Background work off the GUI thread, with its results delivered back on the GUI thread.

Two lanes: **database** has a single worker, so writes to the local database never race each other
(edits, sync batches); **parallel** has several, for network-only work and PDF rendering. Work is a plain
blocking function that receives a ``TaskControl`` (progress, cancellation); it never touches a widget.
Its outcome — result, error or cancellation, and every progress report — reaches the GUI thread through a
queued signal, where the caller's callbacks run. An error nobody handles goes to the error presenter.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

from desktop_app.progress import Cancelled, Progress, TaskControl

log = logging.getLogger(__name__)

T = TypeVar("T")

PARALLEL_WORKERS = 4


class Lane(enum.Enum):
    DATABASE = "database"
    PARALLEL = "parallel"


class Outcome(enum.Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(eq=False)
class Task(Generic[T]):
    """One piece of background work and what to do with its outcome on the GUI thread."""

    name: str
    work: Callable[[TaskControl], T]
    on_success: Callable[[T], None] | None = None
    on_failure: Callable[[BaseException], None] | None = None
    """Handles an error itself; without it, errors go to the error presenter."""
    on_cancelled: Callable[[], None] | None = None
    on_progress: Callable[[Progress], None] | None = None
    control: TaskControl = field(init=False)
    outcome: Outcome | None = field(default=None, init=False)

    def cancel(self) -> None:
        """Ask the work to stop; it stops at its next check."""
        self.control.cancel()


class TaskRunner(QObject):
    """Runs tasks on the two lanes; see the module docstring."""

    finished = Signal(object)
    """Emitted on the GUI thread with the ``Task`` after its callbacks ran."""
    _deliver = Signal(object)

    def __init__(self, report_error: Callable[[BaseException], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._report_error = report_error
        self._lanes = {
            Lane.DATABASE: ThreadPoolExecutor(max_workers=1, thread_name_prefix="pfdo-database"),
            Lane.PARALLEL: ThreadPoolExecutor(max_workers=PARALLEL_WORKERS, thread_name_prefix="pfdo-parallel"),
        }
        self._running: set[Task[Any]] = set()
        self._closed = False
        self._deliver.connect(self._on_deliver)

    def submit(self, lane: Lane, task: Task[T]) -> Task[T]:
        """Queue the task on its lane and return it (keep it to cancel the work)."""
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        task.control = TaskControl(on_progress=lambda progress: self._progress(task, progress))
        self._running.add(task)
        self._lanes[lane].submit(self._execute, task)
        return task

    def run(
        self,
        lane: Lane,
        name: str,
        work: Callable[[TaskControl], T],
        on_success: Callable[[T], None] | None = None,
        **callbacks: Any,
    ) -> Task[T]:
        """Shorthand for ``submit(lane, Task(name, work, on_success, ...))``."""
        return self.submit(lane, Task(name, work, on_success, **callbacks))

    def report_error(self, error: BaseException) -> None:
        """Hand an error to the error presenter: for an ``on_failure`` that handles only expected problems."""
        self._report_error(error)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def shutdown(self) -> None:
        """Cancel what is running, wait for the workers to stop, and deliver what they left behind."""
        self._closed = True
        for task in list(self._running):
            task.cancel()
        for executor in self._lanes.values():
            executor.shutdown(wait=True, cancel_futures=True)
        self._running.clear()

    def _execute(self, task: Task[Any]) -> None:
        """Runs on a worker thread: never touch widgets here."""
        try:
            task.control.check()
            result = task.work(task.control)
        except Cancelled:
            self._deliver.emit(partial(self._finish, task, Outcome.CANCELLED, None))
        except BaseException as error:
            self._deliver.emit(partial(self._finish, task, Outcome.FAILED, error))
        else:
            self._deliver.emit(partial(self._finish, task, Outcome.SUCCEEDED, result))

    def _progress(self, task: Task[Any], progress: Progress) -> None:
        if task.on_progress is not None:
            self._deliver.emit(partial(task.on_progress, progress))

    def _on_deliver(self, callback: Callable[[], None]) -> None:
        callback()

    def _finish(self, task: Task[Any], outcome: Outcome, value: Any) -> None:
        task.outcome = outcome
        self._running.discard(task)
        if self._closed:
            return
        try:
            self._call_back(task, outcome, value)
        finally:
            self.finished.emit(task)

    def _call_back(self, task: Task[Any], outcome: Outcome, value: Any) -> None:
        if outcome is Outcome.SUCCEEDED:
            if task.on_success is not None:
                task.on_success(value)
        elif outcome is Outcome.CANCELLED:
            if task.on_cancelled is not None:
                task.on_cancelled()
        elif task.on_failure is not None:
            task.on_failure(value)
        else:
            log.info("task %r failed", task.name)
            self._report_error(value)
