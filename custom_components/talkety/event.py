"""Event entity of a Talkety account: each call's start, connection, end and cost alert.

The same events are fired on the bus (`talkety_call_started`, ...) with the
account's device_id; the entity makes them visible in the UI, in the logbook
and as a state trigger without YAML.
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .call_events import EVENT_TYPES
from .coordinator import TalketyConfigEntry
from .entity import TalketyEntity

# Entities only read the coordinator's data: no request of their own.
PARALLEL_UPDATES = 0

CALL_EVENTS = EventEntityDescription(
    key="call", translation_key="call", event_types=list(EVENT_TYPES)
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TalketyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    async_add_entities([TalketyCallEvent(entry.runtime_data.coordinator, CALL_EVENTS)])


class TalketyCallEvent(TalketyEntity, EventEntity):
    """Triggers once per call event found by a poll."""

    @callback
    def _handle_coordinator_update(self) -> None:
        events = self.coordinator.data.events
        if not events:
            super()._handle_coordinator_update()  # availability may have changed
            return
        for event in events:
            self._trigger_event(event.event_type, event.data)
            self.async_write_ha_state()
