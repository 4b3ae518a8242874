"""The task runner: work off the GUI thread, outcomes on it, one database lane, cancellation, no leftovers."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.errors import ExpectedError
from desktop_app.progress import Progress, TaskControl
from ui.task_runner import Lane, Outcome, Task, TaskRunner

WAIT_MS = 5000
THREAD_WAIT_S = 5


@pytest.fixture
def reported() -> list[BaseException]:
    return []


@pytest.fixture
def task_runner(reported: list[BaseException]) -> Iterator[TaskRunner]:
    runner = TaskRunner(reported.append)
    yield runner
    runner.shutdown()


def test_work_runs_off_the_gui_thread_and_the_result_arrives_on_it(qtbot: QtBot, task_runner: TaskRunner) -> None:
    seen: dict[str, threading.Thread] = {}

    def work(_control: TaskControl) -> int:
        seen["work"] = threading.current_thread()
        return 42

    results: list[int] = []

    def on_success(value: int) -> None:
        seen["callback"] = threading.current_thread()
        results.append(value)

    with qtbot.waitSignal(task_runner.finished, timeout=WAIT_MS) as blocker:
        task_runner.run(Lane.DATABASE, "answer", work, on_success)
    assert results == [42]
    assert seen["work"] is not threading.main_thread()
    assert seen["callback"] is threading.main_thread()
    assert blocker.args[0].outcome is Outcome.SUCCEEDED


def test_unhandled_error_goes_to_the_presenter_on_the_gui_thread(
    qtbot: QtBot, task_runner: TaskRunner, reported: list[BaseException]
) -> None:
    def work(_control: TaskControl) -> None:
        raise ExpectedError("Нет связи с сервером.")

    with qtbot.waitSignal(task_runner.finished, timeout=WAIT_MS) as blocker:
        task_runner.run(Lane.PARALLEL, "failing", work)
    assert [str(error) for error in reported] == ["Нет связи с сервером."]
    assert blocker.args[0].outcome is Outcome.FAILED


def test_a_handled_error_does_not_reach_the_presenter(
    qtbot: QtBot, task_runner: TaskRunner, reported: list[BaseException]
) -> None:
    handled: list[BaseException] = []

    def work(_control: TaskControl) -> None:
        raise ValueError("boom")

    with qtbot.waitSignal(task_runner.finished, timeout=WAIT_MS):
        task_runner.run(Lane.DATABASE, "handled", work, on_failure=handled.append)
    assert [type(error) for error in handled] == [ValueError]
    assert reported == []


def test_progress_reports_arrive_in_order_before_the_result(qtbot: QtBot, task_runner: TaskRunner) -> None:
    events: list[object] = []

    def work(control: TaskControl) -> str:
        for step in range(1, 4):
            control.report(step, 3, f"шаг {step}")
        return "готово"

    with qtbot.waitSignal(task_runner.finished, timeout=WAIT_MS):
        task_runner.submit(
            Lane.PARALLEL,
            Task("steps", work, on_success=events.append, on_progress=events.append),
        )
    assert events == [Progress(1, 3, "шаг 1"), Progress(2, 3, "шаг 2"), Progress(3, 3, "шаг 3"), "готово"]


def test_cancelled_work_stops_and_reports_cancellation(qtbot: QtBot, task_runner: TaskRunner) -> None:
    started = threading.Event()
    cancelled: list[bool] = []

    def work(control: TaskControl) -> None:
        started.set()
        while True:
            control.check()
            control.cancelled or threading.Event().wait(0.001)

    task = task_runner.run(Lane.PARALLEL, "endless", work, on_cancelled=lambda: cancelled.append(True))
    assert started.wait(THREAD_WAIT_S)
    with qtbot.waitSignal(task_runner.finished, timeout=WAIT_MS):
        task.cancel()
    assert cancelled == [True]
    assert task.outcome is Outcome.CANCELLED


def test_database_lane_runs_one_task_at_a_time(qtbot: QtBot, task_runner: TaskRunner) -> None:
    first_may_finish = threading.Event()
    order: list[str] = []

    def first(_control: TaskControl) -> None:
        order.append("first started")
        assert first_may_finish.wait(THREAD_WAIT_S)
        order.append("first finished")

    def second(_control: TaskControl) -> None:
        order.append("second started")

    task_runner.run(Lane.DATABASE, "first", first)
    done = task_runner.run(Lane.DATABASE, "second", second)
    first_may_finish.set()
    qtbot.waitUntil(lambda: done.outcome is Outcome.SUCCEEDED, timeout=WAIT_MS)
    assert order == ["first started", "first finished", "second started"]


def test_parallel_lane_runs_tasks_side_by_side(qtbot: QtBot, task_runner: TaskRunner) -> None:
    a_running, b_running = threading.Event(), threading.Event()

    def meet(mine: threading.Event, other: threading.Event) -> bool:
        mine.set()
        return other.wait(THREAD_WAIT_S)

    results: list[bool] = []
    task_runner.run(Lane.PARALLEL, "a", lambda _c: meet(a_running, b_running), results.append)
    task_runner.run(Lane.PARALLEL, "b", lambda _c: meet(b_running, a_running), results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=WAIT_MS)
    assert results == [True, True]


def test_shutdown_cancels_running_work_and_refuses_new_work(task_runner: TaskRunner) -> None:
    started = threading.Event()

    def work(control: TaskControl) -> None:
        started.set()
        while not control.cancelled:
            threading.Event().wait(0.001)
        control.check()

    task = task_runner.run(Lane.DATABASE, "long", work)
    assert started.wait(THREAD_WAIT_S)
    task_runner.shutdown()
    assert task.outcome is None or task.outcome is Outcome.CANCELLED
    assert not task_runner.busy
    with pytest.raises(RuntimeError):
        task_runner.run(Lane.DATABASE, "late", lambda _control: None)
