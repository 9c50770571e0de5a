"""The Talkety coordinator: one poll of the core's CallMonitor per update; what ended
(history.py), what it cost (period_cost.py) and what happened (call_events.py) are
kept by parts of their own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeAlias

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .call_events import EventFeed, TalketyEvent, fire
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
    LOGGER,
    REFRESH_COOLDOWN,
)
from .contacts import Contacts, contacts_of
from .core import (
    Call,
    CallEnded,
    CallEvent,
    CallMonitor,
    Conference,
    Subject,
    TalketyClient,
    TalketyError,
)
from .errors import poll_failed
from .history import CallHistory
from .payload import describe
from .period_cost import Costs, local_midnight, local_month_start


@dataclass(slots=True)
class TalketyRuntimeData:
    """What a loaded config entry holds (`entry.runtime_data`)."""

    client: TalketyClient
    coordinator: TalketyCoordinator


TalketyConfigEntry: TypeAlias = ConfigEntry[TalketyRuntimeData]


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
        self.history = CallHistory(client, self.monitor)
        self.costs = Costs(dt_util.now())
        self.feed = EventFeed(self.describe, self.cost_alert)
        self.device_id: str | None = None
        self._pending: list[CallEvent] = []
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
        if self.data is not None and self.costs.roll(now, self._active()):
            self.async_set_updated_data(self._build((), now=now))

    def watch_call(self, call_id: str) -> None:
        self.monitor.watch_call(call_id)

    def watch_conference(self, conference_id: str) -> None:
        self.monitor.watch_conference(conference_id)

    # --- polling -----------------------------------------------------------

    def _active(self) -> list[Subject]:
        return [*self.monitor.active_calls, *self.monitor.active_conferences]

    async def _async_update_data(self) -> TalketyData:
        # A new day starts from what was active at the last poll.
        self.costs.roll(dt_util.now(), self._active())
        self._pending.clear()
        try:
            await self.monitor.poll()
        except TalketyError as err:
            raise poll_failed(err) from err
        if not self.history.seeded:
            earlier = await self.history.seed(dt_util.now())
            if earlier is not None:
                self.costs.add_earlier(earlier.cost_today, earlier.cost_month)
        happened = list(self._pending)
        self._pending.clear()
        for event in happened:
            if isinstance(event, CallEnded):
                self.costs.add_ended(event.subject)
                self.history.remember(event.subject)
        events = self.feed.translate(happened, self._active())
        origin = {"device_id": self.device_id, "config_entry_id": self.config_entry.entry_id}
        fire(self.hass, events, origin)
        interval = self.monitor.interval
        self.update_interval = timedelta(seconds=interval)
        return self._build(tuple(events), interval)

    @property
    def contacts(self) -> Contacts:
        """The contact book as it is now (read, not copied: a change shows at once)."""
        return contacts_of(self.config_entry.options)

    def describe(self, subject: Subject) -> dict[str, Any]:
        """A call or conference in the account's currency, with its contacts' names."""
        return describe(subject, self.currency, self.contacts)

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
            cost_today=self.costs.daily.total(active),
            day_start=local_midnight(now),
            cost_month=self.costs.monthly.total(active),
            month_start=local_month_start(now),
            recent=self.history.recent,
            interval=interval if interval is not None else self.monitor.interval,
            events=events,
        )

    def diagnostics(self) -> Mapping[str, Any]:
        """Internal state for diagnostics (redacted by the caller)."""
        daily, monthly = self.costs.daily, self.costs.monthly
        return {
            "interval": self.monitor.interval,
            "busy": self.monitor.busy,
            "seeded_today": self.history.seeded,
            "daily": {"day": daily.start.isoformat(), "ended": str(daily.ended)},
            "monthly": {"month": monthly.start.isoformat(), "ended": str(monthly.ended)},
            "followed_calls": [self.describe(c) for c in self.monitor.calls.values()],
            "followed_conferences": [self.describe(c) for c in self.monitor.conferences.values()],
        }
