"""Progress reporting and cancellation for long blocking work (sync, batches of documents).

Services and the sync engine are plain blocking functions: they take a ``TaskControl``, report progress
through it, and check it for cancellation between steps. The UI's task runner makes one per task.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):  # noqa: N818 — it is an outcome, not an error, so no "Error" suffix
    """Raised inside a task that noticed it was asked to stop."""


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int | None
    """None when the amount of work is not known yet."""
    text: str = ""


class TaskControl:
    """Handed to blocking work: report progress, and stop when asked."""

    def __init__(self, on_progress: Callable[[Progress], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_progress = on_progress

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if the task was asked to stop."""
        if self._cancel.is_set():
            raise Cancelled

    def report(self, done: int, total: int | None = None, text: str = "") -> None:
        if self._on_progress is not None:
            self._on_progress(Progress(done, total, text))
