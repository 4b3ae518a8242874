"""When to try again after a failed sync: exponential back-off with jitter.

Only failures worth retrying get here (no connection, 5xx, 429). The delay doubles with each failure up to
a ceiling, and the actual wait is drawn at random in its upper half, so a hundred workstations that lost the
connection together do not all come back in the same second. A server's Retry-After is a floor.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

BASE_DELAY_S = 5.0
MAX_DELAY_S = 300.0


@dataclass
class Backoff:
    base: float = BASE_DELAY_S
    ceiling: float = MAX_DELAY_S
    random_source: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def next_delay(self, retry_after: float | None = None) -> float:
        """Count a failure and return how many seconds to wait before the next attempt."""
        self.failures += 1
        cap = min(self.ceiling, self.base * 2 ** (self.failures - 1))
        delay = self.random_source.uniform(cap / 2, cap)
        return max(delay, retry_after or 0.0)

    def reset(self) -> None:
        """A sync succeeded: the next failure starts from the base delay again."""
        self.failures = 0
