"""Server fixtures: a migrated database (SQLite, and PostgreSQL when PFDO_TEST_PG_URL is set), the app
with a clock that stands still, a test client, a small region, and a real uvicorn on a loopback port.

Tests that take ``database_url`` run once per available backend. On PostgreSQL each test gets a schema of
its own, dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server.api.app import create_app
from server.auth.passwords import Passwords
from server.clock import FixedClock
from server.config import DEFAULT_TIMEZONE, ServerConfig
from server.db import migrate
from server.db.engine import ServerDatabase, create_server_engine, sqlite_url
from tests.server.world import World, build_world

PG_URL_VARIABLE = "PFDO_TEST_PG_URL"
TEST_NOW = datetime(2026, 9, 10, 3, 30, tzinfo=UTC)  # 10:30 in Kemerovo, a busy September morning
BACKENDS = ["sqlite", "postgresql"] if os.environ.get(PG_URL_VARIABLE) else ["sqlite"]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "server.sqlite3")
        return
    base = os.environ[PG_URL_VARIABLE]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def config(database_url: str) -> ServerConfig:
    return ServerConfig(
        database_url=database_url, secret=b"s" * 32, timezone=DEFAULT_TIMEZONE, fast_password_hashing=True
    )


@pytest.fixture
def database(config: ServerConfig) -> Iterator[ServerDatabase]:
    engine = create_server_engine(config.database_url)
    migrate.upgrade(engine)
    built = ServerDatabase(engine)
    yield built
    built.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEFAULT_TIMEZONE, TEST_NOW)


@pytest.fixture
def app(config: ServerConfig, database: ServerDatabase, clock: FixedClock) -> FastAPI:
    return create_app(config, database, clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def world(database: ServerDatabase, clock: FixedClock) -> World:
    return build_world(database, Passwords(fast=True), clock.now())


@dataclass
class LiveServer:
    url: str
    app: FastAPI


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """The app served by a real uvicorn on a free loopback port, stopped and joined after the test."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(500):
        if server.started:
            started.set()
            break
        thread.join(timeout=0.01)
    assert started.is_set(), "uvicorn did not start"
    yield LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    server.should_exit = True
    thread.join(timeout=10)
    assert not thread.is_alive()
