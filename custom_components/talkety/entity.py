"""Base entity of the Talkety integration: one service device per account."""

from __future__ import annotations

from homeassistant.const import CONF_USERNAME
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import TalketyConfigEntry, TalketyCoordinator
from .payload import UNRECORDED


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
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = device_info(entry)
