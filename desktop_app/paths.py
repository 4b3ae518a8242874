"""Where the program keeps its data, logs and settings, and where its bundled resources are.

The data folder is the user's data folder (platformdirs), unless ``--data-dir`` or ``PFDO_DATA_DIR`` says
otherwise. Resources sit in ``resources/`` beside the packages, or inside the PyInstaller bundle.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "pfdo-desktop"
DATA_DIR_VARIABLE = "PFDO_DATA_DIR"


def default_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def resolve_data_dir(command_line: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The data folder: the command line wins, then the environment, then the user's data folder."""
    chosen = command_line or environ.get(DATA_DIR_VARIABLE)
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


def resources_dir() -> Path:
    """The bundled resources: fonts, icons, templates."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """The files of one data folder."""

    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "pfdo.sqlite3"

    @property
    def settings(self) -> Path:
        return self.data_dir / "settings.json"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs_dir / "pfdo-desktop.log"
