"""History keeps the states and costs, never the phone numbers."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from talkety_core.simulator import ManualClock

from .conftest import CALLEE, CALLER, poll

ACTIVE = "sensor.talkety_alice_active_calls"
LAST = "sensor.talkety_alice_last_call"
EVENT = "event.talkety_alice_call"
NUMBERS = (CALLER, CALLEE)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder's database must exist before Home Assistant starts (conftest's
    version would start it first)."""
    # The recorder turns SQL echo on with Home Assistant's debug logging: not here.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


async def test_recorded_history_has_no_numbers(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    clock: ManualClock,
) -> None:
    start = dt_util.utcnow() - timedelta(seconds=1)
    response = await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE, "custom_data": "door"},
        blocking=True,
        return_response=True,
    )
    clock.advance(70)
    await poll(hass, loaded_entry)
    await hass.services.async_call(
        "talkety",
        "hang_up",
        {"config_entry": loaded_entry.entry_id, "call_id": response["call_id"]},
        blocking=True,
        return_response=True,
    )
    await poll(hass, loaded_entry)
    # What the dashboard shows now still has the numbers ...
    assert hass.states.get(LAST).attributes["to"] == CALLEE
    await async_wait_recording_done(hass)
    history = await hass.async_add_executor_job(
        get_significant_states, hass, start, None, [ACTIVE, LAST, EVENT], None, True, False
    )
    recorded = [state for states in history.values() for state in states]
    assert {state.entity_id for state in recorded} == {ACTIVE, LAST, EVENT}
    assert any(state.attributes.get("cost") for state in recorded if state.entity_id == LAST)
    # ... what history keeps has none, nor the custom data.
    for state in recorded:
        text = repr(dict(state.attributes))
        assert not any(number in text for number in NUMBERS), (state.entity_id, text)
        assert "door" not in text
