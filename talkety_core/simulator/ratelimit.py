"""A token bucket on the simulator's clock: `burst` requests at once, then `rate` per second."""

from __future__ import annotations

from datetime import datetime


class TokenBucket:
    def __init__(self, rate: float, burst: int, now: datetime) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate limit needs rate > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._updated = now

    def take(self, now: datetime) -> float | None:
        """Spend one token; if none is left, the seconds until one will be."""
        elapsed = max(0.0, (now - self._updated).total_seconds())
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
        self._updated = max(now, self._updated)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return (1.0 - self._tokens) / self.rate
