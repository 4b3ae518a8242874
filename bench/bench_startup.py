"""Start-up and memory of the workstation on the region's database.

Start-up: from spawning the process to the main window shown with the programs table filled (8,000
programs), median of several starts. Limit: a bare PySide6 window with a QTableView of the same rows, read
with plain ``sqlite3``. Memory: the peak RSS of the program at that moment (limit: the bare window's).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.client_db import client_database
from bench.common import ROOT, SCALES, Result, absolute_result, median, parse, report, time_result
from bench.workstation import remember

MAX_RATIO = 1.3
MEMORY_CEILING_MB = 300.0
TIMEOUT_S = 300


def start_once(mode: str, data_dir: Path) -> tuple[float, float]:
    """(milliseconds to ready, peak RSS in MB) of one start."""
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "PYTHONPATH": str(ROOT),
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.startup_child", mode, str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        process.kill()
        process.wait(timeout=TIMEOUT_S)
    if not line.startswith("ready "):
        raise RuntimeError(f"the {mode} start did not reach its window")
    return elapsed, int(line.split()[1]) / 1024


def run(argv: Sequence[str] | None = None) -> list[Result]:
    arguments = parse(argv, __doc__ or "")
    scale = SCALES[arguments.scale]
    region = client_database(arguments.work, scale)
    remember(region.path.parent / "settings.json", region)
    start_once("product", region.path.parent)  # warm the file cache and compiled bytecode
    product = [start_once("product", region.path.parent) for _ in range(scale.starts)]
    bare = [start_once("bare", region.path.parent) for _ in range(scale.starts)]
    results = [
        time_result(
            "startup", median([ms for ms, _ in product]), median([ms for ms, _ in bare]), scale, max_ratio=MAX_RATIO
        ),
        absolute_result(
            "memory_peak_rss",
            "MB",
            max(mb for _, mb in product),
            max(mb for _, mb in bare),
            scale,
            MEMORY_CEILING_MB,
        ),
    ]
    report(results, arguments.out)
    return results


if __name__ == "__main__":
    run(sys.argv[1:])
