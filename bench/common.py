"""What every benchmark shares: scales, the result record, its JSON file, the command line, timing helpers."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
WORK_DIR = BENCH_DIR / ".work"
SEED = 8


@dataclass(frozen=True)
class Scale:
    name: str
    certificates: int
    programs: int
    organizations: int
    contracts: int
    lookups: int
    documents: int
    """Contracts rendered in the batch benchmark."""
    gui_documents: int
    arbitration_requests: int
    starts: int
    """Starts of the program (and of the bare window) whose median is the start-up time."""


SCALES = {
    "tiny": Scale("tiny", 2_000, 30, 6, 300, 200, 5, 5, 48, 1),
    "region": Scale("region", 400_000, 8_000, 1_500, 100_000, 5_000, 1_000, 200, 1_600, 5),
}


@dataclass(frozen=True)
class Result:
    name: str
    unit: str
    value: float
    limit: float
    ratio: float
    target: str
    meets_target: bool
    scale: str
    machine: str
    measured_at: str


def machine() -> str:
    """A short description of the machine, so results of different machines are not mixed up."""
    cpu = platform.processor() or platform.machine()
    system = f"{platform.system()} {platform.release()}"
    return f"{platform.node()} · {os.cpu_count()} CPU {cpu} · {system} · Python {platform.python_version()}"


def time_result(
    name: str, value: float, limit: float, scale: Scale, *, max_ratio: float | None = None, ceiling: float | None = None
) -> Result:
    """A time in ms (lower is better): ratio = value / limit; the target is a ratio and/or an absolute ceiling."""
    ratio = value / limit if limit > 0 else float("inf")
    parts = []
    meets = True
    if max_ratio is not None:
        parts.append(f"≤ {max_ratio:g}× limit")
        meets = meets and ratio <= max_ratio
    if ceiling is not None:
        parts.append(f"< {ceiling:g} ms")
        meets = meets and value < ceiling
    return _result(name, "ms", value, limit, ratio, " and ".join(parts), meets, scale)


def throughput_result(name: str, unit: str, value: float, limit: float, scale: Scale, min_share: float) -> Result:
    """A throughput (higher is better): ratio = limit / value, so both kinds read «how many times slower»."""
    ratio = limit / value if value > 0 else float("inf")
    return _result(name, unit, value, limit, ratio, f"≥ {min_share:.0%} of limit", value >= min_share * limit, scale)


def absolute_result(name: str, unit: str, value: float, limit: float, scale: Scale, ceiling: float) -> Result:
    """A figure with an absolute ceiling; the limit is still measured and the ratio reported."""
    ratio = value / limit if limit > 0 else float("inf")
    return _result(name, unit, value, limit, ratio, f"< {ceiling:g} {unit}", value < ceiling, scale)


def _result(
    name: str, unit: str, value: float, limit: float, ratio: float, target: str, meets: bool, scale: Scale
) -> Result:
    return Result(
        name=name,
        unit=unit,
        value=round(value, 3),
        limit=round(limit, 3),
        ratio=round(ratio, 3),
        target=target,
        meets_target=meets,
        scale=scale.name,
        machine=machine(),
        measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def report(results: Sequence[Result], out_dir: Path) -> None:
    """Print each result and write it as bench/results/<name>.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for result in results:
        verdict = "OK" if result.meets_target else "MISSES"
        print(
            f"{result.name}: {result.value:g} {result.unit} · limit {result.limit:g} {result.unit} · "
            f"ratio {result.ratio:g} · target {result.target} · {verdict}",
            flush=True,
        )
        text = json.dumps(asdict(result), ensure_ascii=False, indent=2) + "\n"
        (out_dir / f"{result.name}.json").write_text(text, encoding="utf-8")


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which ``share`` of the samples fall (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def parse(argv: Sequence[str] | None, description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", choices=tuple(SCALES), default="region")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the JSON results")
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="folder for generated databases (kept)")
    return parser.parse_args(argv)
