"""Diagnostics: useful, with the password, app key and phone numbers redacted."""

from __future__ import annotations

import json

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from talkety_core.simulator import ManualClock

from .conftest import APP_KEY, CALLEE, CALLER, PASSWORD, USERNAME, poll


@pytest.mark.parametrize(
    "options", [{"contacts": {CALLEE: "Alice Liddell"}, "default_number": "19876543211"}]
)
async def test_diagnostics_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded_entry: MockConfigEntry,
    clock: ManualClock,
) -> None:
    await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE, "custom_data": "private note"},
        blocking=True,
    )
    clock.advance(30)
    await poll(hass, loaded_entry)
    result = await get_diagnostics_for_config_entry(hass, hass_client, loaded_entry)
    text = json.dumps(result)
    secrets = (PASSWORD, APP_KEY, CALLER, CALLEE, "19876543211", "Alice Liddell", "private note")
    for secret in secrets:
        assert secret not in text, secret
    assert USERNAME not in text
    assert result["entry"]["data"]["password"] == "**REDACTED**"
    assert result["entry"]["data"]["app_key"] == "**REDACTED**"
    assert result["entry"]["options"]["default_caller"] == "**REDACTED**"
    assert result["entry"]["options"]["contacts"] == "**REDACTED**"
    assert result["entry"]["options"]["currency"] == "EUR"
    assert result["last_update_success"] is True
    [call] = result["data"]["active_calls"]
    assert call["status"] == "connected"
    assert call["from"] == call["to"] == "**REDACTED**"
    assert result["monitor"]["busy"] is True
