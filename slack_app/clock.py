"""The app's one clock: aware UTC (tests pass their own `now` wherever time matters)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
