"""Setting up and unloading the integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.talkety import errors as errors_module
from custom_components.talkety.const import (
    DEFAULT_ACTIVE_INTERVAL,
    DEFAULT_IDLE_INTERVAL,
    DOMAIN,
)
from talkety_core import TalketyRateLimitError
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

from .conftest import CALLEE, poll


async def test_setup_and_unload(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert sim.requests_by_action["call_list"] >= 1
    state = hass.states.get("sensor.talkety_alice_active_calls")
    assert state is not None
    assert state.state == "0"
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED


async def test_setup_retries_when_unreachable(
    hass: HomeAssistant, config_entry: MockConfigEntry, server: SimulatorServer
) -> None:
    await server.stop()
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_auth_failure_starts_reauth(
    hass: HomeAssistant, config_entry: MockConfigEntry, sim: Simulator
) -> None:
    sim.password = "changed"
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_auth_failure_while_polling_starts_reauth(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    sim.app_key = "revoked"
    await poll(hass, loaded_entry)
    assert hass.states.get("sensor.talkety_alice_active_calls").state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_unavailable_and_back(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    server: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities go unavailable while the API is unreachable; logged once each way."""
    loaded_entry.runtime_data.client.retries = 0
    entities = [
        "sensor.talkety_alice_active_calls",
        "sensor.talkety_alice_cost_today",
        "binary_sensor.talkety_alice_on_a_call",
        "event.talkety_alice_call",
    ]
    await server.stop()
    caplog.clear()
    for _ in range(3):
        await poll(hass, loaded_entry)
    for entity_id in entities:
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE, entity_id
    down = [r for r in caplog.records if "Error fetching talkety data" in r.getMessage()]
    assert len(down) == 1
    assert "Cannot read the calls from Talkety" in down[0].getMessage()
    await server.start()  # same port again
    caplog.clear()
    for _ in range(3):
        await poll(hass, loaded_entry)
    for entity_id in entities:
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE, entity_id
    back = [r for r in caplog.records if "recovered" in r.getMessage()]
    assert len(back) == 1


async def test_one_list_request_per_poll(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    """However many calls are active: one call_list per poll, no call_status."""
    for _ in range(5):
        await hass.services.async_call(
            DOMAIN,
            "place_call",
            {"config_entry": loaded_entry.entry_id, "to": CALLEE},
            blocking=True,
        )
    sim.reset_counts()
    await poll(hass, loaded_entry)
    assert dict(sim.requests_by_action) == {"call_list": 1}
    assert hass.states.get("sensor.talkety_alice_active_calls").state == "5"


async def test_interval_adapts(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, clock: ManualClock
) -> None:
    coordinator = loaded_entry.runtime_data.coordinator
    assert coordinator.update_interval == timedelta(seconds=DEFAULT_IDLE_INTERVAL)
    response = await hass.services.async_call(
        DOMAIN,
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE},
        blocking=True,
        return_response=True,
    )
    assert coordinator.update_interval == timedelta(seconds=DEFAULT_ACTIVE_INTERVAL)
    await hass.services.async_call(
        DOMAIN,
        "hang_up",
        {"config_entry": loaded_entry.entry_id, "call_id": response["call_id"]},
        blocking=True,
    )
    await poll(hass, loaded_entry)
    assert coordinator.update_interval == timedelta(seconds=DEFAULT_IDLE_INTERVAL)


async def test_device(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    # Not async_get_device(identifiers=...): deprecated from 2026.8.
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), loaded_entry.entry_id)
    assert device.identifiers == {(DOMAIN, loaded_entry.entry_id)}
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.name == "Talkety alice"
    entities = er.async_entries_for_device(
        er.async_get(hass), device.id, include_disabled_entities=True
    )
    assert sorted(entity.entity_id for entity in entities) == [
        "binary_sensor.talkety_alice_on_a_call",
        "button.talkety_alice_call_default_number",
        "button.talkety_alice_hang_up_all_calls",
        "event.talkety_alice_call",
        "notify.talkety_alice_ring_my_phone",
        "sensor.talkety_alice_active_calls",
        "sensor.talkety_alice_active_conferences",
        "sensor.talkety_alice_cost_this_month",
        "sensor.talkety_alice_cost_today",
        "sensor.talkety_alice_last_call",
        "sensor.talkety_alice_last_call_cost",
        "sensor.talkety_alice_poll_interval",
        "sensor.talkety_alice_recent_calls",
        "sensor.talkety_alice_running_cost",
    ]
    interval = er.async_get(hass).async_get("sensor.talkety_alice_poll_interval")
    assert interval.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert interval.entity_category is EntityCategory.DIAGNOSTIC


class _NewerUpdateFailed(errors_module.UpdateFailed):
    """UpdateFailed as newer Home Assistant releases define it."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


@pytest.mark.parametrize("newer", [False, True])
@pytest.mark.parametrize("sim_kwargs", [{"rate_limit": (0.001, 4)}])
async def test_rate_limit_tells_when_to_poll_again(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    newer: bool,
) -> None:
    """Where Home Assistant can wait for it, a poll refused with 429 passes the API's
    Retry-After on; elsewhere the poll fails as any other (2025.4 has no retry_after)."""
    if newer:
        monkeypatch.setattr(errors_module, "UpdateFailed", _NewerUpdateFailed)
    monkeypatch.setattr(errors_module, "_HAS_RETRY_AFTER", newer)
    coordinator = loaded_entry.runtime_data.coordinator
    coordinator.client.retries = 0
    for _ in range(5):  # past the burst the simulator allows
        await poll(hass, loaded_entry)
    error = coordinator.last_exception
    assert isinstance(error, errors_module.UpdateFailed)
    assert isinstance(error.__cause__, TalketyRateLimitError)
    if newer:
        assert error.retry_after == error.__cause__.retry_after > 0
    else:
        # 2025.4 has no such attribute; later releases have it, empty unless passed.
        assert getattr(error, "retry_after", None) is None
