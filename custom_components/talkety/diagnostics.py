"""Diagnostics of a Talkety account: credentials and phone numbers redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_APP_KEY, CONF_CONTACTS, CONF_DEFAULT_CALLER, CONF_DEFAULT_NUMBER
from .coordinator import TalketyConfigEntry

TO_REDACT = {
    CONF_PASSWORD,
    CONF_APP_KEY,
    CONF_USERNAME,
    CONF_DEFAULT_CALLER,
    CONF_DEFAULT_NUMBER,
    CONF_CONTACTS,
    "title",
    "unique_id",
    # Phone numbers and what may name people.
    "from",
    "to",
    "src",
    "dst",
    "src_name",
    "dst_name",
    "from_name",
    "to_name",
    "custom_data",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: TalketyConfigEntry
) -> dict[str, Any]:
    coordinator = entry.runtime_data.coordinator
    data = coordinator.data
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "last_update_success": coordinator.last_update_success,
            "data": {
                "active_calls": [coordinator.describe(c) for c in data.active_calls],
                "active_conferences": [coordinator.describe(c) for c in data.active_conferences],
                "running_cost": str(data.running_cost),
                "cost_today": str(data.cost_today),
                "cost_month": str(data.cost_month),
                "recent": [coordinator.describe(s) for s in data.recent],
            },
            "monitor": dict(coordinator.diagnostics()),
        },
        TO_REDACT,
    )
