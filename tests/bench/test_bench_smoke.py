"""Every benchmark runs at the tiny scale and writes well-formed results. Nothing here checks a timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import ROOT
from bench.run import BENCHMARKS

NAMES = {
    "bench.bench_lookup": {"lookup_median", "lookup_p99"},
    "bench.bench_pdf": {"pdf_one_contract", "pdf_batch"},
    "bench.bench_startup": {"startup", "memory_peak_rss"},
    "bench.bench_sync": {"sync_full", "sync_incremental"},
    "bench.bench_arbitration": {"arbitration_sqlite"},
    "bench.bench_gui": {"gui_stall_sync", "gui_stall_documents"},
}
FIELDS = {
    "name": str,
    "unit": str,
    "value": (int, float),
    "limit": (int, float),
    "ratio": (int, float),
    "target": str,
    "meets_target": bool,
    "scale": str,
    "machine": str,
    "measured_at": str,
}
TIMEOUT_S = 240


def test_every_benchmark_is_covered() -> None:
    assert set(BENCHMARKS) == set(NAMES)


@pytest.mark.slow
@pytest.mark.timeout(TIMEOUT_S + 30)
@pytest.mark.parametrize("module", BENCHMARKS)
def test_benchmark_runs_at_tiny_scale(module: str, tmp_path: Path) -> None:
    out, work = tmp_path / "results", tmp_path / "work"
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [sys.executable, "-m", module, "--scale", "tiny", "--out", str(out), "--work", str(work)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    results = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in out.glob("*.json")}
    assert NAMES[module] <= set(results), completed.stdout
    for name, result in results.items():
        assert set(result) == set(FIELDS), name
        for field, kind in FIELDS.items():
            assert isinstance(result[field], kind), (name, field)
        assert result["name"] == name
        assert result["scale"] == "tiny"
        assert result["value"] >= 0
        assert result["limit"] >= 0
        assert f"{result['name']}: " in completed.stdout
