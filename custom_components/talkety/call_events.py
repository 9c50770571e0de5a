"""The monitor's events as Home Assistant's: on the bus, and for the event entity."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from homeassistant.core import HomeAssistant

from .const import EVENT_CALL_CONNECTED, EVENT_CALL_ENDED, EVENT_CALL_STARTED, EVENT_COST_ALERT
from .core import CallEnded, CallEvent, CallStarted, CallStatus, CallStatusChanged, Subject
from .payload import money
from .period_cost import SubjectKey, key_of

# Event entity types, and the bus event each one mirrors.
EVENT_TYPES: dict[str, str] = {
    "started": EVENT_CALL_STARTED,
    "connected": EVENT_CALL_CONNECTED,
    "ended": EVENT_CALL_ENDED,
    "cost_alert": EVENT_COST_ALERT,
}


@dataclass(frozen=True, slots=True)
class TalketyEvent:
    """One thing that happened during a poll (event entity type + payload)."""

    event_type: str
    data: dict[str, Any]


class EventFeed:
    def __init__(self, describe: Callable[[Subject], dict[str, Any]], cost_alert: Decimal) -> None:
        self.describe = describe
        self.cost_alert = cost_alert
        self._alerted: set[SubjectKey] = set()  # once per call or conference

    def translate(
        self, events: Iterable[CallEvent], active: Iterable[Subject]
    ) -> list[TalketyEvent]:
        """A poll's events, and a cost alert for each active call that first crossed it."""
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
                self._alerted.discard(key_of(subject))
                out.append(TalketyEvent("ended", self.describe(subject)))
        if self.cost_alert > 0:
            for subject in active:
                key = key_of(subject)
                if subject.total_costs >= self.cost_alert and key not in self._alerted:
                    self._alerted.add(key)
                    data = self.describe(subject)
                    data["threshold"] = money(self.cost_alert)
                    out.append(TalketyEvent("cost_alert", data))
        return out


def fire(hass: HomeAssistant, events: Iterable[TalketyEvent], origin: dict[str, Any]) -> None:
    """Each event on Home Assistant's bus, with where it came from (device, entry)."""
    for item in events:
        hass.bus.async_fire(EVENT_TYPES[item.event_type], {**origin, **item.data})
