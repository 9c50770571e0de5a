"""The example blueprints: valid, and they do what they say against the simulator."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import BLUEPRINT_SCHEMA, models
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from ha_integration import BLUEPRINTS_DIR, installer
from talkety_core import TalketyClient
from talkety_core.simulator import ManualClock, Simulator

from .conftest import CALLEE, poll

BLUEPRINTS = sorted(BLUEPRINTS_DIR.glob("*/*.yaml"))
SCHEMAS = {"automation": AUTOMATION_BLUEPRINT_SCHEMA, "script": BLUEPRINT_SCHEMA}


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda p: p.stem)
def test_blueprint_is_valid(path: Path) -> None:
    domain = path.parent.name
    blueprint = models.Blueprint(
        load_yaml_dict(str(path)), expected_domain=domain, schema=SCHEMAS[domain]
    )
    assert blueprint.name.startswith("Talkety - ")
    assert blueprint.metadata["source_url"].endswith(path.name)


async def _automation(
    hass: HomeAssistant, tmp_path: Path, blueprint: str, inputs: dict[str, Any]
) -> None:
    hass.config.config_dir = str(tmp_path)
    installer.install(tmp_path)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {"path": f"talkety/{blueprint}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()


async def test_call_on_alarm(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, tmp_path: Path
) -> None:
    await _automation(
        hass,
        tmp_path,
        "call_on_alarm.yaml",
        {
            "alarm": "alarm_control_panel.home",
            "account": loaded_entry.entry_id,
            "number": "+1 987 654 3210",
        },
    )
    hass.states.async_set("alarm_control_panel.home", "armed_away")
    await hass.async_block_till_done()
    assert sim.calls() == []
    hass.states.async_set("alarm_control_panel.home", "triggered")
    await hass.async_block_till_done()
    [call] = sim.calls()
    assert call.dst == CALLEE
    assert call.custom_data.endswith("alarm alarm_control_panel.home")


async def test_notify_call_cost(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, clock: ManualClock, tmp_path: Path
) -> None:
    notified = async_capture_events(hass, "test_notified")
    notify = [
        {
            "event": "test_notified",
            "event_data": {"text": "{{ message }}", "cost": "{{ call.cost }}"},
        }
    ]
    await _automation(
        hass,
        tmp_path,
        "notify_call_cost.yaml",
        {"account": loaded_entry.entry_id, "minimum_cost": 0.01, "notify": notify},
    )
    for seconds in (65, 5):  # the second call costs too little to mention
        response = await hass.services.async_call(
            "talkety",
            "place_call",
            {"config_entry": loaded_entry.entry_id, "to": CALLEE},
            blocking=True,
            return_response=True,
        )
        clock.advance(seconds)
        await hass.services.async_call(
            "talkety",
            "hang_up",
            {"config_entry": loaded_entry.entry_id, "call_id": response["call_id"]},
            blocking=True,
        )
        await poll(hass, loaded_entry)  # the action's own refresh waits out the cooldown
    [event] = notified
    assert event.data["cost"] == 0.0219
    assert event.data["text"].startswith("Call ")
    assert (
        "to 19876543210 ended (disconnected) after 60 s and cost 0.0219 EUR." in event.data["text"]
    )


@pytest.mark.parametrize("options", [{"cost_alert": 0.01}])
async def test_hang_up_expensive_calls(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, clock: ManualClock, tmp_path: Path
) -> None:
    await _automation(
        hass, tmp_path, "hang_up_expensive_calls.yaml", {"account": loaded_entry.entry_id}
    )
    await hass.services.async_call(
        "talkety",
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE},
        blocking=True,
    )
    await hass.services.async_call(
        "talkety",
        "start_conference",
        {"config_entry": loaded_entry.entry_id, "participants": [CALLEE]},
        blocking=True,
    )
    clock.advance(40)
    await poll(hass, loaded_entry)  # both cross 0.01: alerts, and the automation hangs up
    await hass.async_block_till_done()
    await poll(hass, loaded_entry)
    assert hass.states.get("sensor.talkety_alice_active_calls").state == "0"
    assert hass.states.get("sensor.talkety_alice_active_conferences").state == "0"
    assert Decimal(hass.states.get("sensor.talkety_alice_cost_today").state) > 0


async def _script(hass: HomeAssistant, tmp_path: Path, inputs: dict[str, Any]) -> None:
    hass.config.config_dir = str(tmp_path)
    installer.install(tmp_path)
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "escalate": {
                    "use_blueprint": {
                        "path": "talkety/call_with_escalation.yaml",
                        "input": inputs,
                    }
                }
            }
        },
    )
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("first", "outcome", "fallback_called"),
    [
        ("+1 987 654 3486", "busy", True),
        ("+1 987 654 3408", "no_answer", True),
        ("+1 987 654 3503", "failed", False),  # not one of the default outcomes
        ("Alice", "disconnected", False),  # a contact, answered and hung up
    ],
)
@pytest.mark.parametrize("options", [{"contacts": {CALLEE: "Alice"}}])
async def test_call_with_escalation(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: Simulator,
    client: TalketyClient,
    clock: ManualClock,
    tmp_path: Path,
    first: str,
    outcome: str,
    fallback_called: bool,
) -> None:
    await _script(
        hass,
        tmp_path,
        {"account": loaded_entry.entry_id, "first": first, "fallback": "+1 987 654 3211"},
    )
    await hass.services.async_call("script", "turn_on", {"entity_id": "script.escalate"})
    # Not async_block_till_done: the script waits for the call's end until the poll
    # below. Wait until it listens for that end.
    async with asyncio.timeout(10):
        while not hass.bus.async_listeners().get("talkety_call_ended"):  # noqa: ASYNC110
            await asyncio.sleep(0)
    assert hass.states.get("script.escalate").state == "on"
    [first_call] = sim.calls()
    assert first_call.custom_data.endswith(": first call")
    clock.advance(10)  # past both ringing phases: busy, no answer, failed or connected
    if outcome == "disconnected":
        await client.call_disconnect(first_call.id)
    await poll(hass, loaded_entry)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.talkety_alice_last_call").state == outcome
    dialled = [call.dst for call in sim.calls() if call.id != first_call.id]
    assert dialled == (["19876543211"] if fallback_called else [])
    assert hass.states.get("script.escalate").state == "off"
