"""From command-line choices to a running server: data folder, secret, database (migrated), app."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from fastapi import FastAPI

from server.api.app import create_app
from server.clock import Clock
from server.config import ServerConfig, default_data_dir, load_or_create_secret
from server.db import migrate
from server.db.engine import ServerDatabase, create_server_engine, sqlite_url


@dataclass
class Runtime:
    config: ServerConfig
    database: ServerDatabase
    clock: Clock

    def app(self) -> FastAPI:
        return create_app(self.config, self.database, self.clock)

    def close(self) -> None:
        self.database.dispose()


def open_runtime(database_url: str | None, data_dir: Path | None, **overrides: object) -> Runtime:
    """Open (and migrate) the database; a SQLite file in the data folder unless a URL is given."""
    folder = data_dir or default_data_dir()
    url = database_url or sqlite_url(folder / "pfdo-server.sqlite3")
    config = replace(ServerConfig(database_url=url, secret=load_or_create_secret(folder)), **overrides)  # type: ignore[arg-type]
    engine = create_server_engine(url)
    migrate.upgrade(engine)
    return Runtime(config=config, database=ServerDatabase(engine), clock=Clock(config.timezone))
