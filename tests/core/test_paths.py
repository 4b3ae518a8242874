"""Tests of desktop_app.paths: choosing the data folder, its file names, and where the resources are."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from desktop_app.paths import APP_NAME, DATA_DIR_VARIABLE, AppPaths, default_data_dir, resolve_data_dir, resources_dir


def test_command_line_wins_over_environment(tmp_path: Path) -> None:
    chosen = resolve_data_dir(str(tmp_path / "cli"), {DATA_DIR_VARIABLE: str(tmp_path / "env")})
    assert chosen == tmp_path.resolve() / "cli"


def test_environment_is_used_without_command_line(tmp_path: Path) -> None:
    assert resolve_data_dir(None, {DATA_DIR_VARIABLE: str(tmp_path / "env")}) == tmp_path.resolve() / "env"


def test_default_is_the_user_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The real environment must not leak in: only the mapping passed counts.
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "ignored"))
    chosen = resolve_data_dir(None, {})
    assert chosen == platformdirs.user_data_path(APP_NAME, appauthor=False)
    assert chosen == default_data_dir()
    assert chosen.name == APP_NAME


def test_empty_environment_variable_means_default() -> None:
    assert resolve_data_dir(None, {DATA_DIR_VARIABLE: ""}) == default_data_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is the Linux convention")
def test_default_follows_xdg_data_home_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert resolve_data_dir(None, {}) == tmp_path / APP_NAME


@pytest.mark.parametrize("source", ["command_line", "environment"])
def test_home_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))  # what expanduser reads on Windows
    if source == "command_line":
        chosen = resolve_data_dir("~/pfdo", {})
    else:
        chosen = resolve_data_dir(None, {DATA_DIR_VARIABLE: "~/pfdo"})
    assert chosen == tmp_path.resolve() / "pfdo"


def test_relative_path_is_resolved_against_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    chosen = resolve_data_dir("data/../данные", {})
    assert chosen.is_absolute()
    assert chosen == tmp_path.resolve() / "данные"


def test_app_paths_file_names(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path)
    assert paths.data_dir == tmp_path
    assert paths.database == tmp_path / "pfdo.sqlite3"
    assert paths.settings == tmp_path / "settings.json"
    assert paths.logs_dir == tmp_path / "logs"
    assert paths.log_file == tmp_path / "logs" / "pfdo-desktop.log"


def test_resources_are_beside_the_packages() -> None:
    resources = resources_dir()
    font = resources / "fonts" / "DejaVuSans.ttf"
    icon = resources / "icons" / "app.png"
    assert font.is_file()
    assert icon.is_file()
    assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_resources_inside_pyinstaller_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"
