"""The Talkety dashboard card (`custom:talkety-card`): served and loaded by the
integration itself, so it is in the card picker with no resource to add by hand.

The card reads the account's sensors like any card; what no state holds (the
contact book, which sensors belong to which account) it asks for once over the
`talkety/card` WebSocket command.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Final

import voluptuous as vol
from homeassistant.components import websocket_api
from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .const import CONF_DEFAULT_CALLER, DOMAIN
from .contacts import contacts_of, sorted_by_name
from .coordinator import TalketyConfigEntry
from .entity import unique_id

CARD_FILE: Final = Path(__file__).parent / "frontend" / "talkety-card.js"
CARD_URL: Final = f"/{DOMAIN}/talkety-card.js"
# The sensors the card shows, by their description key.
CARD_SENSORS: Final = (
    "active_calls",
    "active_conferences",
    "running_cost",
    "cost_today",
    "cost_month",
    "recent_calls",
)


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve the card and load it on every dashboard (where there is a frontend)."""
    websocket_api.async_register_command(hass, websocket_card_accounts)
    if not {"frontend", "http"} <= hass.config.components:
        return  # a headless instance: nothing would ever load the card
    fingerprint = await hass.async_add_executor_job(_fingerprint)
    # Cached for long by browsers; a new release is a new URL.
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL, str(CARD_FILE), cache_headers=True)]
    )
    add_extra_js_url(hass, f"{CARD_URL}?v={fingerprint}")


def _fingerprint() -> str:
    return hashlib.sha256(CARD_FILE.read_bytes()).hexdigest()[:12]


def card_account(entry: TalketyConfigEntry, registry: er.EntityRegistry) -> dict[str, Any]:
    """What the card needs to know of one loaded account."""
    unique_ids = {key: unique_id(entry.entry_id, key) for key in CARD_SENSORS}
    entities = {
        key: entity_id
        for key, sensor_id in unique_ids.items()
        if (entity_id := registry.async_get_entity_id(Platform.SENSOR, DOMAIN, sensor_id))
    }
    contacts = contacts_of(entry.options)
    caller = entry.options.get(CONF_DEFAULT_CALLER)
    return {
        "entry_id": entry.entry_id,
        "title": entry.title,
        "currency": entry.runtime_data.coordinator.currency,
        "default_caller": caller,
        "default_caller_name": contacts.get(caller) if caller else None,
        "contacts": [{"name": name, "number": number} for number, name in sorted_by_name(contacts)],
        "entities": entities,
    }


@websocket_command({vol.Required("type"): "talkety/card"})
@callback
def websocket_card_accounts(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Every loaded Talkety account, for the card and its editor."""
    registry = er.async_get(hass)
    entries: list[TalketyConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    accounts = [
        card_account(entry, registry) for entry in entries if entry.state is ConfigEntryState.LOADED
    ]
    connection.send_result(msg["id"], {"accounts": accounts})
