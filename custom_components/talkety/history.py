"""The calls that ended: the latest few (recent calls, last call), and what the ones that
ended before Home Assistant started cost this month and today (read once, at start)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from .const import LOGGER, RECENT_CALLS
from .core import Call, CallMonitor, Subject, TalketyClient, TalketyError
from .period_cost import cost_since, key_of, local_midnight, local_month_start

# How many call_list pages (of 1000) the start-up lookup of this month's calls reads at most.
_SEED_PAGE_SIZE = 1000
_SEED_MAX_PAGES = 30
# call_list's `since` is a call's start: a call that began this long before the month
# and ended in it still counts (the part of its cost accrued in the month).
_LONGEST_CALL = timedelta(days=1)
# Too few calls this month for the recent-calls list: how many older ones to read.
_RECENT_LOOKBACK = 3 * RECENT_CALLS


@dataclass(frozen=True, slots=True)
class EarlierCalls:
    """What the start-up lookup found: the ended calls' cost today and this month, and
    the latest of them."""

    cost_today: Decimal
    cost_month: Decimal
    latest: list[Subject]


class CallHistory:
    def __init__(self, client: TalketyClient, monitor: CallMonitor) -> None:
        self.client = client
        self.monitor = monitor
        self.seeded = False  # the start-up lookup succeeded
        self._recent: list[Subject] = []  # the latest to end first

    @property
    def recent(self) -> tuple[Subject, ...]:
        return tuple(self._recent)

    def remember(self, subject: Subject) -> None:
        """Add an ended call or conference to the recent ones (once, the latest first)."""
        key = key_of(subject)
        recent = [s for s in self._recent if key_of(s) != key]
        recent.append(subject)
        recent.sort(key=_ended_at, reverse=True)
        self._recent = recent[:RECENT_CALLS]

    async def seed(self, now: datetime) -> EarlierCalls | None:
        """Once, at start: the calls that ended before this poll (None: not readable now;
        the next poll asks again)."""
        midnight, month = local_midnight(now), local_month_start(now)
        day_total = month_total = Decimal(0)
        ended: list[Call] = []
        try:
            for page_number in range(_SEED_MAX_PAGES):
                page = await self.client.call_list(
                    since=month - _LONGEST_CALL,
                    limit=_SEED_PAGE_SIZE,
                    offset=page_number * _SEED_PAGE_SIZE,
                )
                for call in self._ended_unfollowed(page):
                    day_total += cost_since(call, midnight)
                    month_total += cost_since(call, month)
                    ended.append(call)
                if len(page) < _SEED_PAGE_SIZE:
                    break
            else:
                LOGGER.warning(
                    "More than %s calls this month: the cost this month counts the newest only",
                    _SEED_MAX_PAGES * _SEED_PAGE_SIZE,
                )
            if len(ended) < RECENT_CALLS:
                older = await self.client.call_list(
                    until=month - _LONGEST_CALL, limit=_RECENT_LOOKBACK
                )
                ended += self._ended_unfollowed(older)
            latest = await self._as_subjects(ended)
        except TalketyError as err:
            LOGGER.debug("Cannot read this month's calls yet (%s); will try again", err)
            return None
        for subject in latest:
            self.remember(subject)
        self.seeded = True
        return EarlierCalls(day_total, month_total, latest)

    def _ended_unfollowed(self, page: Iterable[Call]) -> list[Call]:
        """The ended calls of a page that the monitor does not follow itself."""
        followed_calls = self.monitor.calls
        followed_conferences = self.monitor.conferences
        return [
            call
            for call in page
            if not call.is_active
            and call.id not in followed_calls
            and (call.conference_id is None or call.conference_id not in followed_conferences)
        ]

    async def _as_subjects(self, calls: Iterable[Call]) -> list[Subject]:
        """The first RECENT_CALLS calls and conferences of `calls`: a conference leg
        stands for its conference (what the recent-calls and last-call sensors show)."""
        subjects: list[Subject] = []
        conferences: set[str] = set()
        for call in calls:
            if len(subjects) == RECENT_CALLS:
                break
            if call.conference_id is None:
                subjects.append(call)
            elif call.conference_id not in conferences:
                conferences.add(call.conference_id)
                try:
                    subjects.append(await self.client.conference_status(call.conference_id))
                except TalketyError:
                    subjects.append(call)  # the leg still tells when and what it cost
        return subjects


def _ended_at(subject: Subject) -> datetime:
    return subject.end or subject.start or datetime.min.replace(tzinfo=UTC)
