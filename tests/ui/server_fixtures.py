"""Server fixtures for widget tests against a real server: tests/server's fixtures, re-exported, and a region
published in the change log (as tests/sync has it), so a window's workstation can sign in and pull it.

A test module imports the fixtures it uses by name (``from tests.ui.server_fixtures import live_server, ...``).
Widget tests run on SQLite only: the server's backend is the server tests' business, not the window's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from server.auth.passwords import Passwords
from server.clock import FixedClock
from server.db.engine import ServerDatabase, sqlite_url
from tests.server.conftest import (
    LiveServer,
    app,
    clock,
    config,
    database,
    live_server,
)
from tests.server.world import World, build_world
from tests.sync.publish import publish_world

__all__ = ["LiveServer", "app", "clock", "config", "database", "database_url", "live_server", "world"]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The server's database: a SQLite file of the test's own."""
    return sqlite_url(tmp_path / "server.sqlite3")


@pytest.fixture
def world(database: ServerDatabase, clock: FixedClock) -> World:
    """The region of tests/server/world.py, with every record in the change log so workstations pull it."""
    built = build_world(database, Passwords(fast=True), clock.now())
    publish_world(database, clock.now())
    return built
