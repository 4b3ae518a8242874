"""Core selects run on the driver's cursor, for the few hot reads where SQLAlchemy's execution is most of the time.

A statement is written with Core and compiled once for SQLite. Running it hands the parameters to the driver
in the compiled order and converts each column with the processor of its SQLAlchemy type, so rows hold the
same values ``Connection.execute`` would give (dates, UTC datetimes, UUIDs, booleans). Parameters go to the
driver as they are: only strings and integers, which SQLite takes without conversion.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from sqlalchemy import Select
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine.interfaces import DBAPICursor

_DIALECT = sqlite.dialect()
"""The dialect of ``create_sqlite_engine`` (pysqlite, default options)."""


class PreparedSelect:
    def __init__(self, statement: Select[Any]) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        self._compiled = compiled
        self._sql = str(compiled)
        self._order = tuple(compiled.positiontup or ())
        columns = statement.selected_columns
        self._row: Any = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc]
        converters = (column.type.dialect_impl(_DIALECT).result_processor(_DIALECT, None) for column in columns)
        self._converters = tuple((index, convert) for index, convert in enumerate(converters) if convert is not None)
        """(column index, processor) of the columns that need converting; the rest are taken as they come."""

    def rows(self, cursor: DBAPICursor, **parameters: str | int) -> list[Any]:
        """Every row of the statement, its columns as attributes named as in the select."""
        bound = self._compiled.construct_params(parameters)
        cursor.execute(self._sql, [bound[name] for name in self._order])
        rows = []
        for row in cursor.fetchall():
            values = list(row)
            for index, convert in self._converters:
                values[index] = convert(values[index])
            rows.append(self._row._make(values))
        return rows
