"""Schema migrations of the local database, applied automatically when the program starts.

Alembic scripts live in ``migrations/``. A database from any earlier release is upgraded in one write
transaction: a failed upgrade leaves the file as it was.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from desktop_app.storage.engine import writer_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision this build of the program knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def all_revisions() -> list[str]:
    """Every schema revision, oldest first."""
    script = ScriptDirectory.from_config(_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    """The schema revision of a database, or None for an empty one."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default) in one transaction."""
    config = _config()
    with writer_engine(engine).connect() as connection:
        # SQLite alters a table by recreating it (Alembic's batch mode); with foreign keys on, dropping the
        # old table would cascade-delete or refuse its child rows. The pragma only works outside a
        # transaction, so it is set on the driver connection, the keys are checked before commit, and the
        # pragma is restored before the connection goes back to the pool.
        driver_connection = connection.connection.dbapi_connection
        assert driver_connection is not None
        driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if violations:
                    raise RuntimeError(f"the migration broke foreign keys: {violations}")
        finally:
            driver_connection.execute("PRAGMA foreign_keys=ON")
