"""Back-off after repeated wrong passwords, per username (whether or not the user exists)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from server.config import ServerConfig
from server.db.models import LoginThrottle
from server.errors import too_many


def check_not_locked(session: Session, username: str, now: datetime) -> None:
    """Raise 429 with Retry-After while the username is locked out."""
    row = session.get(LoginThrottle, username)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        seconds = int((row.locked_until - now).total_seconds()) + 1
        raise too_many(
            f"Слишком много неудачных попыток входа. Повторите через {seconds} с.", retry_after_seconds=seconds
        )


def record_failure(session: Session, username: str, now: datetime, config: ServerConfig) -> None:
    """Count a wrong password; from the N-th on, lock for a time that doubles each time, up to a maximum."""
    row = session.get(LoginThrottle, username) or LoginThrottle(username=username, failures=0)
    row.failures += 1
    lock = lock_duration(config, row.failures)
    if lock:
        row.locked_until = now + lock
    session.add(row)


def record_success(session: Session, username: str) -> None:
    row = session.get(LoginThrottle, username)
    if row is not None:
        session.delete(row)


def lock_duration(config: ServerConfig, failures: int) -> timedelta:
    """How long the username is locked after that many consecutive failures (zero below the threshold)."""
    excess = failures - config.login_failures_before_lock
    if excess < 0:
        return timedelta(0)
    lock: timedelta = config.login_lock_base * (2 ** min(excess, 20))
    return min(lock, config.login_lock_max)
