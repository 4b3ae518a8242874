"""The composition root: from a data folder to open storage and ready services, handed to the UI.

Nothing here knows Qt. The UI's entry point calls ``build_context`` and gives the context to its windows;
a script or a test can do the same without any window.
"""

from __future__ import annotations

import logging
import logging.handlers
from dataclasses import dataclass
from pathlib import Path

from desktop_app.credentials import KeyringSecretStore, SecretStore
from desktop_app.errors import ExpectedError
from desktop_app.paths import AppPaths
from desktop_app.services.status import StatusService
from desktop_app.settings import Settings, load_settings
from desktop_app.storage.database import Database

log = logging.getLogger(__name__)

LOG_FILE_BYTES = 2_000_000
LOG_FILE_BACKUPS = 5


@dataclass
class AppContext:
    """Everything the UI needs, built once at start-up."""

    paths: AppPaths
    settings: Settings
    database: Database
    secrets: SecretStore
    status: StatusService

    def close(self) -> None:
        self.database.close()


def build_context(data_dir: Path, secrets: SecretStore | None = None) -> AppContext:
    """Open the data folder: create it if needed, upgrade the database, build the services.

    Raises:
        ExpectedError: the folder cannot be created or the database cannot be opened.
    """
    paths = AppPaths(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _data_dir_error(data_dir) from error
    settings = load_settings(paths.settings)
    database = Database.open(paths.database)
    log.info("data folder %s, database %s", data_dir, paths.database)
    return AppContext(
        paths=paths,
        settings=settings,
        database=database,
        secrets=secrets or KeyringSecretStore(),
        status=StatusService(database, settings),
    )


def configure_logging(paths: AppPaths) -> None:
    """Log to a rotating file in the data folder (and nowhere a user would see a traceback).

    Raises:
        ExpectedError: the log folder cannot be created (this runs before ``build_context``).
    """
    try:
        paths.logs_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            paths.log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        raise _data_dir_error(paths.data_dir) from error
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _data_dir_error(data_dir: Path) -> ExpectedError:
    return ExpectedError(
        f"Не удалось создать папку данных программы «{data_dir}». Проверьте права доступа "
        "или укажите другую папку параметром --data-dir."
    )
