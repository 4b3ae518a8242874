"""Schema migrations of the local database, applied automatically when the program starts.

Alembic scripts live in ``migrations/``. A database from any earlier release is upgraded in one write
transaction: a failed upgrade leaves the file as it was.

Most starts find the database already at the newest revision. Then Alembic is not even imported (importing
it and loading its scripts took about a sixth of a start): the stored revision is read from
``alembic_version`` and compared with the head read from the scripts' text. Whenever that reading is not
plain (a merge, a computed revision, a file it cannot parse), Alembic decides as before.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from desktop_app.storage.engine import writer_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)(?:\s*:[^=\n]*)?\s*=\s*(?:['\"]([\w.-]+)['\"]|None)\s*$", re.M)


class UnknownRevisionError(Exception):
    """Alembic cannot upgrade this database: its revision is unknown here (a newer program made it)."""


def _config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 — Alembic only when there is work for it (module docstring)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision this build of the program knows."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def all_revisions() -> list[str]:
    """Every schema revision, oldest first."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    script = ScriptDirectory.from_config(_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    """The schema revision of a database, or None for an empty one."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default) in one transaction.

    Raises:
        UnknownRevisionError: Alembic does not know the database's revision.
    """
    if revision == "head" and _at_head(engine):
        return
    from alembic import command  # noqa: PLC0415
    from alembic.util.exc import CommandError  # noqa: PLC0415

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
        except CommandError as error:
            raise UnknownRevisionError(str(error)) from error
        finally:
            driver_connection.execute("PRAGMA foreign_keys=ON")


def _at_head(engine: Engine) -> bool:
    """Whether the database holds exactly the head revision, when the head can be read without Alembic."""
    head = _plain_head()
    if head is None:
        return False
    with engine.connect() as connection:
        if not connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").first():
            return False
        stored = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return stored == [head]


def _plain_head() -> str | None:
    """The one revision no script revises, from the scripts' literal assignments; None when not that simple."""
    revisions: set[str] = set()
    parents: set[str | None] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        assigned = {match[1]: match[2] for match in _ASSIGNMENT.finditer(script.read_text(encoding="utf-8"))}
        if not assigned.get("revision") or "down_revision" not in assigned:
            return None
        revisions.add(assigned["revision"])
        parents.add(assigned["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None
