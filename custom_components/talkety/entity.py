"""Base entity of the Talkety integration: one service device per account."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_USERNAME
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import TalketyConfigEntry, TalketyCoordinator
from .payload import UNRECORDED


def unique_id(entry_id: str, key: str) -> str:
    """An entity's unique id: its account's entry and its description's key."""
    return f"{entry_id}_{key}"


def device_info(entry: TalketyConfigEntry) -> DeviceInfo:
    """The account's service device."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=f"Talkety {entry.data[CONF_USERNAME]}",
        manufacturer="Talkety",
        model="XML API v1",
        entry_type=DeviceEntryType.SERVICE,
    )


class TalketyEntity(CoordinatorEntity[TalketyCoordinator]):
    """An entity of one Talkety account; unavailable while the API is unreachable."""

    _attr_has_entity_name = True
    _unrecorded_attributes = UNRECORDED

    def __init__(self, coordinator: TalketyCoordinator, description: EntityDescription) -> None:
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = unique_id(entry.entry_id, description.key)
        self._attr_device_info = device_info(entry)
        self._written: tuple[Any, ...] | None = None

    def _shown(self) -> tuple[Any, ...]:
        return (self.available, self.state, self.state_attributes, self.extra_state_attributes)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what it shows changed: polls come every few
        seconds while a call is live, and most entities show the same thing each time."""
        if self._shown() != self._written:
            self.async_write_ha_state()

    @callback
    def _async_write_ha_state(self) -> None:
        # Every write passes here (Home Assistant's own too: adding, a press), so the
        # comparison above is always with what the state machine holds.
        self._written = self._shown()
        super()._async_write_ha_state()
