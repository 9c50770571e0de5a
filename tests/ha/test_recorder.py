"""History keeps the states and costs, never the phone numbers."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)

from talkety_core.simulator import ManualClock

from .conftest import CALLEE, CALLER, poll

ACTIVE = "sensor.talkety_alice_active_calls"
LAST = "sensor.talkety_alice_last_call"
EVENT = "event.talkety_alice_call"
MONTH = "sensor.talkety_alice_cost_this_month"
RECENT = "sensor.talkety_alice_recent_calls"
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


@pytest.mark.parametrize("options", [{"contacts": {CALLEE: "Alice Liddell"}}])
async def test_month_cost_has_long_term_statistics_without_names(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    clock: ManualClock,
) -> None:
    """The monthly cost is compiled into statistics (what a statistics graph shows);
    the recent calls' names stay out of history."""
    now = dt_util.utcnow()
    period = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    response = await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": "Alice Liddell"},
        blocking=True,
        return_response=True,
    )
    clock.advance(65)
    await hass.services.async_call(
        "talkety",
        "hang_up",
        {"config_entry": loaded_entry.entry_id, "call_id": response["call_id"]},
        blocking=True,
    )
    await poll(hass, loaded_entry)
    assert hass.states.get(RECENT).attributes["calls"][0]["to_name"] == "Alice Liddell"
    await async_wait_recording_done(hass)
    do_adhoc_statistics(hass, start=period)
    await async_wait_recording_done(hass)
    stats = await hass.async_add_executor_job(
        statistics_during_period, hass, period, None, {MONTH}, "5minute", None, {"state", "sum"}
    )
    [row] = stats[MONTH]
    assert row["state"] == pytest.approx(0.0219)
    assert row["sum"] == pytest.approx(0.0219)
    history = await hass.async_add_executor_job(
        get_significant_states, hass, now, None, [RECENT], None, True, False
    )
    recorded = [repr(dict(state.attributes)) for state in history[RECENT]]
    assert recorded
    assert not any("Alice" in text or CALLEE in text for text in recorded)
