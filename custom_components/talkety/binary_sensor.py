"""Binary sensor of a Talkety account: on while a call or conference is active."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import TalketyConfigEntry
from .entity import TalketyEntity

# Entities only read the coordinator's data: no request of their own.
PARALLEL_UPDATES = 0

ON_CALL = BinarySensorEntityDescription(key="on_call", translation_key="on_call")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TalketyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    async_add_entities([TalketyOnCallSensor(entry.runtime_data.coordinator, ON_CALL)])


class TalketyOnCallSensor(TalketyEntity, BinarySensorEntity):
    """On while any call or conference of the account is active."""

    @property
    def is_on(self) -> bool:
        data = self.coordinator.data
        return bool(data.active_calls or data.active_conferences)
