"""Fixtures of the storage tests: a fresh database file per test, and a program saved in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.domain.program import Program
from desktop_app.storage.database import Database
from tests.storage.builders import NOW, make_program


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "pfdo.sqlite3"


@pytest.fixture
def database(database_path: Path) -> Iterator[Database]:
    """A new database file at the current schema, closed after the test."""
    opened = Database.open(database_path)
    yield opened
    opened.close()


@pytest.fixture
def saved_program(database: Database) -> Program:
    """A full program tree, committed (contracts need its modules and groups)."""
    program = make_program()
    with database.write() as work:
        work.programs.save(program, NOW)
    return program
