"""Tests of desktop_app.errors: which exceptions are expected problems, and their Russian messages."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from desktop_app.errors import ExpectedError, as_expected
from tests.core.russian import assert_russian

DISK_FULL = "На диске не осталось места"
READ_ONLY = "Нет прав на запись"
LOCKED = "База данных занята"


def _expected_message(error: BaseException) -> str:
    expected = as_expected(error)
    assert expected is not None, f"{error!r} should be an expected problem"
    assert_russian(expected.user_message)
    assert str(expected) == expected.user_message
    return expected.user_message


def test_expected_error_maps_to_itself() -> None:
    error = ExpectedError("Сервер недоступен.")
    assert as_expected(error) is error


@pytest.mark.parametrize(
    ("error", "beginning"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
        (PermissionError(errno.EPERM, "Operation not permitted"), READ_ONLY),
        (OSError(errno.EACCES, "Permission denied"), READ_ONLY),
        (OSError(errno.EROFS, "Read-only file system"), READ_ONLY),
    ],
    ids=["ENOSPC", "PermissionError", "EACCES", "EROFS"],
)
def test_os_errors(error: OSError, beginning: str) -> None:
    assert _expected_message(error).startswith(beginning)


SQLITE_MESSAGES = [
    ("database or disk is full", DISK_FULL),
    ("database is locked", LOCKED),
    ("attempt to write a readonly database", READ_ONLY),
    ("unable to open database file", "Не удаётся открыть файл базы данных"),
]


@pytest.mark.parametrize(("text", "beginning"), SQLITE_MESSAGES)
def test_sqlite_operational_errors(text: str, beginning: str) -> None:
    assert _expected_message(sqlite3.OperationalError(text)).startswith(beginning)


@pytest.mark.parametrize(("text", "beginning"), SQLITE_MESSAGES)
def test_sqlalchemy_wrapped_operational_errors(text: str, beginning: str) -> None:
    wrapped = OperationalError("INSERT INTO outbox VALUES (?)", (1,), sqlite3.OperationalError(text))
    message = _expected_message(wrapped)
    assert message.startswith(beginning)
    assert "INSERT" not in message


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad value"),
        KeyError("missing"),
        RuntimeError("bug"),
        FileNotFoundError(errno.ENOENT, "No such file"),
        sqlite3.OperationalError("no such table: programs"),
        OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such column: x")),
        OperationalError("SELECT 1", {}, ValueError("not sqlite")),
        IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")),
    ],
    ids=["ValueError", "KeyError", "RuntimeError", "ENOENT", "no-table", "sa-no-column", "sa-other", "integrity"],
)
def test_bugs_are_not_expected(error: BaseException) -> None:
    assert as_expected(error) is None


def test_an_expected_error_carries_nothing_from_an_earlier_failure() -> None:
    """Raising one shared instance would pile up tracebacks and causes across unrelated failures."""
    first_cause = OSError(errno.ENOSPC, "first")
    expected = as_expected(first_cause)
    assert expected is not None
    with pytest.raises(ExpectedError) as first:
        raise expected from first_cause
    assert first.value.__cause__ is first_cause

    second = as_expected(OSError(errno.ENOSPC, "second"))
    assert second is not None
    assert second is not first.value
    assert second.__cause__ is None
    assert second.__traceback__ is None
    assert second.user_message == first.value.user_message


# Real SQLite failures, not hand-made ones: the driver's wording is what as_expected must recognise.


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "real.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (value TEXT)")
    connection.commit()
    connection.close()
    yield path


def test_real_disk_full(sqlite_file: Path) -> None:
    connection = sqlite3.connect(sqlite_file)
    try:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")
        with pytest.raises(sqlite3.OperationalError) as error:
            for _ in range(100):
                connection.execute("INSERT INTO t VALUES (?)", ("x" * 10_000,))
    finally:
        connection.close()
    assert _expected_message(error.value).startswith(DISK_FULL)


def test_real_locked_database(sqlite_file: Path) -> None:
    holder = sqlite3.connect(sqlite_file, isolation_level=None)
    other = sqlite3.connect(sqlite_file, timeout=0, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError) as error:
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        holder.close()
    assert _expected_message(error.value).startswith(LOCKED)


def test_real_readonly_database(sqlite_file: Path) -> None:
    connection = sqlite3.connect(f"{sqlite_file.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as error:
            connection.execute("INSERT INTO t VALUES ('x')")
    finally:
        connection.close()
    assert _expected_message(error.value).startswith(READ_ONLY)
