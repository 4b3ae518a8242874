"""Fixtures for the workstation's sync against a real server: the server fixtures of tests/server, a
region whose records are published in the change log, and workstations (client contexts) signed in to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from server.auth.passwords import Passwords
from server.clock import FixedClock
from server.db.engine import ServerDatabase
from tests.server.conftest import (  # noqa: F401 — re-exported fixtures
    LiveServer,
    app,
    client,
    clock,
    config,
    database,
    database_url,
    live_server,
)
from tests.server.world import PASSWORD, World, build_world
from tests.sync.publish import publish_world


@pytest.fixture
def world(database: ServerDatabase, clock: FixedClock) -> World:
    """The region of tests/server/world.py, with every record in the change log so workstations pull it."""
    built = build_world(database, Passwords(fast=True), clock.now())
    publish_world(database, clock.now())
    return built


Workstation = Callable[[str], AppContext]


@pytest.fixture
def workstation(tmp_path: Path, live_server: LiveServer, world: World) -> Iterator[Workstation]:
    """Make a workstation (a data folder of its own) and sign its user in with «Запомнить меня»."""
    opened: list[AppContext] = []

    def make(username: str) -> AppContext:
        context = build_context(tmp_path / f"workstation-{username}-{len(opened)}", secrets=MemorySecretStore())
        opened.append(context)
        context.session.sign_in(live_server.url, username, PASSWORD, remember=True)
        return context

    yield make
    for context in opened:
        context.close()
