"""The Talkety coordinator: one poll of the core's CallMonitor per update."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
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
    REFRESH_COOLDOWN,
)
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
)
from .daily_cost import DailyCost, SubjectKey, cost_since, key_of, local_midnight
from .payload import describe, money

# How many call_list pages (of 1000) the start-up "cost today" lookup reads at most.
_SEED_PAGE_SIZE = 1000
_SEED_MAX_PAGES = 10
# With no call ended today: how far back (newest first) to look for the last call.
_LAST_CALL_LOOKBACK = 20

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
    last_ended: Subject | None
    interval: float
    events: tuple[TalketyEvent, ...] = ()


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
        # The newest call that had ended before Home Assistant started (start-up lookup).
        self.ended_before_start: Subject | None = None
        self.daily = DailyCost(dt_util.now().date())
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
        return self.daily.roll(dt_util.as_local(now).date(), self._active())

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
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        if not self._seeded:
            await self._seed_today()
        events = self._process(list(self._pending))
        self._pending.clear()
        interval = self.monitor.interval
        self.update_interval = timedelta(seconds=interval)
        return self._build(tuple(events), interval)

    async def _seed_today(self) -> None:
        """Once, at start: the cost of calls that ended today before this poll, and
        the newest call that ended before it (the last call until one ends now)."""
        midnight = local_midnight(dt_util.now())
        total = Decimal(0)
        newest: Call | None = None
        try:
            for page_number in range(_SEED_MAX_PAGES):
                page = await self.client.call_list(
                    since=midnight,
                    limit=_SEED_PAGE_SIZE,
                    offset=page_number * _SEED_PAGE_SIZE,
                )
                ended = self._ended_unfollowed(page)
                newest = newest or next(iter(ended), None)  # pages come newest first
                total += sum((cost_since(call, midnight) for call in ended), Decimal(0))
                if len(page) < _SEED_PAGE_SIZE:
                    break
            if newest is None:
                older = await self.client.call_list(until=midnight, limit=_LAST_CALL_LOOKBACK)
                newest = next(iter(self._ended_unfollowed(older)), None)
            self.ended_before_start = await self._as_subject(newest)
        except TalketyError as err:
            LOGGER.debug("Cannot read today's calls yet (%s); will try again", err)
            return
        self.daily.ended += total
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

    async def _as_subject(self, call: Call | None) -> Subject | None:
        """A conference leg stands for its conference (what the last-call sensor shows)."""
        if call is None or call.conference_id is None:
            return call
        try:
            return await self.client.conference_status(call.conference_id)
        except TalketyError:
            return call  # the leg still tells when and what it cost

    def _process(self, events: list[CallEvent]) -> list[TalketyEvent]:
        """Turn the monitor's events into HA events; update the daily cost."""
        out: list[TalketyEvent] = []
        for event in events:
            subject = event.subject
            if isinstance(event, CallStarted):
                out.append(TalketyEvent("started", describe(subject, self.currency)))
                if subject.status is CallStatus.CONNECTED:
                    out.append(TalketyEvent("connected", describe(subject, self.currency)))
            elif isinstance(event, CallStatusChanged) and subject.status is CallStatus.CONNECTED:
                out.append(TalketyEvent("connected", describe(subject, self.currency)))
            if isinstance(event, CallEnded):
                self.daily.add_ended(subject)
                self._alerted.discard(key_of(subject))
                out.append(TalketyEvent("ended", describe(subject, self.currency)))
        if self.cost_alert > 0:
            for subject in self._active():
                key = key_of(subject)
                if subject.total_costs >= self.cost_alert and key not in self._alerted:
                    self._alerted.add(key)
                    data = describe(subject, self.currency)
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
        return TalketyData(
            active_calls=calls,
            active_conferences=conferences,
            running_cost=sum((s.total_costs for s in active), Decimal(0)),
            cost_today=self.daily.total(active),
            day_start=local_midnight(now or dt_util.now()),
            last_ended=self.monitor.last_ended or self.ended_before_start,
            interval=interval if interval is not None else self.monitor.interval,
            events=events,
        )

    def diagnostics(self) -> Mapping[str, Any]:
        """Internal state for diagnostics (redacted by the caller)."""
        return {
            "interval": self.monitor.interval,
            "busy": self.monitor.busy,
            "seeded_today": self._seeded,
            "daily": {"day": self.daily.day.isoformat(), "ended": str(self.daily.ended)},
            "followed_calls": [describe(c, self.currency) for c in self.monitor.calls.values()],
            "followed_conferences": [
                describe(c, self.currency) for c in self.monitor.conferences.values()
            ],
        }
