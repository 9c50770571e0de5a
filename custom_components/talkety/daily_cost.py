"""What today's calls cost, as Home Assistant counts it (the API has no per-day figure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TypeAlias

from homeassistant.util import dt as dt_util

from .core import Call, Conference, Subject

SubjectKey: TypeAlias = tuple[bool, str]  # (is conference, id): the two id spaces may overlap


def key_of(subject: Subject) -> SubjectKey:
    return (isinstance(subject, Conference), subject.id)


def local_midnight(moment: datetime) -> datetime:
    """The local midnight starting the day of `moment` (aware)."""
    return dt_util.start_of_local_day(dt_util.as_local(moment))


@dataclass(slots=True)
class DailyCost:
    """Cost of today's calls: ended ones plus the running cost of active ones.

    A call that runs over midnight counts toward each day with the cost it
    accrued that day: at the rollover its cost so far becomes its baseline.
    """

    day: date
    ended: Decimal = Decimal(0)
    baseline: dict[SubjectKey, Decimal] = field(default_factory=dict)

    def roll(self, day: date, active: Iterable[Subject]) -> bool:
        """Start a new day if `day` is after the current one; True if it did."""
        if day <= self.day:
            return False
        self.day = day
        self.ended = Decimal(0)
        self.baseline = {key_of(s): s.total_costs for s in active}
        return True

    def add_ended(self, subject: Subject) -> None:
        self.ended += subject.total_costs - self.baseline.pop(key_of(subject), Decimal(0))

    def total(self, active: Iterable[Subject]) -> Decimal:
        running = sum(
            (s.total_costs - self.baseline.get(key_of(s), Decimal(0)) for s in active),
            Decimal(0),
        )
        return self.ended + running


def cost_since(call: Call, midnight: datetime) -> Decimal:
    """The part of an ended call's cost accrued after `midnight`.

    Cost accrues only while connected, which is the last `duration` seconds
    before the end: prorate if that period began before midnight.
    """
    if call.end is None or call.end < midnight:
        return Decimal(0)
    if call.duration <= 0:
        return call.total_costs
    after = Decimal(str((call.end - midnight).total_seconds()))
    share = min(Decimal(1), after / Decimal(call.duration))
    return (call.total_costs * share).quantize(Decimal("0.00001"))
