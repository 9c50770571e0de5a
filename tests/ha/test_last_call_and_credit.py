"""What the dashboard shows across a restart, and the repair issue for an empty balance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.talkety.const import DOMAIN
from talkety_core import TalketyClient
from talkety_core.simulator import ManualClock, Simulator

from .conftest import CALLEE, CALLER, poll

LAST = "sensor.talkety_alice_last_call"
LAST_COST = "sensor.talkety_alice_last_call_cost"
OLD = timedelta(hours=30)  # before today's midnight, and outside the monitor's 24 h


@pytest.fixture
def clock() -> ManualClock:
    # The simulator starts 30 hours ago, so a test can leave calls in yesterday.
    return ManualClock(start=datetime.now(UTC).replace(microsecond=0) - OLD)


async def _to_now(clock: ManualClock) -> None:
    clock.advance(OLD.total_seconds())


async def test_last_call_is_the_newest_that_ended_before_the_start(
    hass: HomeAssistant, config_entry: MockConfigEntry, client: TalketyClient, clock: ManualClock
) -> None:
    older = await client.call_connect(CALLER, CALLEE)
    clock.advance(65)
    await client.call_disconnect(older)
    newest = await client.call_connect(CALLER, "19876543486")  # busy
    clock.advance(10)
    await _to_now(clock)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    last = hass.states.get(LAST)
    assert last.state == "busy"
    assert last.attributes["call_id"] == newest
    assert Decimal(hass.states.get(LAST_COST).state) == 0
    # Yesterday's calls are not today's cost.
    assert Decimal(hass.states.get("sensor.talkety_alice_cost_today").state) == 0


async def test_last_call_of_a_conference_is_the_conference(
    hass: HomeAssistant, config_entry: MockConfigEntry, client: TalketyClient, clock: ManualClock
) -> None:
    conference_id = await client.conference_connect(CALLER, [CALLEE])
    clock.advance(65)
    await client.conference_disconnect(conference_id)
    await _to_now(clock)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    last = hass.states.get(LAST)
    assert last.attributes["type"] == "conference"
    assert last.attributes["conference_id"] == conference_id
    assert Decimal(hass.states.get(LAST_COST).state) > 0


async def test_last_call_survives_a_restart_until_a_call_ends(
    hass: HomeAssistant, config_entry: MockConfigEntry, client: TalketyClient, clock: ManualClock
) -> None:
    """An account whose calls the API no longer lists: the sensors keep what they showed."""
    attributes = {"type": "call", "call_id": "77", "from": CALLER, "to": CALLEE, "cost": 0.042}
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(LAST, "no_answer", {**attributes, "friendly_name": "x"}),
                {"native_value": "no_answer", "native_unit_of_measurement": None},
            ),
            (
                State(LAST_COST, "0.042"),
                {
                    "native_value": {"__type": "<class 'decimal.Decimal'>", "decimal_str": "0.042"},
                    "native_unit_of_measurement": "EUR",
                },
            ),
        ],
    )
    await _to_now(clock)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    last = hass.states.get(LAST)
    assert last.state == "no_answer"
    assert last.attributes["call_id"] == "77"
    assert "friendly_name" in last.attributes and last.attributes["friendly_name"] != "x"
    assert Decimal(hass.states.get(LAST_COST).state) == Decimal("0.042")

    # A call that ends now replaces what was restored.
    call_id = await client.call_connect(CALLER, CALLEE)
    await poll(hass, config_entry)
    clock.advance(65)
    await client.call_disconnect(call_id)
    await poll(hass, config_entry)
    last = hass.states.get(LAST)
    assert last.state == "disconnected"
    assert last.attributes["call_id"] == call_id
    assert Decimal(hass.states.get(LAST_COST).state) == Decimal("0.0219")


async def test_out_of_credit_raises_a_repair_issue_that_clears_itself(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    registry = ir.async_get(hass)
    issue_id = f"no_credit_{loaded_entry.entry_id}"
    sim.credit = Decimal(0)
    for action, data in (
        ("place_call", {"to": CALLEE}),
        ("start_conference", {"participants": [CALLEE]}),
    ):
        with pytest.raises(HomeAssistantError):
            await hass.services.async_call(
                DOMAIN,
                action,
                {"config_entry": loaded_entry.entry_id, **data},
                blocking=True,
                return_response=True,
            )
        issue = registry.async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert issue.translation_key == "no_credit"
        assert issue.severity is ir.IssueSeverity.ERROR
        assert not issue.is_fixable
        assert issue.translation_placeholders == {"account": "alice"}
    sim.credit = Decimal(10)  # topped up outside Home Assistant
    await hass.services.async_call(
        DOMAIN,
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE},
        blocking=True,
        return_response=True,
    )
    assert registry.async_get_issue(DOMAIN, issue_id) is None
