"""A sliding-window rate limiter in memory (one server process; a shared store would be needed for several)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime

from server.config import RateLimit


class SlidingWindowLimiter:
    def __init__(self, limit: RateLimit, now: Callable[[], datetime]) -> None:
        self._limit = limit
        self._now = now
        self._hits: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int:
        """Count a request; return 0 when allowed, else the seconds to wait before the next one."""
        now = self._now()
        window_start = now - self._limit.per
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= window_start:
                hits.popleft()
            if len(hits) >= self._limit.requests:
                return max(1, int((hits[0] - window_start).total_seconds()) + 1)
            hits.append(now)
            return 0
