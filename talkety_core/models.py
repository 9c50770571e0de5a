"""Typed, immutable views of the documents the Talkety API returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias


class CallStatus(StrEnum):
    """Status of a call, a conference leg or a conference (talkety-api.md).

    The vendor says the list may change, so a value it does not know becomes
    UNKNOWN (the raw text stays on the model) instead of failing.
    """

    CONNECTING = "connecting"
    RINGING = "ringing"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @classmethod
    def _missing_(cls, value: object) -> CallStatus:
        return cls.UNKNOWN

    @property
    def is_active(self) -> bool:
        return self in _ACTIVE

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_ACTIVE = frozenset({CallStatus.CONNECTING, CallStatus.RINGING, CallStatus.CONNECTED})
_FINAL = frozenset(
    {CallStatus.DISCONNECTED, CallStatus.BUSY, CallStatus.NO_ANSWER, CallStatus.FAILED}
)


@dataclass(frozen=True, slots=True)
class Call:
    """One call, or one leg of a conference.

    `custom_data` is what the caller passed when dialling, exactly: the
    client's own dial token is removed before a Call reaches you.
    `conference_id` is set on conference legs when the API says which
    conference they belong to; `owner` marks the conference's original caller.
    """

    id: str
    status: CallStatus
    status_raw: str
    src: str
    dst: str
    start: datetime | None = None
    end: datetime | None = None
    via: str | None = None
    src_name: str | None = None
    dst_name: str | None = None
    duration: int = 0
    total_costs: Decimal = Decimal(0)
    custom_data: str | None = None
    owner: bool = False
    conference_id: str | None = None

    @property
    def is_active(self) -> bool:
        """True until the call has ended (an unknown status counts by its end time)."""
        if self.status is CallStatus.UNKNOWN:
            return self.end is None
        return self.status.is_active


@dataclass(frozen=True, slots=True)
class Conference:
    """A conference: a container for one call (leg) per participant."""

    id: str
    status: CallStatus
    status_raw: str
    src: str
    dst: str = "webconference"
    start: datetime | None = None
    end: datetime | None = None
    via: str | None = None
    src_name: str | None = None
    dst_name: str | None = None
    duration: int = 0
    total_costs: Decimal = Decimal(0)
    custom_data: str | None = None
    legs: tuple[Call, ...] = field(default_factory=tuple)

    @property
    def is_active(self) -> bool:
        if self.status is CallStatus.UNKNOWN:
            return self.end is None
        return self.status.is_active

    @property
    def owner_leg(self) -> Call | None:
        """The original caller's leg; hanging it up ends the whole conference."""
        return next((leg for leg in self.legs if leg.owner), None)

    @property
    def active_legs(self) -> tuple[Call, ...]:
        return tuple(leg for leg in self.legs if leg.is_active)


@dataclass(frozen=True, slots=True)
class PricedNumber:
    """One number of a pricing answer; `cost` is per minute, None when invalid."""

    number: str
    valid: bool
    cost: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Pricing:
    """Per-minute prices of some numbers; `total_costs` sums the valid ones."""

    total_costs: Decimal
    numbers: tuple[PricedNumber, ...]

    @property
    def invalid_numbers(self) -> tuple[str, ...]:
        return tuple(n.number for n in self.numbers if not n.valid)

    @property
    def all_valid(self) -> bool:
        return all(n.valid for n in self.numbers)

    def cost_of(self, number: str) -> Decimal | None:
        """Per-minute price of one number, or None if invalid or not asked for."""
        return next((n.cost for n in self.numbers if n.number == number), None)


@dataclass(frozen=True, slots=True)
class FormattedNumber:
    """One answer of number_format: what was sent and the digits Talkety dials."""

    input: str
    number: str
    valid: bool


# What a call id or a conference id names; the monitor and the front ends follow both.
Subject: TypeAlias = Call | Conference
