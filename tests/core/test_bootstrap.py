"""Tests of desktop_app.bootstrap: from a data folder on disk to open storage, services and a log file."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop_app.bootstrap import AppContext, build_context, configure_logging
from desktop_app.credentials import KeyringSecretStore, MemorySecretStore
from desktop_app.errors import ExpectedError
from desktop_app.paths import AppPaths
from desktop_app.services.status import WorkstationStatus
from desktop_app.settings import Settings, save_settings
from desktop_app.storage import migrate
from tests.core.russian import assert_russian

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
SERVER_URL = "https://пфдо.регион.рф"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "Данные АРМ" / "pfdo"


@pytest.fixture
def context(data_dir: Path) -> Iterator[AppContext]:
    built = build_context(data_dir)
    yield built
    built.close()


def test_empty_folder_is_created_with_database_at_head(data_dir: Path, context: AppContext) -> None:
    assert data_dir.is_dir()
    assert context.paths == AppPaths(data_dir)
    assert context.paths.database.is_file()
    assert context.database.path == context.paths.database
    assert migrate.current_revision(context.database.engine) == migrate.head_revision()
    assert context.settings == Settings(device_id=context.settings.device_id)
    assert context.settings.device_id is not None
    assert isinstance(context.secrets, KeyringSecretStore)


def test_the_workstation_id_is_made_once_and_kept(data_dir: Path, context: AppContext) -> None:
    first = context.settings.device_id
    context.close()
    again = build_context(data_dir)
    try:
        assert again.settings.device_id == first
    finally:
        again.close()


def test_status_of_a_new_workstation(context: AppContext) -> None:
    assert context.status.current() == WorkstationStatus(server_url=None, last_synced_at=None, pending_changes=0)


def test_status_counts_outbox_operations(context: AppContext) -> None:
    with context.database.write() as work:
        work.outbox.enqueue("program.create", 1, uuid.uuid4(), {"name": "Робототехника"}, NOW)
        work.outbox.enqueue("contract.create", 1, uuid.uuid4(), {"number": None}, NOW)
    assert context.status.current().pending_changes == 2


def test_rolled_back_outbox_operation_is_not_counted(context: AppContext) -> None:
    with pytest.raises(RuntimeError), context.database.write() as work:
        work.outbox.enqueue("program.create", 1, uuid.uuid4(), {}, NOW)
        raise RuntimeError("failed half-way")
    assert context.status.current().pending_changes == 0


def test_settings_file_is_picked_up(data_dir: Path) -> None:
    save_settings(AppPaths(data_dir).settings, Settings(server_url=SERVER_URL))
    secrets = MemorySecretStore()
    context = build_context(data_dir, secrets)
    try:
        assert context.settings.server_url == SERVER_URL
        assert context.status.current().server_url == SERVER_URL
        assert context.secrets is secrets
    finally:
        context.close()


def test_reopening_keeps_data(data_dir: Path) -> None:
    first = build_context(data_dir)
    with first.database.write() as work:
        work.outbox.enqueue("program.create", 1, uuid.uuid4(), {}, NOW)
    first.close()
    second = build_context(data_dir)
    try:
        assert second.status.current().pending_changes == 1
    finally:
        second.close()


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "pfdo"
    not_a_folder.write_bytes(b"just a file")
    with pytest.raises(ExpectedError) as error:
        build_context(not_a_folder)
    message = error.value.user_message
    assert f"«{not_a_folder}»" in message
    assert_russian(message, str(not_a_folder), "--data-dir")
    assert not_a_folder.read_bytes() == b"just a file"


def test_damaged_database_file_is_left_unchanged(data_dir: Path) -> None:
    database = AppPaths(data_dir).database
    data_dir.mkdir(parents=True)
    garbage = bytes(range(256)) * 64
    database.write_bytes(garbage)
    with pytest.raises(ExpectedError) as error:
        build_context(data_dir)
    message = error.value.user_message
    assert "повреждён" in message
    assert f"«{database}»" in message
    assert_russian(message, str(database))
    assert database.read_bytes() == garbage


def test_database_from_newer_program_is_left_unchanged(data_dir: Path) -> None:
    build_context(data_dir).close()
    database = AppPaths(data_dir).database
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = database.read_bytes()

    with pytest.raises(ExpectedError) as error:
        build_context(data_dir)
    message = error.value.user_message
    assert "более новой версией программы" in message
    assert_russian(message, str(database))
    assert database.read_bytes() == before
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]
    finally:
        connection.close()


def _new_root_handlers(before: list[logging.Handler]) -> list[logging.Handler]:
    return [handler for handler in logging.getLogger().handlers if handler not in before]


def test_configure_logging_writes_to_log_file(data_dir: Path) -> None:
    paths = AppPaths(data_dir)
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    level_before = root.level
    try:
        configure_logging(paths)
        added = _new_root_handlers(handlers_before)
        assert len(added) == 1
        logging.getLogger("desktop_app.test").info("журнал работает")
        added[0].flush()
        text = paths.log_file.read_text(encoding="utf-8")
        assert "INFO desktop_app.test [MainThread] журнал работает" in text
    finally:
        for handler in _new_root_handlers(handlers_before):
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level_before)


def test_configure_logging_in_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    """The UI configures logging before building the context, so this must be an expected problem too."""
    not_a_folder = tmp_path / "pfdo"
    not_a_folder.write_bytes(b"just a file")
    handlers_before = list(logging.getLogger().handlers)
    with pytest.raises(ExpectedError) as error:
        configure_logging(AppPaths(not_a_folder))
    assert f"«{not_a_folder}»" in error.value.user_message
    assert _new_root_handlers(handlers_before) == []
