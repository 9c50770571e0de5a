"""One call's life as a schedule fixed when it is dialled.

A call's future is known when it is placed (the number endings in rules.py
decide who answers), so each phase gets a start time up front and the status
at any moment is read off the schedule. Hanging up rewrites the schedule from
that moment on. Nothing runs in the background, and a ManualClock stays exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from ..models import CallStatus
from .money import cost_for
from .rules import ENDED_STATUS, OUTCOME_BY_ENDING, Timings

_SECOND = timedelta(seconds=1)


@dataclass(slots=True, eq=False)
class CallRecord:
    """A call or conference leg. A phase time of None means the phase never comes."""

    id: int
    src: str
    dst: str
    created: datetime
    per_minute: Decimal  # billed per second while connected
    src_name: str = ""
    dst_name: str = ""
    custom_data: str | None = None
    conference_id: int | None = None
    owner: bool = False
    ringing_at: datetime | None = None
    connected_at: datetime | None = None
    ended_at: datetime | None = None
    end_status: CallStatus = ENDED_STATUS

    def status_at(self, t: datetime) -> CallStatus:
        if self.ended_at is not None and t >= self.ended_at:
            return self.end_status
        if self.connected_at is not None and t >= self.connected_at:
            return CallStatus.CONNECTED
        if self.ringing_at is not None and t >= self.ringing_at:
            return CallStatus.RINGING
        return CallStatus.CONNECTING

    def is_active_at(self, t: datetime) -> bool:
        return self.ended_at is None or t < self.ended_at

    def end_at(self, t: datetime) -> datetime | None:
        """call_end as seen at `t`: None while the end is still in the future."""
        return self.ended_at if self.ended_at is not None and t >= self.ended_at else None

    def connected_seconds_at(self, t: datetime) -> int:
        if self.connected_at is None or t <= self.connected_at:
            return 0
        until = t if self.ended_at is None else min(t, self.ended_at)
        return max(0, (until - self.connected_at) // _SECOND)

    def cost_at(self, t: datetime) -> Decimal:
        return cost_for(self.connected_seconds_at(t), self.per_minute)

    def hang_up(self, t: datetime) -> bool:
        """End the call at `t` with ENDED_STATUS; False if it had already ended by then."""
        if not self.is_active_at(t):
            return False
        self.ended_at = t
        self.end_status = ENDED_STATUS
        if self.connected_at is not None and self.connected_at > t:
            self.connected_at = None
        if self.ringing_at is not None and self.ringing_at > t:
            self.ringing_at = None
        return True


def outcome_of(number: str) -> CallStatus | None:
    """How ringing `number` ends if it never answers; None if it answers."""
    for ending, status in OUTCOME_BY_ENDING.items():
        if number.endswith(ending):
            return status
    return None


def plan_call(call: CallRecord, timings: Timings) -> None:
    """A regular call: ring src (connecting), then dst (ringing), then connected."""
    src_answers = _after(call.created, timings.connecting)
    outcome = outcome_of(call.src)
    if outcome is not None:
        _fail(call, src_answers, outcome)
        return
    call.ringing_at = src_answers
    _ring_dst(call, src_answers, timings)


def plan_owner_leg(leg: CallRecord, timings: Timings) -> None:
    """A conference owner: ring the owner (connecting); the bridge answers at once."""
    answered = _after(leg.created, timings.connecting)
    outcome = outcome_of(leg.src)
    if outcome is not None:
        _fail(leg, answered, outcome)
    else:
        leg.connected_at = answered


def plan_participant_leg(leg: CallRecord, owner: CallRecord, timings: Timings) -> None:
    """A participant is dialled (ringing) once the owner leg is connected.

    Until then the leg is `connecting`; if the owner never answers, the leg
    ends with the owner, never dialled.
    """
    if owner.connected_at is None:
        leg.ended_at = owner.ended_at
        leg.end_status = ENDED_STATUS
        return
    dialled = max(leg.created, owner.connected_at)
    leg.ringing_at = dialled
    _ring_dst(leg, dialled, timings)


def _ring_dst(call: CallRecord, ringing_from: datetime, timings: Timings) -> None:
    answered = _after(ringing_from, timings.ringing)
    outcome = outcome_of(call.dst)
    if outcome is not None:
        _fail(call, answered, outcome)
    else:
        call.connected_at = answered


def _fail(call: CallRecord, at: datetime, status: CallStatus) -> None:
    call.ended_at = at
    call.end_status = status


def _after(t: datetime, seconds: float) -> datetime:
    return t + timedelta(seconds=seconds)
