"""First full sync of a workstation that mirrors every certificate of the region, from the real server on
loopback into an empty client, then an incremental sync with nothing new
(its limit: one HTTP round trip on loopback).

The server (``pfdo-server serve`` in a subprocess, SQLite) holds the region; the clerk of the regional
centre signs in on a fresh data folder. Limit of the full sync: a raw bulk copy of the same rows
(``sqlite3`` ``executemany`` in one transaction) into an empty database of the same schema.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx2

from bench.common import SCALES, Result, median, parse, report, time_result, timed_ms
from bench.server_region import served, sqlite_copy
from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from desktop_app.progress import TaskControl
from desktop_app.storage.database import Database

HUB_CLERK = "org0001-clerk"
PASSWORD = "demo"
MAX_RATIO = 3.0
INCREMENTAL_CEILING_MS = 100.0
INCREMENTAL_REPEATS = 7
COPIED_TABLES = (
    "periods",
    "teachers",
    "addresses",
    "programs",
    "program_decisions",
    "modules",
    "study_groups",
    "schedule_entries",
    "contracts",
    "certificate_mirror",
)


def signed_in_workstation(folder: Path, url: str) -> AppContext:
    shutil.rmtree(folder, ignore_errors=True)
    context = build_context(folder, secrets=MemorySecretStore())
    context.session.sign_in(url, HUB_CLERK, PASSWORD, remember=False)
    return context


def raw_copy_ms(source: Path, target: Path) -> float:
    """Copy the synced rows into an empty database of the same schema with plain executemany; time it."""
    for stale in target.parent.glob(f"{target.name}*"):
        stale.unlink()
    Database.open(target).close()
    with sqlite3.connect(source) as reader:
        tables = {name: reader.execute(f"SELECT * FROM {name}").fetchall() for name in COPIED_TABLES}
    writer = sqlite3.connect(target, isolation_level=None)
    try:
        writer.execute("PRAGMA synchronous=NORMAL")
        writer.execute("PRAGMA foreign_keys=ON")

        def copy() -> None:
            writer.execute("BEGIN IMMEDIATE")
            for name, rows in tables.items():
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    writer.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
            writer.execute("COMMIT")

        return timed_ms(copy)
    finally:
        writer.close()


def run(argv: Sequence[str] | None = None) -> list[Result]:
    arguments = parse(argv, __doc__ or "")
    scale = SCALES[arguments.scale]
    runs = arguments.work / "runs"
    data = sqlite_copy(arguments.work, scale, "sync-server")
    folder = runs / "sync-client"
    with served(data, runs / "sync-server.log") as url:
        context = signed_in_workstation(folder, url)
        try:
            full = timed_ms(lambda: context.sync.sync(TaskControl()))
            with context.database.read() as work:
                mirrored = work.certificates.count()
            assert mirrored == scale.certificates, f"mirrored {mirrored} of {scale.certificates} certificates"
            incremental = median(
                [timed_ms(lambda: context.sync.sync(TaskControl())) for _ in range(INCREMENTAL_REPEATS)]
            )
        finally:
            context.close()
        with httpx2.Client(base_url=url) as raw:
            incremental_limit = median([timed_ms(lambda: raw.get("/health")) for _ in range(INCREMENTAL_REPEATS)])
    limit = raw_copy_ms(folder / "pfdo.sqlite3", runs / "raw-copy.sqlite3")
    results = [
        time_result("sync_full", full, limit, scale, max_ratio=MAX_RATIO),
        time_result("sync_incremental", incremental, incremental_limit, scale, ceiling=INCREMENTAL_CEILING_MS),
    ]
    report(results, arguments.out)
    return results


if __name__ == "__main__":
    run(sys.argv[1:])
