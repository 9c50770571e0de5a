"""Buttons of a Talkety account: call the default number, hang up every call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .calls import call_default_number, hang_up_all
from .coordinator import TalketyConfigEntry
from .entity import TalketyEntity

# A press is one user action: never two dials at once from the same button.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class TalketyButtonEntityDescription(ButtonEntityDescription):
    """A Talkety button: what a press does."""

    press_fn: Callable[[HomeAssistant, TalketyConfigEntry], Awaitable[object]]


BUTTONS: tuple[TalketyButtonEntityDescription, ...] = (
    TalketyButtonEntityDescription(
        key="call_default_number",
        translation_key="call_default_number",
        press_fn=lambda hass, entry: call_default_number(hass, entry, "button"),
    ),
    TalketyButtonEntityDescription(
        key="hang_up_all",
        translation_key="hang_up_all",
        press_fn=hang_up_all,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TalketyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    coordinator = entry.runtime_data.coordinator
    async_add_entities(TalketyButton(coordinator, description) for description in BUTTONS)


class TalketyButton(TalketyEntity, ButtonEntity):
    """A button of the account's device."""

    entity_description: TalketyButtonEntityDescription

    async def async_press(self) -> None:
        await self.entity_description.press_fn(self.hass, self.coordinator.config_entry)
