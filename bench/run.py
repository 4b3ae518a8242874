"""``make bench``: every benchmark in turn, each in its own process; results in bench/results/."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

from bench.common import parse

BENCHMARKS = (
    "bench.bench_lookup",
    "bench.bench_pdf",
    "bench.bench_startup",
    "bench.bench_sync",
    "bench.bench_arbitration",
    "bench.bench_gui",
)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse(argv, __doc__ or "")
    options = ["--scale", arguments.scale, "--out", str(arguments.out), "--work", str(arguments.work)]
    failed = []
    for module in BENCHMARKS:
        print(f"== {module} ({arguments.scale})", flush=True)
        if subprocess.run([sys.executable, "-m", module, *options], check=False).returncode != 0:
            failed.append(module)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
