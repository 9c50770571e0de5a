"""Where the simulator's "now" comes from.

The engine never reads the system time itself: it asks a Clock, so tests can
move time by hand (ManualClock) and demos can run faster than life (RealClock).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current simulated time, an aware UTC datetime."""


class ManualClock:
    """A clock that only moves when told to: deterministic tests."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self._now = _aware_utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        """Move forward by `seconds` (never backwards: time-ordered state relies on it)."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += timedelta(seconds=seconds)
        return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()})"


class RealClock:
    """Wall-clock time, optionally accelerated: `speed=10` makes a minute pass in 6 s.

    Time is measured with a monotonic counter from the moment of creation, so
    the simulated clock never jumps when the system clock is adjusted.
    """

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = datetime.now(UTC)
        self._origin_mono = time.monotonic()

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self._origin_mono) * self.speed
        return self._origin + timedelta(seconds=elapsed)

    def __repr__(self) -> str:
        return f"RealClock(speed={self.speed})"


def _aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("clock times must be timezone-aware")
    return moment.astimezone(UTC)
