"""The Talkety coordinator: one poll of the core's CallMonitor per update."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeAlias

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ACTIVE_INTERVAL,
    CONF_COST_ALERT,
    CONF_CURRENCY,
    CONF_IDLE_INTERVAL,
    DEFAULT_ACTIVE_INTERVAL,
    DEFAULT_COST_ALERT,
    DEFAULT_CURRENCY,
    DEFAULT_IDLE_INTERVAL,
    DOMAIN,
    EVENT_CALL_CONNECTED,
    EVENT_CALL_ENDED,
    EVENT_CALL_STARTED,
    EVENT_COST_ALERT,
    LOGGER,
    RECENT_CALLS,
    REFRESH_COOLDOWN,
)
from .contacts import Contacts, contacts_of
from .core import (
    Call,
    CallEnded,
    CallEvent,
    CallMonitor,
    CallStarted,
    CallStatus,
    CallStatusChanged,
    Conference,
    Subject,
    TalketyAuthenticationError,
    TalketyClient,
    TalketyError,
    TalketyRateLimitError,
)
from .payload import describe, money
from .period_cost import (
    PeriodCost,
    SubjectKey,
    cost_since,
    key_of,
    local_midnight,
    local_month_start,
)

# How many call_list pages (of 1000) the start-up lookup of this month's calls reads at most.
_SEED_PAGE_SIZE = 1000
_SEED_MAX_PAGES = 30
# call_list's `since` is a call's start: a call that began this long before the month
# and ended in it still counts (the part of its cost accrued in the month).
_LONGEST_CALL = timedelta(days=1)
# Too few calls this month for the recent-calls list: how many older ones to read.
_RECENT_LOOKBACK = 3 * RECENT_CALLS

# Event entity types, and the bus event each one mirrors.
EVENT_TYPES: dict[str, str] = {
    "started": EVENT_CALL_STARTED,
    "connected": EVENT_CALL_CONNECTED,
    "ended": EVENT_CALL_ENDED,
    "cost_alert": EVENT_COST_ALERT,
}


@dataclass(slots=True)
class TalketyRuntimeData:
    """What a loaded config entry holds (`entry.runtime_data`)."""

    client: TalketyClient
    coordinator: TalketyCoordinator


TalketyConfigEntry: TypeAlias = ConfigEntry[TalketyRuntimeData]


@dataclass(frozen=True, slots=True)
class TalketyEvent:
    """One thing that happened during a poll (event entity type + payload)."""

    event_type: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TalketyData:
    """The coordinator's data after a poll."""

    active_calls: tuple[Call, ...]
    active_conferences: tuple[Conference, ...]
    running_cost: Decimal
    cost_today: Decimal
    day_start: datetime
    cost_month: Decimal
    month_start: datetime
    # Ended calls and conferences, the latest to end first.
    recent: tuple[Subject, ...]
    interval: float
    events: tuple[TalketyEvent, ...] = ()

    @property
    def last_ended(self) -> Subject | None:
        return self.recent[0] if self.recent else None


# Newer Home Assistant releases wait `retry_after` seconds before the next poll;
# older ones take no such argument.
_HAS_RETRY_AFTER = "retry_after" in inspect.signature(UpdateFailed.__init__).parameters


def _update_failed(err: TalketyError) -> UpdateFailed:
    """A failed poll; a rate limit tells Home Assistant when to poll again, where it can."""
    retry: dict[str, float] = {}
    if _HAS_RETRY_AFTER and isinstance(err, TalketyRateLimitError) and err.retry_after:
        retry["retry_after"] = err.retry_after
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="update_failed",
        translation_placeholders={"error": str(err)},
        **retry,
    )


def _ended_at(subject: Subject) -> datetime:
    return subject.end or subject.start or datetime.min.replace(tzinfo=UTC)


class TalketyCoordinator(DataUpdateCoordinator[TalketyData]):
    """Polls the account's calls through the core's CallMonitor (discover mode).

    After the first (which also asks for the active calls by status), every poll
    is one `call_list` request whatever the number of calls (plus one
    `conference_status` per active conference). The interval adapts:
    fast while a call or conference is active, slow when idle.
    """

    config_entry: TalketyConfigEntry

    def __init__(
        self, hass: HomeAssistant, config_entry: TalketyConfigEntry, client: TalketyClient
    ) -> None:
        options = config_entry.options
        self.active_interval = float(options.get(CONF_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL))
        self.idle_interval = float(options.get(CONF_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL))
        super().__init__(
            hass,
            LOGGER,
            config_entry=config_entry,
            name=DOMAIN,
            update_interval=timedelta(seconds=self.idle_interval),
            always_update=True,
            # An action (place_call, hang_up) asks for a poll right away; a burst
            # of them polls at most once a second.
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=REFRESH_COOLDOWN, immediate=True
            ),
        )
        self.client = client
        self.currency: str = options.get(CONF_CURRENCY, DEFAULT_CURRENCY)
        self.cost_alert = Decimal(str(options.get(CONF_COST_ALERT, DEFAULT_COST_ALERT)))
        self.monitor = CallMonitor(
            client,
            discover=True,
            fast_interval=self.active_interval,
            idle_interval=self.idle_interval,
        )
        self._pending: list[CallEvent] = []
        self._alerted: set[SubjectKey] = set()
        self._seeded = False
        now = dt_util.now()
        self.daily = PeriodCost(local_midnight(now).date())
        self.monthly = PeriodCost(local_month_start(now).date())
        # What ended last, the latest first: the start-up lookup, then each call that ends.
        self._recent: list[Subject] = []
        self.device_id: str | None = None
        self._unsubscribe = self.monitor.subscribe(self._pending.append)
        self._unsub_midnight: CALLBACK_TYPE | None = None

    # --- life cycle --------------------------------------------------------

    @callback
    def async_start(self) -> None:
        """After the first refresh: roll the daily cost over at local midnight."""
        self._unsub_midnight = async_track_time_change(
            self.hass, self._async_midnight, hour=0, minute=0, second=0
        )

    @callback
    def async_stop(self) -> None:
        self._unsubscribe()
        if self._unsub_midnight is not None:
            self._unsub_midnight()
            self._unsub_midnight = None

    @callback
    def _async_midnight(self, now: datetime) -> None:
        if self.data is not None and self._roll(now):
            self.async_set_updated_data(self._build((), now=now))

    def watch_call(self, call_id: str) -> None:
        self.monitor.watch_call(call_id)

    def watch_conference(self, conference_id: str) -> None:
        self.monitor.watch_conference(conference_id)

    # --- polling -----------------------------------------------------------

    def _active(self) -> list[Subject]:
        return [*self.monitor.active_calls, *self.monitor.active_conferences]

    def _roll(self, now: datetime) -> bool:
        active = self._active()
        new_month = self.monthly.roll(local_month_start(now).date(), active)
        return self.daily.roll(local_midnight(now).date(), active) or new_month

    async def _async_update_data(self) -> TalketyData:
        # A new day starts from what was active at the last poll.
        self._roll(dt_util.now())
        self._pending.clear()
        try:
            await self.monitor.poll()
        except TalketyAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="auth_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        except TalketyError as err:
            raise _update_failed(err) from err
        if not self._seeded:
            await self._seed()
        events = self._process(list(self._pending))
        self._pending.clear()
        interval = self.monitor.interval
        self.update_interval = timedelta(seconds=interval)
        return self._build(tuple(events), interval)

    async def _seed(self) -> None:
        """Once, at start: what the calls that ended before this poll cost this month
        and today, and the latest of them (the recent calls and the last call)."""
        now = dt_util.now()
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
            recent = await self._as_subjects(ended)
        except TalketyError as err:
            LOGGER.debug("Cannot read this month's calls yet (%s); will try again", err)
            return
        self.daily.ended += day_total
        self.monthly.ended += month_total
        for subject in recent:
            self._remember(subject)
        self._seeded = True

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

    def _remember(self, subject: Subject) -> None:
        """Add an ended call or conference to the recent ones (once, the latest first)."""
        key = key_of(subject)
        recent = [s for s in self._recent if key_of(s) != key]
        recent.append(subject)
        recent.sort(key=_ended_at, reverse=True)
        self._recent = recent[:RECENT_CALLS]

    @property
    def contacts(self) -> Contacts:
        """The contact book as it is now (read, not copied: a change shows at once)."""
        return contacts_of(self.config_entry.options)

    def describe(self, subject: Subject) -> dict[str, Any]:
        """A call or conference in the account's currency, with its contacts' names."""
        return describe(subject, self.currency, self.contacts)

    def _process(self, events: list[CallEvent]) -> list[TalketyEvent]:
        """Turn the monitor's events into HA events; update the costs and the recent calls."""
        out: list[TalketyEvent] = []
        for event in events:
            subject = event.subject
            if isinstance(event, CallStarted):
                out.append(TalketyEvent("started", self.describe(subject)))
                if subject.status is CallStatus.CONNECTED:
                    out.append(TalketyEvent("connected", self.describe(subject)))
            elif isinstance(event, CallStatusChanged) and subject.status is CallStatus.CONNECTED:
                out.append(TalketyEvent("connected", self.describe(subject)))
            if isinstance(event, CallEnded):
                self.daily.add_ended(subject)
                self.monthly.add_ended(subject)
                self._remember(subject)
                self._alerted.discard(key_of(subject))
                out.append(TalketyEvent("ended", self.describe(subject)))
        if self.cost_alert > 0:
            for subject in self._active():
                key = key_of(subject)
                if subject.total_costs >= self.cost_alert and key not in self._alerted:
                    self._alerted.add(key)
                    data = self.describe(subject)
                    data["threshold"] = money(self.cost_alert)
                    out.append(TalketyEvent("cost_alert", data))
        for item in out:
            self.hass.bus.async_fire(
                EVENT_TYPES[item.event_type],
                {
                    "device_id": self.device_id,
                    "config_entry_id": self.config_entry.entry_id,
                    **item.data,
                },
            )
        return out

    def _build(
        self,
        events: tuple[TalketyEvent, ...],
        interval: float | None = None,
        now: datetime | None = None,
    ) -> TalketyData:
        calls = tuple(self.monitor.active_calls)
        conferences = tuple(self.monitor.active_conferences)
        active: list[Subject] = [*calls, *conferences]
        now = now or dt_util.now()
        return TalketyData(
            active_calls=calls,
            active_conferences=conferences,
            running_cost=sum((s.total_costs for s in active), Decimal(0)),
            cost_today=self.daily.total(active),
            day_start=local_midnight(now),
            cost_month=self.monthly.total(active),
            month_start=local_month_start(now),
            recent=tuple(self._recent),
            interval=interval if interval is not None else self.monitor.interval,
            events=events,
        )

    def diagnostics(self) -> Mapping[str, Any]:
        """Internal state for diagnostics (redacted by the caller)."""
        return {
            "interval": self.monitor.interval,
            "busy": self.monitor.busy,
            "seeded_today": self._seeded,
            "daily": {"day": self.daily.start.isoformat(), "ended": str(self.daily.ended)},
            "monthly": {"month": self.monthly.start.isoformat(), "ended": str(self.monthly.ended)},
            "followed_calls": [self.describe(c) for c in self.monitor.calls.values()],
            "followed_conferences": [self.describe(c) for c in self.monitor.conferences.values()],
        }
