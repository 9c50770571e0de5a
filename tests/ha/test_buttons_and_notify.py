"""The buttons (call the default number, hang up every call) and the notify entity."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.talkety.const import CONF_DEFAULT_NUMBER, DOMAIN
from talkety_core import CallStatus, TalketyClient
from talkety_core.simulator import ManualClock, Simulator

from .conftest import CALLEE, CALLER, poll

CALL_DEFAULT = "button.talkety_alice_call_default_number"
HANG_UP_ALL = "button.talkety_alice_hang_up_all_calls"
RING = "notify.talkety_alice_ring_my_phone"
ACTIVE = "sensor.talkety_alice_active_calls"
CONFERENCES = "sensor.talkety_alice_active_conferences"


async def _press(hass: HomeAssistant, button: str) -> None:
    await hass.services.async_call("button", "press", {"entity_id": button}, blocking=True)


@pytest.mark.parametrize("options", [{CONF_DEFAULT_NUMBER: CALLEE}])
async def test_call_default_number(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    await _press(hass, CALL_DEFAULT)
    [call] = sim.calls()
    assert (call.src, call.dst) == (CALLER, CALLEE)
    assert hass.states.get(ACTIVE).state == "1"  # followed at once


@pytest.mark.parametrize("options", [{CONF_DEFAULT_NUMBER: CALLEE}])
async def test_notify_rings_and_keeps_the_message(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": RING, "title": "Alarm", "message": "The alarm went off " + "x" * 2000},
        blocking=True,
    )
    [call] = sim.calls()
    assert (call.src, call.dst) == (CALLER, CALLEE)
    [listed] = hass.states.get(ACTIVE).attributes["calls"]
    details = await hass.services.async_call(
        DOMAIN,
        "get_call",
        {"config_entry": loaded_entry.entry_id, "call_id": listed["call_id"]},
        blocking=True,
        return_response=True,
    )
    assert details["custom_data"].startswith("Alarm - The alarm went off x")
    assert len(details["custom_data"]) == 1024  # Talkety's limit for it, not an error


async def test_without_a_default_number(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    for call in (
        _press(hass, CALL_DEFAULT),
        hass.services.async_call(
            "notify", "send_message", {"entity_id": RING, "message": "hi"}, blocking=True
        ),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await call
        assert err.value.translation_key == "no_default_number"
    assert sim.calls() == []


@pytest.mark.parametrize("options", [{CONF_DEFAULT_NUMBER: CALLEE}])
async def test_ringing_without_credit_raises_the_repair(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    sim.credit = 0
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, CALL_DEFAULT)
    assert err.value.translation_key == "api_no_credit"
    assert sim.calls() == []


async def test_hang_up_all(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: Simulator,
    client: TalketyClient,
    clock: ManualClock,
) -> None:
    """Every active call and conference ends, including one placed elsewhere and one
    this Home Assistant has not polled yet; each conference is ended once, as a whole."""
    mine = await hass.services.async_call(
        DOMAIN,
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": CALLEE},
        blocking=True,
        return_response=True,
    )
    await hass.services.async_call(
        DOMAIN,
        "start_conference",
        {"config_entry": loaded_entry.entry_id, "participants": [CALLEE, "19876543211"]},
        blocking=True,
    )
    clock.advance(10)
    await poll(hass, loaded_entry)
    elsewhere = await client.call_connect(CALLER, "19876543212")  # not polled yet
    sim.reset_counts()
    await _press(hass, HANG_UP_ALL)
    assert sim.requests_by_action["conference_disconnect"] == 1
    assert sim.requests_by_action["call_disconnect"] == 2  # not the conference's legs
    await poll(hass, loaded_entry)
    assert not [call for call in await client.call_list() if call.is_active]
    assert hass.states.get(ACTIVE).state == "0"
    assert hass.states.get(CONFERENCES).state == "0"
    statuses = {(await client.call_status(mine["call_id"])).status}
    statuses.add((await client.call_status(elsewhere)).status)
    assert statuses == {CallStatus.DISCONNECTED}


async def test_hang_up_all_tries_every_call(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: Simulator,
    client: TalketyClient,
) -> None:
    """One refused hang-up does not leave the others running; the failure is told."""
    first = await client.call_connect(CALLER, CALLEE)
    second = await client.call_connect(CALLER, "19876543211")
    loaded_entry.runtime_data.client.retries = 0
    await poll(hass, loaded_entry)
    sim.faults.fail_next("call_disconnect")
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, HANG_UP_ALL)
    assert err.value.translation_key == "api_error"
    ended = [not (await client.call_status(i)).is_active for i in (first, second)]
    assert sorted(ended) == [False, True]  # one refused, the other ended all the same
    await _press(hass, HANG_UP_ALL)  # pressed again: the rest ends
    assert [(await client.call_status(i)).is_active for i in (first, second)] == [False, False]


async def test_hang_up_all_with_nothing_active(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    sim.reset_counts()
    await _press(hass, HANG_UP_ALL)
    assert "call_disconnect" not in sim.requests_by_action
