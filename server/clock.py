"""The server's clock, the only source of time for decisions (the client's clock is never trusted)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """Real time, in UTC, and today's date in the region."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)


class FixedClock(Clock):
    """A clock that stands still until moved: for tests and the demo's reproducible data."""

    def __init__(self, timezone: str, now: datetime) -> None:
        super().__init__(timezone)
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta
