"""Settings of a server instance: database, secrets, token lifetimes, limits, the region's time zone."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import platformdirs

SECRET_VARIABLE = "PFDO_SERVER_SECRET"
DEFAULT_TIMEZONE = "Asia/Novokuznetsk"
"""Kuzbass: the region the product started in. Decisions are shown to people in the region's time."""


def default_data_dir() -> Path:
    return platformdirs.user_data_path("pfdo-server", appauthor=False)


def load_or_create_secret(data_dir: Path) -> bytes:
    """The signing secret: ``PFDO_SERVER_SECRET`` (hex) if set, else ``secret.key`` in the data folder.

    The file is created on first start, readable by its owner only.
    """
    from_environment = os.environ.get(SECRET_VARIABLE)
    if from_environment:
        return bytes.fromhex(from_environment)
    path = data_dir / "secret.key"
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_bytes(32)
    path.write_text(value.hex(), encoding="ascii")
    path.chmod(0o600)
    return value


@dataclass(frozen=True)
class RateLimit:
    requests: int
    per: timedelta


@dataclass(frozen=True)
class ServerConfig:
    database_url: str
    secret: bytes
    timezone: str = DEFAULT_TIMEZONE
    access_token_ttl: timedelta = timedelta(minutes=15)
    refresh_token_ttl: timedelta = timedelta(days=30)
    refresh_grace: timedelta = timedelta(seconds=60)
    """A rotated refresh token presented again within this window gets the same new pair (a lost reply)."""
    login_failures_before_lock: int = 5
    login_lock_base: timedelta = timedelta(seconds=30)
    login_lock_max: timedelta = timedelta(minutes=15)
    lookup_limit_per_user: RateLimit = field(default_factory=lambda: RateLimit(30, timedelta(minutes=1)))
    lookup_limit_per_organization: RateLimit = field(default_factory=lambda: RateLimit(120, timedelta(minutes=1)))
    portal_limit: RateLimit = field(default_factory=lambda: RateLimit(10, timedelta(minutes=1)))
    max_body_bytes: int = 1_000_000
    max_price_percent_of_normative: int = 100
    fast_password_hashing: bool = False
    """Only for tests: cheap Argon2 parameters."""
