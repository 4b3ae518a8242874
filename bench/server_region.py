"""The reference server at region scale: its database (SQLite file or PostgreSQL), built once and copied per
run, and the real ``pfdo-server serve`` in a subprocess on a free loopback port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from bench.common import SEED, Scale
from server.auth.passwords import Passwords
from server.runtime import open_runtime
from server.services import region

PG_URL_VARIABLE = "PFDO_BENCH_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class ServerData:
    url: str
    """The database URL."""
    data_dir: Path
    """The server's data folder (its secret key)."""


def _build(url: str | None, data_dir: Path, scale: Scale) -> None:
    opened = open_runtime(url, data_dir)
    try:
        with opened.database.transaction() as session:
            region.build_region(session, Passwords(fast=True), opened.clock.now(), region.SCALES[scale.name], SEED)
    finally:
        opened.close()


def sqlite_copy(work: Path, scale: Scale, name: str) -> ServerData:
    """A fresh copy of the region's SQLite server database (built once into ``work``)."""
    master = work / f"server-{scale.name}-{SEED}"
    marker = master / "ready"
    if not marker.exists():
        shutil.rmtree(master, ignore_errors=True)
        _build(None, master, scale)
        marker.touch()
    target = work / "runs" / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for item in ("pfdo-server.sqlite3", "secret.key"):
        shutil.copy2(master / item, target / item)
    return ServerData(url=f"sqlite:///{target / 'pfdo-server.sqlite3'}", data_dir=target)


def postgresql_base() -> URL:
    """The PostgreSQL server of the benchmarks (``PFDO_BENCH_PG_URL``, else the test server on port 55432)."""
    return make_url(os.environ.get(PG_URL_VARIABLE, DEFAULT_PG_URL))


def postgresql_copy(work: Path, scale: Scale, name: str) -> ServerData:
    """A fresh database copied (``CREATE DATABASE … TEMPLATE``) from the region's master database."""
    base = postgresql_base()
    master = f"pfdo_bench_{scale.name}_{SEED}"
    target = f"pfdo_bench_{name}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    data_dir = work / "runs" / name
    data_dir.mkdir(parents=True, exist_ok=True)
    master_dir = work / f"server-pg-{scale.name}-{SEED}"
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": master}).first()
            if not exists or not (master_dir / "ready").exists():
                connection.execute(text(f'DROP DATABASE IF EXISTS "{master}"'))
                connection.execute(text(f'CREATE DATABASE "{master}"'))
                shutil.rmtree(master_dir, ignore_errors=True)
                _build(base.set(database=master).render_as_string(hide_password=False), master_dir, scale)
                (master_dir / "ready").touch()
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target}"'))
            connection.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{master}"'))
    finally:
        admin.dispose()
    shutil.copy2(master_dir / "secret.key", data_dir / "secret.key")
    return ServerData(url=base.set(database=target).render_as_string(hide_password=False), data_dir=data_dir)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(data: ServerData, log_file: Path) -> Iterator[str]:
    """``pfdo-server serve`` on a free loopback port until the block ends; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "server.cli", "serve", "--db", data.url, "--data-dir", str(data.data_dir)]
    with log_file.open("w", encoding="utf-8") as log:
        process = subprocess.Popen([*command, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx2.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")
