"""The composition root: from a data folder to open storage and ready services, handed to the UI.

Nothing here knows Qt. The UI's entry point calls ``build_context`` and gives the context to its windows;
a script or a test can do the same without any window.
"""

from __future__ import annotations

import dataclasses
import logging
import logging.handlers
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.credentials import KeyringSecretStore, SecretStore
from desktop_app.errors import ExpectedError
from desktop_app.paths import AppPaths
from desktop_app.services.certificates import CertificateService
from desktop_app.services.contracts import ContractService
from desktop_app.services.documents import DocumentService
from desktop_app.services.programs import ProgramService
from desktop_app.services.references import ReferenceService
from desktop_app.services.requisites import RequisitesService
from desktop_app.services.session import SessionService
from desktop_app.services.status import StatusService
from desktop_app.services.sync import SyncService
from desktop_app.settings import Settings, load_settings, save_settings
from desktop_app.storage.database import Database
from desktop_app.sync.client import ServerClient

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
    session: SessionService
    status: StatusService
    sync: SyncService
    certificates: CertificateService
    contracts: ContractService
    documents: DocumentService
    programs: ProgramService
    references: ReferenceService
    requisites: RequisitesService

    def close(self) -> None:
        self.session.close()
        self.database.close()


def build_context(
    data_dir: Path,
    secrets: SecretStore | None = None,
    make_client: Callable[[str], ServerClient] | None = None,
) -> AppContext:
    """Open the data folder: create it if needed, upgrade the database, build the services.

    Raises:
        ExpectedError: the folder cannot be created or the database cannot be opened.
    """
    paths = AppPaths(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _data_dir_error(data_dir) from error
    settings = _with_device_id(paths)
    database = Database.open(paths.database)
    log.info("data folder %s, database %s", data_dir, paths.database)
    secrets = secrets or KeyringSecretStore()
    ca_bundle = Path(settings.ca_bundle) if settings.ca_bundle else None
    session = SessionService(
        paths.settings, database, secrets, make_client or (lambda url: ServerClient(url, ca_bundle=ca_bundle))
    )
    device_code = (settings.device_id or "0000")[:4].upper()
    return AppContext(
        paths=paths,
        settings=settings,
        database=database,
        secrets=secrets,
        session=session,
        status=StatusService(database, lambda: session.server_url),
        sync=SyncService(database, session),
        certificates=CertificateService(database, session),
        contracts=ContractService(database, lambda: device_code),
        documents=DocumentService(database),
        programs=ProgramService(database),
        references=ReferenceService(database),
        requisites=RequisitesService(database, session),
    )


def _with_device_id(paths: AppPaths) -> Settings:
    """The settings, with this workstation's id made on the first start."""
    settings = load_settings(paths.settings)
    if settings.device_id is None:
        settings = dataclasses.replace(settings, device_id=str(uuid.uuid4()))
        save_settings(paths.settings, settings)
    return settings


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
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # one line per request drowns what matters


def _data_dir_error(data_dir: Path) -> ExpectedError:
    return ExpectedError(
        f"Не удалось создать папку данных программы «{data_dir}». Проверьте права доступа "
        "или укажите другую папку параметром --data-dir."
    )
