"""Fault injection: make the next requests fail the ways real networks and servers do.

Each fault applies to the next `count` requests for `action` (None: any action)
that pass authentication and the rate limit. Faults are used up in the order
they were added. `latency` is separate and stacks with the others.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import Enum


class FaultKind(Enum):
    FAIL = "fail"  # answer an <error> with code 500; the action is not performed
    DROP_BEFORE_EFFECT = "drop_before_effect"  # close the connection; not performed
    DROP_AFTER_EFFECT = "drop_after_effect"  # perform, then close without answering
    MALFORMED = "malformed"  # perform, then answer 200 with broken XML
    HOLD = "hold"  # perform, then keep the answer until release(): a client's timeout


@dataclass(slots=True)
class _Rule:
    kind: FaultKind | None  # None: a latency rule
    action: str | None
    remaining: int | None  # None: forever
    status: int = 500
    seconds: float = 0.0

    def matches(self, action: str) -> bool:
        return (self.action is None or self.action == action) and self.remaining != 0


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """What to do to one request."""

    delay: float = 0.0
    kind: FaultKind | None = None
    status: int = 500
    hold: asyncio.Event | None = None


class Faults:
    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._held = asyncio.Event()

    def latency(self, seconds: float, action: str | None = None, count: int | None = None) -> None:
        """Delay answers by `seconds` of real time (after the action is performed).

        `count=None` keeps the delay until `clear()`; `seconds=0` removes the delays.
        """
        if seconds < 0:
            raise ValueError("latency must not be negative")
        if seconds == 0:
            self._rules = [r for r in self._rules if r.kind is not None]
            return
        self._add(_Rule(None, action, _count(count, allow_none=True), seconds=seconds))

    def fail_next(self, action: str | None = None, status: int = 500, count: int = 1) -> None:
        if not 500 <= status <= 599:
            raise ValueError("fail_next simulates server errors: status must be 5xx")
        self._add(_Rule(FaultKind.FAIL, action, _count(count), status=status))

    def drop_before_effect(self, action: str | None = None, count: int = 1) -> None:
        self._add(_Rule(FaultKind.DROP_BEFORE_EFFECT, action, _count(count)))

    def drop_after_effect(self, action: str | None = None, count: int = 1) -> None:
        self._add(_Rule(FaultKind.DROP_AFTER_EFFECT, action, _count(count)))

    def malformed_next(self, action: str | None = None, count: int = 1) -> None:
        self._add(_Rule(FaultKind.MALFORMED, action, _count(count)))

    def hold(self, action: str | None = None, count: int = 1) -> None:
        """Perform the action, then answer only after `release()`.

        A client's timeout then fires after the action took effect, whatever the
        timings: no race between a short timeout and a longer latency.
        """
        self._add(_Rule(FaultKind.HOLD, action, _count(count)))

    def release(self) -> None:
        """Send the answers held so far."""
        self._held.set()
        self._held = asyncio.Event()

    def clear(self) -> None:
        self._rules.clear()

    @property
    def pending(self) -> int:
        """How many rules still wait to be used (forever-latency counts as one)."""
        return len(self._rules)

    def take(self, action: str) -> FaultPlan:
        """Use up the faults that apply to this request."""
        delay = 0.0
        chosen: _Rule | None = None
        for rule in self._rules:
            if not rule.matches(action):
                continue
            if rule.kind is None:
                delay = max(delay, rule.seconds)
                _use(rule)
            elif chosen is None:
                chosen = rule
                _use(rule)
        self._rules = [r for r in self._rules if r.remaining != 0]
        if chosen is None:
            return FaultPlan(delay=delay)
        held = self._held if chosen.kind is FaultKind.HOLD else None
        return FaultPlan(delay=delay, kind=chosen.kind, status=chosen.status, hold=held)

    def _add(self, rule: _Rule) -> None:
        self._rules.append(rule)


def _use(rule: _Rule) -> None:
    if rule.remaining is not None:
        rule.remaining -= 1


def _count(count: int | None, *, allow_none: bool = False) -> int | None:
    if count is None and allow_none:
        return None
    if count is None or count < 1:
        raise ValueError("count must be a positive integer")
    return count
