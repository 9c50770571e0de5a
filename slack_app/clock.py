"""The app's clocks: aware UTC for records, monotonic for intervals."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Clocks:
    """What the app reads the time from: the wall clock that dates records and leases,
    and a monotonic one for intervals. Tests give both their own manual clock."""

    now: Callable[[], datetime] = utcnow
    monotonic: Callable[[], float] = time.monotonic
