"""Diagnostics of a Talkety account: credentials and phone numbers redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_APP_KEY, CONF_DEFAULT_CALLER
from .coordinator import TalketyConfigEntry
from .payload import describe

TO_REDACT = {
    CONF_PASSWORD,
    CONF_APP_KEY,
    CONF_USERNAME,
    CONF_DEFAULT_CALLER,
    "title",
    "unique_id",
    # Phone numbers and what may name people.
    "from",
    "to",
    "src",
    "dst",
    "src_name",
    "dst_name",
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
                "active_calls": [describe(c, coordinator.currency) for c in data.active_calls],
                "active_conferences": [
                    describe(c, coordinator.currency) for c in data.active_conferences
                ],
                "running_cost": str(data.running_cost),
                "cost_today": str(data.cost_today),
                "last_ended": (
                    describe(data.last_ended, coordinator.currency) if data.last_ended else None
                ),
            },
            "monitor": dict(coordinator.diagnostics()),
        },
        TO_REDACT,
    )
