"""GUI responsiveness: the longest stall of the GUI thread while the real main window runs a full sync (the
region's 400,000 certificates from the real server) and while it renders a batch of 200 contract documents
on the task runner's parallel lane, as the program does.

A 5 ms timer on the GUI thread is the probe. Limit: the probe's longest stall with the same window idle
for two seconds (what this machine's scheduler and Qt's timers do with nothing to do).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QTimer

from bench.bench_pdf import Loaded, load_contracts, product_pdf
from bench.bench_sync import signed_in_workstation
from bench.client_db import client_database
from bench.common import SCALES, Result, parse, report, time_result
from bench.qt_support import StallProbe, application, main_window, wait_until
from bench.server_region import served, sqlite_copy
from desktop_app.progress import TaskControl
from reports.fonts import register_fonts
from ui.task_runner import Lane

STALL_CEILING_MS = 50.0
IDLE_MS = 2000


def idle_stall(probe: StallProbe) -> float:
    probe.start()
    done: list[bool] = []
    QTimer.singleShot(IDLE_MS, lambda: done.append(True))
    wait_until(lambda: bool(done))
    return probe.stop()


def render(item: Loaded, _control: TaskControl) -> bytes:
    return product_pdf(item)


def run(argv: Sequence[str] | None = None) -> list[Result]:
    arguments = parse(argv, __doc__ or "")
    scale = SCALES[arguments.scale]
    application()
    register_fonts()
    runs = arguments.work / "runs"
    documents = load_contracts(client_database(arguments.work, scale), scale.gui_documents)
    data = sqlite_copy(arguments.work, scale, "gui-server")
    errors: list[BaseException] = []
    probe = StallProbe()
    with served(data, runs / "gui-server.log") as url:
        context = signed_in_workstation(runs / "gui-client", url)
        shown: list[bool] = []
        window = main_window(context, errors, on_programs_shown=lambda: shown.append(True))
        try:
            wait_until(lambda: bool(shown) or bool(errors))
            idle = idle_stall(probe)
            finished: list[object] = []
            window.controller.sync_finished.connect(finished.append)
            probe.start()
            window.controller.sync_now()
            wait_until(lambda: bool(finished))
            sync_stall = probe.stop()
            rendered: list[bytes] = []
            probe.start()
            for item in documents:
                window.runner.run(Lane.PARALLEL, "document", partial(render, item), rendered.append)
            wait_until(lambda: len(rendered) == len(documents) or bool(errors))
            documents_stall = probe.stop()
        finally:
            window.close()
            context.close()
    if errors:
        raise errors[0]
    assert finished[0] is not None, "the sync failed"
    results = [
        time_result("gui_stall_sync", sync_stall, idle, scale, ceiling=STALL_CEILING_MS),
        time_result("gui_stall_documents", documents_stall, idle, scale, ceiling=STALL_CEILING_MS),
    ]
    report(results, arguments.out)
    return results


if __name__ == "__main__":
    run(sys.argv[1:])
