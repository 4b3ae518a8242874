"""Tests of desktop_app.progress: progress reports and cancellation of blocking work."""

from __future__ import annotations

import pytest

from desktop_app.progress import Cancelled, Progress, TaskControl


def test_report_calls_callback_with_progress() -> None:
    received: list[Progress] = []
    control = TaskControl(received.append)
    control.report(0)
    control.report(3, 10, "Отправка изменений")
    assert received == [Progress(0, None, ""), Progress(3, 10, "Отправка изменений")]


def test_report_without_callback_is_fine() -> None:
    control = TaskControl()
    control.report(1, 2, "шаг")
    control.check()
    assert not control.cancelled


def test_check_raises_only_after_cancel() -> None:
    control = TaskControl()
    control.check()
    control.check()
    assert not control.cancelled
    control.cancel()
    assert control.cancelled
    with pytest.raises(Cancelled):
        control.check()
    with pytest.raises(Cancelled):  # it stays cancelled
        control.check()


def test_cancel_from_inside_progress_callback() -> None:
    control = TaskControl(lambda progress: control.cancel() if progress.done == 2 else None)
    done = []
    with pytest.raises(Cancelled):
        for step in range(5):
            control.check()
            done.append(step)
            control.report(step + 1, 5)
    assert done == [0, 1]
