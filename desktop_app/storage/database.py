"""The workstation's database: open it (migrating it to the current schema) and work in units of work.

A unit of work is one transaction with every repository bound to it::

    with database.write() as work:
        work.programs.save(program, now)
        work.outbox.enqueue(...)

Both changes commit together or not at all. ``read()`` gives a consistent snapshot and never writes.
``read_rows()`` is a snapshot too, without a session: a few compiled selects on the driver's cursor for hot
paths (the desk's certificate check), where SQLAlchemy's own cost would be most of the time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from desktop_app.domain.contract import Contract
from desktop_app.errors import ExpectedError, as_expected
from desktop_app.storage import migrate
from desktop_app.storage.engine import create_sqlite_engine, writer_engine
from desktop_app.storage.repositories.certificates import CertificateMirrorRepository, MirrorLookup, look_up
from desktop_app.storage.repositories.contracts import ContractRepository, contracts_of_certificate
from desktop_app.storage.repositories.organization import OrganizationRepository
from desktop_app.storage.repositories.outbox import OutboxRepository
from desktop_app.storage.repositories.periods import PeriodRepository
from desktop_app.storage.repositories.programs import ProgramRepository
from desktop_app.storage.repositories.references import ReferenceRepository
from desktop_app.storage.repositories.sync_results import SyncResultsRepository
from desktop_app.storage.repositories.sync_state import SyncStateRepository
from desktop_app.storage.repositories.synced import SyncedRecordsRepository


def _damaged_file(error: DatabaseError, path: Path) -> ExpectedError | None:
    """The message for a file SQLite cannot read as a database; None for other failures (bugs)."""
    text = str(error.orig).lower()
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return ExpectedError(
            f"Файл базы данных «{path}» повреждён или не является базой данных АРМ. "
            "Обратитесь к администратору: файл не изменён."
        )
    return None


class UnitOfWork:
    """Every repository, sharing one session and so one transaction."""

    def __init__(self, session: Session) -> None:
        self.organization = OrganizationRepository(session)
        self.programs = ProgramRepository(session)
        self.references = ReferenceRepository(session)
        self.contracts = ContractRepository(session)
        self.certificates = CertificateMirrorRepository(session)
        self.outbox = OutboxRepository(session)
        self.periods = PeriodRepository(session)
        self.sync_state = SyncStateRepository(session)
        self.sync_results = SyncResultsRepository(session)
        self.synced = SyncedRecordsRepository(session)


class RowReads:
    """Reads on one cursor, in one read transaction."""

    def __init__(self, cursor: DBAPICursor) -> None:
        self._cursor = cursor

    def certificate(self, lookup_key: str) -> MirrorLookup:
        """The mirror entry of a keyed hash, and when the mirror was last synced."""
        return look_up(self._cursor, lookup_key)

    def contracts_of_certificate(self, certificate_number: str) -> list[Contract]:
        return contracts_of_certificate(self._cursor, certificate_number)


class Database:
    """A local SQLite database file at the current schema."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer_engine(engine)

    @classmethod
    def open(cls, path: Path) -> Database:
        """Open (or create) the database file and upgrade its schema to the newest revision.

        Raises:
            ExpectedError: the file is damaged, belongs to a newer version of the program, or cannot be
                written; the message says which.
        """
        engine = create_sqlite_engine(path)
        try:
            migrate.upgrade(engine)
        except migrate.UnknownRevisionError as error:
            engine.dispose()
            raise ExpectedError(
                f"База данных «{path}» создана более новой версией программы. Установите последнюю версию АРМ."
            ) from error
        except DatabaseError as error:
            engine.dispose()
            expected = as_expected(error) or _damaged_file(error, path)
            if expected is None:
                raise
            raise expected from error
        return cls(engine)

    @property
    def engine(self) -> Engine:
        """The underlying engine, for migrations and diagnostics; application code uses units of work."""
        return self._engine

    @property
    def path(self) -> Path:
        database = self._engine.url.database
        if database is None:
            raise RuntimeError("the engine has no database file")
        return Path(database)

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A read-only snapshot; anything written inside is rolled back."""
        with Session(self._engine, expire_on_commit=False) as session:
            try:
                yield UnitOfWork(session)
            finally:
                session.rollback()

    @contextmanager
    def read_rows(self) -> Iterator[RowReads]:
        """A read-only snapshot on a pooled connection's cursor, begun deferred as every read (hot paths)."""
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("BEGIN DEFERRED")
            try:
                yield RowReads(cursor)
            finally:
                cursor.execute("ROLLBACK")
                cursor.close()
        finally:
            connection.close()

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """One write transaction: commits when the block ends normally, rolls back on an exception."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield UnitOfWork(session)

    def close(self) -> None:
        """Release every connection (the file can then be moved or deleted)."""
        self._engine.dispose()
