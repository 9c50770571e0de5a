"""A period's spend from the app's own records of the calls it placed (pure).

A call counts in the period it was dialled; an ended call counts its final cost
from the API, a live one what it has cost so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import phonenumbers
from phonenumbers import geocoder

from .lifecycle import RecordState
from .records import CallRecord

PERIODS = ("today", "yesterday", "week", "month")


@dataclass(frozen=True, slots=True)
class Period:
    name: str
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        last = self.end - timedelta(seconds=1)
        if self.start.date() == last.date():
            return f"{self.name} ({self.start:%Y-%m-%d}, UTC)"
        return f"{self.name} ({self.start:%Y-%m-%d} to {last:%Y-%m-%d}, UTC)"


def period(name: str, now: datetime) -> Period:
    """Calendar periods in UTC: today, yesterday, this week (from Monday), this month."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if name == "yesterday":
        return Period(name, midnight - timedelta(days=1), midnight)
    if name == "week":
        return Period("this week", midnight - timedelta(days=midnight.weekday()), now)
    if name == "month":
        return Period("this month", midnight.replace(day=1), now)
    return Period("today", midnight, now)


@dataclass(frozen=True, slots=True)
class Summary:
    period: Period
    calls: int
    total: Decimal
    by_user: list[tuple[str, Decimal, int]]  # user, spend, calls; dearest first
    by_country: list[tuple[str, Decimal, int]]  # country name, spend, calls
    longest: list[CallRecord]
    auto_hung_up: list[CallRecord]
    unknown: list[CallRecord]  # outcome never learnt: check them in Talkety
    not_placed: int


def summarise(records: Sequence[CallRecord], for_period: Period, *, top: int = 5) -> Summary:
    placed = [r for r in records if r.state is not RecordState.NOT_PLACED]
    users: dict[str, list[Decimal]] = {}
    countries: dict[str, list[Decimal]] = {}
    for record in placed:
        cost = record.cost
        users.setdefault(record.user_id, []).append(cost)
        for country in {country_of(d) for d in record.dsts}:
            countries.setdefault(country, []).append(cost / _countries_in(record))
    return Summary(
        period=for_period,
        calls=len(placed),
        total=sum((r.cost for r in placed), Decimal(0)),
        by_user=_ranked(users),
        by_country=_ranked(countries),
        longest=sorted(placed, key=lambda r: r.duration, reverse=True)[:top],
        auto_hung_up=[r for r in placed if r.auto_hangup],
        unknown=[r for r in placed if _outcome_unknown(r)],
        not_placed=len(records) - len(placed),
    )


def _countries_in(record: CallRecord) -> int:
    # A conference's cost is shared among the countries it rang, not counted twice.
    return len({country_of(d) for d in record.dsts}) or 1


def _ranked(groups: dict[str, list[Decimal]]) -> list[tuple[str, Decimal, int]]:
    rows = [(name, sum(costs, Decimal(0)), len(costs)) for name, costs in groups.items()]
    return sorted(rows, key=lambda row: (-row[1], -row[2], row[0]))


def _outcome_unknown(record: CallRecord) -> bool:
    return record.state is RecordState.UNKNOWN or (
        record.state is RecordState.ENDED and record.status.lower() == "unknown"
    )


def country_name(region: str) -> str:
    """`CA` as people read it (Canada); a calling code (`+888`) or Unknown as it is."""
    example = phonenumbers.example_number(region) if len(region) == 2 else None
    name = geocoder.country_name_for_number(example, "en") if example else ""
    return str(name) or region


def country_of(digits: str) -> str:
    """The country a Talkety number (digits, no +) belongs to, by its calling code."""
    try:
        parsed = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return "Unknown"
    # A number outside the plan's known ranges still has its calling code's country.
    region = phonenumbers.region_code_for_number(parsed) or (
        phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    )
    if not region or region in ("ZZ", "001"):  # 001: a non-geographic code
        return f"+{parsed.country_code}"
    return str(region)
