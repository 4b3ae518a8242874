"""The local SQLite database: connection settings, and read and write transactions.

pysqlite starts transactions lazily and on its own terms, so we take over: the driver is put in autocommit
mode and every transaction begins with our own ``BEGIN``. Reads use a deferred ``BEGIN`` (a consistent
snapshot that never blocks the writer, thanks to WAL); writes use ``BEGIN IMMEDIATE``, which takes the write
lock up front so two writers queue on the busy timeout instead of failing half-way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000
_BEGIN_MODE_OPTION = "pfdo_sqlite_begin"


def create_sqlite_engine(path: Path) -> Engine:
    """An engine on a SQLite file with WAL, foreign keys and a busy timeout; reads begin deferred."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def writer_engine(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions begin with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{_BEGIN_MODE_OPTION: "IMMEDIATE"})


def _configure_connection(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(_BEGIN_MODE_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")
