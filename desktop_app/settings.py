"""Workstation settings kept in ``settings.json`` in the data folder."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Settings:
    server_url: str | None = None
    """The regional server; None until it is configured."""


def load_settings(path: Path) -> Settings:
    """Read the settings; a missing file means defaults, an unreadable one is logged and set aside."""
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise TypeError("settings must be a JSON object")
        known = {field.name for field in fields(Settings)}
        settings = Settings(**{key: value for key, value in raw.items() if key in known})
        if settings.server_url is not None and not isinstance(settings.server_url, str):
            raise TypeError("server_url must be a string")
        return settings
    except (ValueError, TypeError) as error:
        broken = path.with_suffix(".broken.json")
        log.warning("settings file %s is unreadable (%s); moved to %s, using defaults", path, error, broken)
        path.replace(broken)
        return Settings()


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically: a crash mid-write leaves the old file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)
