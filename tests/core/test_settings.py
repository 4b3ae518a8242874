"""Tests of desktop_app.settings: reading and writing settings.json, and surviving a broken one."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from desktop_app.settings import Settings, load_settings, save_settings

CYRILLIC_URL = "https://пфдо.рф/сервер"


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path) == Settings()
    assert load_settings(path).server_url is None
    assert not path.exists()


def test_round_trip_keeps_cyrillic_url(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "settings.json"
    save_settings(path, Settings(server_url=CYRILLIC_URL))
    assert load_settings(path) == Settings(server_url=CYRILLIC_URL)
    # Written as readable UTF-8, not as \u escapes, so an administrator can edit it.
    assert CYRILLIC_URL in path.read_text(encoding="utf-8")


def test_save_replaces_previous_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(server_url="https://old.example"))
    save_settings(path, Settings(server_url=None))
    assert load_settings(path) == Settings()


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"server_url": CYRILLIC_URL, "theme": "dark", "window": [1, 2]}), encoding="utf-8")
    assert load_settings(path) == Settings(server_url=CYRILLIC_URL)
    assert path.exists()
    assert not (tmp_path / "settings.broken.json").exists()


@pytest.mark.parametrize(
    "content",
    [
        b'{"server_url": "https://x.example",',
        b'["https://x.example"]',
        b"null",
        b"\xff\xfe not utf-8",
    ],
    ids=["corrupt-json", "json-list", "json-null", "not-utf8"],
)
def test_broken_file_is_set_aside(tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="desktop_app.settings"):
        assert load_settings(path) == Settings()
    broken = tmp_path / "settings.broken.json"
    assert not path.exists()
    assert broken.read_bytes() == content
    assert any("unreadable" in record.getMessage() for record in caplog.records)
    # The next start reads defaults quietly: the broken file is not read again.
    assert load_settings(path) == Settings()
    assert broken.read_bytes() == content


def test_save_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(server_url=CYRILLIC_URL))
    save_settings(path, Settings(server_url=CYRILLIC_URL + "/2"))
    assert sorted(child.name for child in tmp_path.iterdir()) == ["settings.json"]


def test_failed_save_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(server_url=CYRILLIC_URL))
    before = path.read_bytes()

    def crash(self: Path, target: Path) -> Path:
        raise OSError("power cut")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        save_settings(path, Settings(server_url="https://new.example"))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert load_settings(path) == Settings(server_url=CYRILLIC_URL)


def test_a_server_url_of_the_wrong_type_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"server_url": 5}', encoding="utf-8")
    assert load_settings(path) == Settings()
    assert (tmp_path / "settings.broken.json").read_text(encoding="utf-8") == '{"server_url": 5}'
