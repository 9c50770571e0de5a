"""Diagnostics: useful, with the password, app key and phone numbers redacted."""

from __future__ import annotations

import json
import logging

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from talkety_core.actions import Action
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

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


async def test_secrets_never_reach_the_log(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: Simulator,
    server: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A whole fault run at debug level: a dial whose answer is lost, failing and
    unreadable polls, an unreachable API, refused credentials. Nothing logged (messages,
    args, tracebacks) carries the password or the app key (in every API URL's path)."""
    caplog.set_level(logging.DEBUG)
    coordinator = loaded_entry.runtime_data.coordinator
    coordinator.client.retries = 0
    sim.faults.drop_after_effect(Action.CALL_CONNECT)
    await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE},
        blocking=True,
    )
    sim.faults.fail_next(Action.CALL_LIST, status=502)
    await poll(hass, loaded_entry)
    sim.faults.malformed_next(Action.CALL_LIST)
    await poll(hass, loaded_entry)
    with pytest.raises(HomeAssistantError):
        sim.faults.fail_next(Action.PRICING, status=500, count=5)
        await hass.services.async_call(
            "talkety",
            "get_prices",
            {"config_entry": loaded_entry.entry_id, "numbers": [CALLEE]},
            blocking=True,
            return_response=True,
        )
    await server.stop()
    await poll(hass, loaded_entry)
    await server.start()
    sim.password = "changed-elsewhere"  # the credentials are refused: reauth
    await poll(hass, loaded_entry)
    assert "looking up whether it was placed" in caplog.text  # the faults happened
    assert "Error fetching talkety data" in caplog.text
    assert PASSWORD not in caplog.text
    assert APP_KEY not in caplog.text
