"""Sensors, binary sensor and events through a call's whole life."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.talkety import history as history_module
from custom_components.talkety.const import MAX_LISTED_CALLS
from custom_components.talkety.payload import describe
from custom_components.talkety.period_cost import cost_since
from talkety_core import Call, CallStatus, TalketyClient
from talkety_core.simulator import ManualClock, Simulator

from .conftest import CALLEE, CALLER, poll

ACTIVE = "sensor.talkety_alice_active_calls"
RUNNING = "sensor.talkety_alice_running_cost"
TODAY = "sensor.talkety_alice_cost_today"
MONTH = "sensor.talkety_alice_cost_this_month"
RECENT = "sensor.talkety_alice_recent_calls"
LAST = "sensor.talkety_alice_last_call"
LAST_COST = "sensor.talkety_alice_last_call_cost"
ON_CALL = "binary_sensor.talkety_alice_on_a_call"
EVENT = "event.talkety_alice_call"


async def test_call_life(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, clock: ManualClock
) -> None:
    started = async_capture_events(hass, "talkety_call_started")
    connected = async_capture_events(hass, "talkety_call_connected")
    ended = async_capture_events(hass, "talkety_call_ended")
    assert hass.states.get(ON_CALL).state == "off"
    assert hass.states.get(LAST).state == "unknown"

    response = await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": "+1 987 654 3210", "custom_data": "demo"},
        blocking=True,
        return_response=True,
    )
    call_id = response["call_id"]
    await hass.async_block_till_done()
    state = hass.states.get(ACTIVE)
    assert state.state == "1"
    assert state.attributes["calls"] == [
        {
            "call_id": call_id,
            "conference_id": None,
            "from": CALLER,
            "from_name": None,
            "to": CALLEE,
            "to_name": None,
            "status": "connecting",
            "duration": 0,
            "cost": 0.0,
        }
    ]
    assert hass.states.get(ON_CALL).state == "on"
    assert len(started) == 1
    assert started[0].data["call_id"] == call_id
    assert started[0].data["custom_data"] == "demo"
    assert started[0].data["device_id"] is not None
    assert hass.states.get(EVENT).attributes["event_type"] == "started"

    clock.advance(5)  # connecting 2 s, ringing 3 s
    await poll(hass, loaded_entry)
    assert len(connected) == 1
    assert hass.states.get(EVENT).attributes["event_type"] == "connected"

    clock.advance(60)
    await poll(hass, loaded_entry)
    expected = Decimal("0.0219")  # 60 s at (0.0105 + 0.0114) / 60 per second
    assert Decimal(hass.states.get(RUNNING).state) == expected
    assert hass.states.get(RUNNING).attributes["unit_of_measurement"] == "EUR"
    assert Decimal(hass.states.get(TODAY).state) == expected
    assert hass.states.get(ACTIVE).attributes["calls"][0]["cost"] == float(expected)

    clock.advance(60)
    await poll(hass, loaded_entry)
    assert Decimal(hass.states.get(RUNNING).state) == 2 * expected

    await hass.services.async_call(
        "talkety",
        "hang_up",
        {"config_entry": loaded_entry.entry_id, "call_id": call_id},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert hass.states.get(ACTIVE).state == "0"
    assert hass.states.get(ON_CALL).state == "off"
    assert Decimal(hass.states.get(RUNNING).state) == 0
    assert Decimal(hass.states.get(TODAY).state) == 2 * expected
    assert Decimal(hass.states.get(MONTH).state) == 2 * expected
    recent = hass.states.get(RECENT)
    assert [c["call_id"] for c in recent.attributes["calls"]] == [call_id]
    assert recent.attributes["calls"][0]["status"] == "disconnected"
    assert recent.attributes["calls"][0]["duration"] == 120
    assert recent.state == recent.attributes["calls"][0]["end"]
    assert hass.states.get(LAST).state == "disconnected"
    assert Decimal(hass.states.get(LAST_COST).state) == 2 * expected
    assert len(ended) == 1
    assert ended[0].data["cost"] == float(2 * expected)
    assert ended[0].data["duration"] == 120
    assert ended[0].data["currency"] == "EUR"
    assert hass.states.get(EVENT).attributes["event_type"] == "ended"


async def test_cost_today_counts_calls_before_start(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    client: TalketyClient,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At start, today's ended calls are read once (page by page); active ones are followed."""
    monkeypatch.setattr(history_module, "_SEED_PAGE_SIZE", 2)
    ended = await client.call_connect(CALLER, CALLEE)
    clock.advance(65)
    await client.call_disconnect(ended)
    busy = await client.call_connect(CALLER, "19876543486")
    clock.advance(10)
    running = await client.call_connect(CALLER, CALLEE)
    clock.advance(65)  # 60 s connected: 0.0219
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert Decimal(hass.states.get(TODAY).state) == Decimal("0.0438")
    assert Decimal(hass.states.get(RUNNING).state) == Decimal("0.0219")
    assert hass.states.get(ACTIVE).attributes["calls"][0]["call_id"] == running
    # The last call is the newest that ended before the start (newest first: the busy one).
    last = hass.states.get(LAST)
    assert last.state == "busy"
    assert last.attributes["call_id"] == busy
    assert busy != running


async def test_calls_of_other_apps_are_discovered(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    client: TalketyClient,
    clock: ManualClock,
) -> None:
    started = async_capture_events(hass, "talkety_call_started")
    ended = async_capture_events(hass, "talkety_call_ended")
    call_id = await client.call_connect(CALLER, "19876543408")  # never answers
    await poll(hass, loaded_entry)
    assert hass.states.get(ACTIVE).state == "1"
    assert [e.data["call_id"] for e in started] == [call_id]
    clock.advance(60)
    await poll(hass, loaded_entry)
    assert hass.states.get(ACTIVE).state == "0"
    assert hass.states.get(LAST).state == "no_answer"
    assert ended[0].data["status"] == "no_answer"
    assert ended[0].data["cost"] == 0


async def test_cost_today_rolls_over_at_midnight(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    response = await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE},
        blocking=True,
        return_response=True,
    )
    clock.advance(65)
    await poll(hass, loaded_entry)
    assert Decimal(hass.states.get(TODAY).state) == Decimal("0.0219")
    first_reset = hass.states.get(TODAY).attributes["last_reset"]

    midnight = dt_util.start_of_local_day(dt_util.now() + timedelta(days=1))
    # No poll may be in flight when the clock jumps: since 2026 the test clock moves the
    # event loop's clock too, and a jump past a request's deadline is its timeout.
    await hass.async_block_till_done(wait_background_tasks=True)
    freezer.move_to(midnight + timedelta(seconds=1))
    async_fire_time_changed(hass)  # runs the midnight timer (and the polls due)
    await hass.async_block_till_done(wait_background_tasks=True)
    state = hass.states.get(TODAY)
    assert Decimal(state.state) == 0  # the call's cost so far was yesterday's
    assert state.attributes["last_reset"] == midnight.isoformat()
    assert state.attributes["last_reset"] != first_reset
    assert state.attributes["state_class"] == "total"

    clock.advance(60)
    await poll(hass, loaded_entry)
    assert Decimal(hass.states.get(TODAY).state) == Decimal("0.0219")
    assert Decimal(hass.states.get(RUNNING).state) == Decimal("0.0438")
    await hass.services.async_call(
        "talkety",
        "hang_up",
        {"config_entry": loaded_entry.entry_id, "call_id": response["call_id"]},
        blocking=True,
    )
    assert Decimal(hass.states.get(TODAY).state) == Decimal("0.0219")
    assert Decimal(hass.states.get(LAST_COST).state) == Decimal("0.0438")


@pytest.mark.parametrize("options", [{"cost_alert": 0.02}])
async def test_cost_alert_once_per_call(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, clock: ManualClock
) -> None:
    alerts = async_capture_events(hass, "talkety_cost_alert")
    await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE},
        blocking=True,
    )
    clock.advance(50)  # 45 s connected: 0.0164
    await poll(hass, loaded_entry)
    assert alerts == []
    clock.advance(10)
    await poll(hass, loaded_entry)
    clock.advance(10)
    await poll(hass, loaded_entry)
    assert len(alerts) == 1
    assert alerts[0].data["threshold"] == 0.02
    assert alerts[0].data["cost"] == 0.02008  # 55 s connected
    assert hass.states.get(EVENT).attributes["event_type"] == "cost_alert"


async def test_call_list_attribute_is_bounded(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, client: TalketyClient
) -> None:
    for _ in range(MAX_LISTED_CALLS + 3):
        await client.call_connect(CALLER, CALLEE)
    await poll(hass, loaded_entry)
    state = hass.states.get(ACTIVE)
    assert state.state == str(MAX_LISTED_CALLS + 3)
    assert len(state.attributes["calls"]) == MAX_LISTED_CALLS
    assert state.attributes["truncated"] is True
    assert len(json.dumps(dict(state.attributes))) < 4096


def test_cost_since_prorates_calls_over_midnight() -> None:
    midnight = datetime(2026, 1, 2, tzinfo=UTC)
    call = Call(
        id="1",
        status=CallStatus.DISCONNECTED,
        status_raw="disconnected",
        src=CALLER,
        dst=CALLEE,
        end=midnight + timedelta(seconds=30),
        duration=120,
        total_costs=Decimal("0.0438"),
    )
    assert cost_since(call, midnight) == Decimal("0.01095")
    assert cost_since(call, midnight + timedelta(minutes=1)) == 0
    assert cost_since(replace(call, duration=0), midnight) == Decimal("0.0438")
    assert cost_since(replace(call, end=None), midnight) == 0


async def test_cost_today_counts_a_conference_once(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    client: TalketyClient,
    clock: ManualClock,
) -> None:
    """A leg that ended in a conference still running is in the conference's cost only."""
    conference_id = await client.conference_connect(CALLER, [CALLEE, "442079460000"])
    clock.advance(65)
    conference = await client.conference_status(conference_id)
    uk_leg = next(leg for leg in conference.legs if leg.dst == "442079460000")
    await client.call_disconnect(uk_leg.id)
    clock.advance(5)
    conference = await client.conference_status(conference_id)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert Decimal(hass.states.get(TODAY).state) == conference.total_costs
    assert Decimal(hass.states.get(RUNNING).state) == conference.total_costs
    assert hass.states.get("sensor.talkety_alice_active_conferences").state == "1"


async def test_cost_today_lookup_retried_after_failure(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: Simulator,
    client: TalketyClient,
    clock: ManualClock,
) -> None:
    """If today's calls cannot be read at start, the next poll tries again."""
    coordinator = loaded_entry.runtime_data.coordinator
    call_id = await client.call_connect(CALLER, CALLEE)
    clock.advance(65)
    await client.call_disconnect(call_id)
    coordinator.client.retries = 0
    coordinator.history.seeded = False
    sim.faults.fail_next("call_list")  # the next seed attempt fails
    assert await coordinator.history.seed(dt_util.now()) is None
    assert coordinator.history.seeded is False
    await poll(hass, loaded_entry)
    assert coordinator.history.seeded is True
    assert Decimal(hass.states.get(TODAY).state) == Decimal("0.0219")


def test_describe_keeps_an_unknown_status() -> None:
    call = Call(id="7", status=CallStatus("on_hold"), status_raw="on_hold", src=CALLER, dst=CALLEE)
    data = describe(call, "USD")
    assert data["status"] == "unknown"
    assert data["status_raw"] == "on_hold"


async def test_month_lookup_bounded(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    client: TalketyClient,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An account with more calls this month than the start-up lookup reads: the newest
    count, and the log says the month's cost is short."""
    monkeypatch.setattr(history_module, "_SEED_PAGE_SIZE", 2)
    monkeypatch.setattr(history_module, "_SEED_MAX_PAGES", 1)
    for seconds in (120, 60, 60):  # connected; the oldest costs most and is not read
        call_id = await client.call_connect(CALLER, CALLEE)
        clock.advance(5 + seconds)
        await client.call_disconnect(call_id)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert Decimal(hass.states.get(TODAY).state) == 2 * Decimal("0.0219")
    assert Decimal(hass.states.get(MONTH).state) == 2 * Decimal("0.0219")
    assert "the cost this month counts the newest only" in caplog.text


async def test_a_poll_writes_only_the_entities_whose_state_changed(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, clock: ManualClock
) -> None:
    """Polls come every few seconds during a call: an entity that shows the same as
    before is not written again (Home Assistant would record a state_reported each time)."""
    await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": "+1 987 654 3210"},
        blocking=True,
    )
    clock.advance(10)
    await poll(hass, loaded_entry)  # connected
    entity_ids = set(hass.states.async_entity_ids())
    changed = async_capture_events(hass, "state_changed")
    reported: list[str] = []

    @callback
    def record(event_data: Mapping[str, Any]) -> bool:
        reported.append(event_data["entity_id"])
        return False

    hass.bus.async_listen("state_reported", lambda _event: None, event_filter=record)
    clock.advance(5)
    await poll(hass, loaded_entry)  # duration and costs move on, nothing else does
    assert reported == []
    assert sorted(e.data["entity_id"] for e in changed) == sorted([ACTIVE, RUNNING, TODAY, MONTH])
    await poll(hass, loaded_entry)  # the clock stood still: nothing at all to write
    assert reported == []
    assert len(changed) == 4
    assert set(hass.states.async_entity_ids()) == entity_ids
