"""Notify entity of a Talkety account: a notification rings your phone.

`notify.send_message` rings the default caller (your phone) and connects you to
the default number. Talkety's API cannot speak a message: the message (or its
title) travels as the call's custom data, so the call's events and the recent
calls say why it rang.
"""

from __future__ import annotations

from homeassistant.components.notify import NotifyEntity, NotifyEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .calls import MAX_CUSTOM_DATA, call_default_number
from .coordinator import TalketyConfigEntry
from .entity import TalketyEntity

# One notification, one call: never two dials at once from the same entity.
PARALLEL_UPDATES = 1

RING = NotifyEntityDescription(key="ring", translation_key="ring")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TalketyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    async_add_entities([TalketyNotifyEntity(entry.runtime_data.coordinator, RING)])


class TalketyNotifyEntity(TalketyEntity, NotifyEntity):
    """Rings the default caller and connects it to the default number."""

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        reason = " - ".join(part for part in (title, message) if part)
        await call_default_number(
            self.hass, self.coordinator.config_entry, reason[:MAX_CUSTOM_DATA] or None
        )
