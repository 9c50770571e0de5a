"""The Talkety integration: phone and conference calls through the Talkety API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .card import async_register_card
from .const import (
    ACCOUNT_OPTIONS,
    CONF_API_URL,
    CONF_APP_KEY,
    DOMAIN,
    PLATFORMS,
    POLL_RETRIES,
    REQUEST_TIMEOUT,
)
from .coordinator import TalketyConfigEntry, TalketyCoordinator, TalketyRuntimeData
from .core import TalketyClient
from .entity import device_info
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

__all__ = ["DOMAIN", "TalketyConfigEntry"]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and the dashboard card (once, for every account)."""
    async_setup_services(hass)
    await async_register_card(hass)
    return True


def create_client(hass: HomeAssistant, data: Mapping[str, Any], *, retries: int) -> TalketyClient:
    """A client on Home Assistant's shared aiohttp session."""
    return TalketyClient(
        data[CONF_APP_KEY],
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        base_url=data[CONF_API_URL],
        session=async_get_clientsession(hass),
        timeout=REQUEST_TIMEOUT,
        retries=retries,
    )


async def async_setup_entry(hass: HomeAssistant, entry: TalketyConfigEntry) -> bool:
    """Set up one Talkety account."""
    client = create_client(hass, entry.data, retries=POLL_RETRIES)
    coordinator = TalketyCoordinator(hass, entry, client)
    # The account's service device exists before the first poll, so that the
    # first events already carry its device_id.
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **device_info(entry)
    )
    coordinator.device_id = device.id
    # Raises ConfigEntryNotReady (API unreachable) or ConfigEntryAuthFailed (reauth).
    try:
        await coordinator.async_config_entry_first_refresh()
    except BaseException:
        coordinator.async_stop()
        raise
    entry.runtime_data = TalketyRuntimeData(client=client, coordinator=coordinator)
    entry.async_on_unload(coordinator.async_stop)
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    coordinator.async_start()
    return True


async def _async_update_listener(hass: HomeAssistant, entry: TalketyConfigEntry) -> None:
    """Options changed: reload to apply them."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_migrate_entry(hass: HomeAssistant, entry: TalketyConfigEntry) -> bool:
    """1.1 -> 1.2: the default caller, country and currency move from data to options."""
    if entry.version > 1:
        return False  # from a newer release: refuse rather than guess
    if entry.minor_version < 2:
        data = {k: v for k, v in entry.data.items() if k not in ACCOUNT_OPTIONS}
        moved = {k: v for k, v in entry.data.items() if k in ACCOUNT_OPTIONS}
        hass.config_entries.async_update_entry(
            entry, data=data, options={**moved, **entry.options}, minor_version=2
        )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: TalketyConfigEntry) -> bool:
    """Unload one Talkety account (the shared session stays open)."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
