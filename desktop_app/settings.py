"""Workstation settings kept in ``settings.json`` in the data folder."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RememberedUser:
    """Who signed in with «Запомнить меня» (no secrets: the refresh token is in the keyring)."""

    username: str
    user_id: str
    full_name: str
    role: str
    organization_id: str
    organization_name: str


@dataclass(frozen=True, slots=True)
class Settings:
    server_url: str | None = None
    """The regional server; None until it is configured."""
    device_id: str | None = None
    """This workstation's id, made once; refresh tokens are bound to it."""
    ca_bundle: str | None = None
    """A CA bundle to verify the server's TLS certificate with, when the region uses its own CA."""
    remembered_user: RememberedUser | None = None


def load_settings(path: Path) -> Settings:
    """Read the settings; a missing file means defaults, an unreadable one is logged and set aside."""
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise TypeError("settings must be a JSON object")
        return _from_json(raw)
    except (ValueError, TypeError) as error:
        broken = path.with_suffix(".broken.json")
        log.warning("settings file %s is unreadable (%s); moved to %s, using defaults", path, error, broken)
        path.replace(broken)
        return Settings()


def _from_json(raw: dict[str, Any]) -> Settings:
    values: dict[str, Any] = {}
    for field in fields(Settings):
        value = raw.get(field.name)
        if field.name == "remembered_user" and value is not None:
            if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
                raise TypeError("remembered_user must be an object of strings")
            value = RememberedUser(**value)
        elif value is not None and field.name != "remembered_user" and not isinstance(value, str):
            raise TypeError(f"{field.name} must be a string")
        values[field.name] = value
    return Settings(**values)


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically: a crash mid-write leaves the old file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)
