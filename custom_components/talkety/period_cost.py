"""What calls cost today and this month, as Home Assistant counts it (the API has
no per-day or per-month figure)."""

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


def local_month_start(moment: datetime) -> datetime:
    """The local midnight starting the month of `moment` (aware)."""
    return dt_util.start_of_local_day(dt_util.as_local(moment).date().replace(day=1))


@dataclass(slots=True)
class PeriodCost:
    """Cost of the calls of one period (a day, a month): ended ones plus the running
    cost of active ones. `start` is the period's first day.

    A call that runs over the period's end counts toward each period with the
    cost it accrued in it: at the rollover its cost so far becomes its baseline.
    """

    start: date
    ended: Decimal = Decimal(0)
    baseline: dict[SubjectKey, Decimal] = field(default_factory=dict)

    def roll(self, start: date, active: Iterable[Subject]) -> bool:
        """Start a new period if `start` is after the current one's; True if it did."""
        if start <= self.start:
            return False
        self.start = start
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


def cost_since(call: Call, moment: datetime) -> Decimal:
    """The part of an ended call's cost accrued after `moment` (a period's start).

    Cost accrues only while connected, which is the last `duration` seconds
    before the end: prorate if that stretch began before `moment`.
    """
    if call.end is None or call.end < moment:
        return Decimal(0)
    if call.duration <= 0:
        return call.total_costs
    after = Decimal(str((call.end - moment).total_seconds()))
    share = min(Decimal(1), after / Decimal(call.duration))
    return (call.total_costs * share).quantize(Decimal("0.00001"))


class Costs:
    """The day's and the month's cost, in local time, rolled over as the clock moves."""

    def __init__(self, now: datetime) -> None:
        self.daily = PeriodCost(local_midnight(now).date())
        self.monthly = PeriodCost(local_month_start(now).date())

    def roll(self, now: datetime, active: Iterable[Subject]) -> bool:
        """Start a new day (and month) if `now` is in one; True if either started."""
        active = list(active)
        new_month = self.monthly.roll(local_month_start(now).date(), active)
        return self.daily.roll(local_midnight(now).date(), active) or new_month

    def add_ended(self, subject: Subject) -> None:
        self.daily.add_ended(subject)
        self.monthly.add_ended(subject)

    def add_earlier(self, today: Decimal, month: Decimal) -> None:
        """Calls that ended before Home Assistant followed them."""
        self.daily.ended += today
        self.monthly.ended += month
