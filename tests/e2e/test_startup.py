"""The program as a user starts it: a real process, offscreen, on a fresh data folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from desktop_app import __version__
from desktop_app.storage import migrate
from desktop_app.storage.engine import create_sqlite_engine

START_TIMEOUT_S = 60


def program_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
    }


def run_program(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui", *args],
        env=program_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )


def test_self_check_passes_and_reports_every_check(tmp_path: Path) -> None:
    result = run_program(tmp_path, "--self-check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"АРМ организации ПФДО {__version__}: самопроверка"
    for name in ("База данных", "Qt", "Шрифт интерфейса", "Перевод Qt", "Шрифты документов", "Просмотр PDF"):
        assert any(line.split()[:1] == ["ОК"] and f" {name}:" in line for line in lines), name
    assert any(line.startswith("  ВНИМАНИЕ") and "Хранилище паролей" in line for line in lines)
    assert lines[-1] == "Итог: всё в порядке."


def test_version_option(tmp_path: Path) -> None:
    result = run_program(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"pfdo-desktop {__version__}"


def wait_for_log_line(process: subprocess.Popen[str], log_file: Path, text: str) -> str:
    """Poll the program's log until a line appears or the process dies (no fixed sleeps)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if log_file.exists() and text in (content := log_file.read_text(encoding="utf-8")):
            return content
        if process.poll() is not None:
            raise AssertionError(f"the program exited with {process.returncode}: {process.stderr.read()}")
        time.sleep(0.05)
    raise AssertionError(f"«{text}» did not appear in {log_file}")


def start_program(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ui", *args],
        env=env or program_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_program(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.communicate(timeout=START_TIMEOUT_S)


def assert_database_at_head(path: Path) -> None:
    engine = create_sqlite_engine(path)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_a_fresh_start_opens_the_demo_and_syncs_with_the_embedded_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    process = start_program(tmp_path, "--data-dir", str(data_dir))
    try:
        log = wait_for_log_line(process, data_dir / "logs" / "pfdo-desktop.log", "sync done")
    finally:
        stop_program(process)
    assert "main window shown, version" in log and "(demo)" in log
    assert "Traceback" not in log
    assert " ERROR " not in log
    assert_database_at_head(data_dir / "demo" / "pfdo.sqlite3")
    with sqlite3.connect(data_dir / "demo" / "pfdo.sqlite3") as connection:
        certificates = connection.execute("SELECT count(*) FROM certificate_mirror").fetchone()[0]
        programs = connection.execute("SELECT count(*) FROM programs WHERE status = 'certified'").fetchone()[0]
        requisites = connection.execute("SELECT inn, bik, signatory_name FROM organization_profile").fetchall()
        agreements = connection.execute("SELECT count(*) FROM payment_agreements WHERE active").fetchone()[0]
    assert certificates > 0
    assert programs > 0
    assert requisites == [("4205012438", "043207612", "Кузнецова Татьяна Ивановна")]  # contracts print complete
    assert agreements == 1
    assert (data_dir / "demo" / "server" / "pfdo-server.sqlite3").is_file()


def test_with_a_server_configured_it_works_on_the_real_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "settings.json").write_text('{"server_url": "http://127.0.0.1:9"}', encoding="utf-8")
    process = start_program(tmp_path, "--data-dir", str(data_dir))
    try:
        log = wait_for_log_line(process, data_dir / "logs" / "pfdo-desktop.log", "main window shown")
    finally:
        stop_program(process)
    assert "(demo)" not in log
    assert "Traceback" not in log
    assert_database_at_head(data_dir / "pfdo.sqlite3")
    assert not (data_dir / "demo").exists()


def test_data_folder_from_the_environment(tmp_path: Path) -> None:
    data_dir = tmp_path / "from-env"
    process = start_program(tmp_path, env={**program_env(tmp_path), "PFDO_DATA_DIR": str(data_dir)})
    try:
        wait_for_log_line(process, data_dir / "logs" / "pfdo-desktop.log", "main window shown")
    finally:
        stop_program(process)
    assert (data_dir / "demo" / "pfdo.sqlite3").is_file()
