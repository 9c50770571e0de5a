"""Tripwires: patterns of calls that look like toll fraud, decided from plain data (no I/O).

Each rule answers with a Trip (what it saw, in a sentence for admins, and the number prefix
it is about) or None. Defaults and why (the policy holds them; docs/slack.md repeats this):

- A workspace's first call to a country other than the caller's own: international
  revenue-share fraud rings destinations a business never calls, and the first call there
  is the cheapest moment to notice. Always on.
- A user's spend in the last hour above `spend_factor` (5) times their usual hourly spend
  (their spend over 30 days per hour in which they called) and above `spend_floor` (5.00):
  a stolen or scripted account spends in bursts; five times usual passes a busy day, and
  the floor keeps small amounts quiet.
- `short_calls` (5) calls within an hour to one prefix (country code and 3 digits) that each
  ended within 30 seconds, or were never answered: test calls and callback scams probe
  number ranges with short calls.
- A call at an hour of the day (UTC, within an hour either side) when the user has never
  called in 30 days, once they have `usual_hours_history` (10) calls to judge by: an
  account used by someone else calls when its owner does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import phonenumbers

from .formatting import format_money

SHORT_CALL_SECONDS = 30
PREFIX_DIGITS = 3  # after the country code: enough to name a number range


class Pattern(StrEnum):
    NEW_COUNTRY = "new_country"
    SPEND_SPIKE = "spend_spike"
    SHORT_CALLS = "short_calls"
    UNUSUAL_HOUR = "unusual_hour"


TITLES: dict[str, str] = {  # by Pattern (a str): stored patterns are looked up as text
    Pattern.NEW_COUNTRY: "first call to a country",
    Pattern.SPEND_SPIKE: "spend far above usual",
    Pattern.SHORT_CALLS: "many short calls to one prefix",
    Pattern.UNUSUAL_HOUR: "a call at an unusual hour",
}


@dataclass(frozen=True, slots=True)
class Trip:
    pattern: Pattern
    user_id: str
    prefix: str  # digits: what *Block this prefix* blocks
    summary: str  # mrkdwn, for admins


@dataclass(frozen=True, slots=True)
class PastCall:
    """What the rules need of a call."""

    user_id: str
    dsts: tuple[str, ...]
    created_at: datetime
    cost: Decimal
    duration: int
    ended: bool


def calling_code(number: str) -> str:
    """The country calling code of Talkety's digits ("44" for 4420...)."""
    try:
        return str(phonenumbers.parse("+" + number).country_code)
    except phonenumbers.NumberParseException:
        return number[:1]


def range_prefix(number: str) -> str:
    code = calling_code(number)
    return number[: len(code) + PREFIX_DIGITS]


def new_country(user_id: str, number: str, country: str) -> Trip:
    """The first call from the workspace to `number`'s country (the caller decides it is)."""
    code = calling_code(number)
    return Trip(
        Pattern.NEW_COUNTRY,
        user_id,
        code,
        f"<@{user_id}> placed this workspace's first call to {country} (+{code}).",
    )


def spend_spike(
    user_id: str,
    hour: Sequence[PastCall],
    before: Sequence[PastCall],
    *,
    factor: int,
    floor: Decimal,
    currency: str,
) -> Trip | None:
    """`hour`: the user's calls dialled in the last hour; `before`: in the 30 days before."""
    if not factor or not hour:
        return None
    spent = sum((c.cost for c in hour), Decimal(0))
    hours = {c.created_at.replace(minute=0, second=0, microsecond=0) for c in before}
    usual = sum((c.cost for c in before), Decimal(0)) / max(len(hours), 1)
    if spent <= floor or spent <= factor * usual:
        return None
    top = Counter(range_prefix(d) for c in hour for d in c.dsts).most_common(1)[0][0]
    return Trip(
        Pattern.SPEND_SPIKE,
        user_id,
        top,
        f"<@{user_id}> spent {format_money(spent, currency)} in the last hour; their usual "
        f"is {format_money(usual, currency)} an hour. Most of it went to +{top}…",
    )


def short_calls(calls: Iterable[PastCall], *, threshold: int) -> list[Trip]:
    """Prefixes rung `threshold` times or more with calls that ended within 30 s."""
    if not threshold:
        return []
    short: dict[str, list[PastCall]] = {}
    for call in calls:
        if call.ended and call.duration < SHORT_CALL_SECONDS:
            for prefix in {range_prefix(d) for d in call.dsts}:
                short.setdefault(prefix, []).append(call)
    trips = []
    for prefix, found in sorted(short.items()):
        if len(found) >= threshold:
            users = sorted({c.user_id for c in found})
            by = ", ".join(f"<@{u}>" for u in users)
            trips.append(
                Trip(
                    Pattern.SHORT_CALLS,
                    users[0],
                    prefix,
                    f"{len(found)} calls to +{prefix}… in the last hour each ended within "
                    f"{SHORT_CALL_SECONDS} seconds (or were never answered), placed by {by}.",
                )
            )
    return trips


def unusual_hour(
    user_id: str, number: str, at: datetime, before: Sequence[PastCall], *, history: int
) -> Trip | None:
    """A call at `at` when the user never called within an hour of that time of day."""
    if not history or len(before) < history:
        return None
    hours = {c.created_at.hour for c in before}
    if any((at.hour + shift) % 24 in hours for shift in (-1, 0, 1)):
        return None
    return Trip(
        Pattern.UNUSUAL_HOUR,
        user_id,
        range_prefix(number),
        f"<@{user_id}> placed a call at {at:%H:%M} UTC; in {len(before)} calls over 30 days "
        "they never called within an hour of that time.",
    )
