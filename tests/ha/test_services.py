"""The actions: each response, and each way they fail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.talkety.const import CONF_BLOCK_PREMIUM, CONF_DEFAULT_CALLER, DOMAIN
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

from .conftest import CALLEE, CALLER, poll

RESPONSE_ONLY = {"get_prices", "format_numbers", "get_call"}


async def _call(
    hass: HomeAssistant, entry: MockConfigEntry, service: str, response: bool = True, **data: Any
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        {"config_entry": entry.entry_id, **data},
        blocking=True,
        return_response=response,
    )


async def _fails(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    service: str,
    key: str,
    cls: type[HomeAssistantError] = ServiceValidationError,
    **data: Any,
) -> HomeAssistantError:
    with pytest.raises(cls) as info:
        await _call(hass, entry, service, response=service in RESPONSE_ONLY, **data)
    assert info.value.translation_key == key
    if cls is HomeAssistantError:
        assert not isinstance(info.value, ServiceValidationError)
    assert str(info.value)  # translated message present
    return info.value


async def test_place_call_response(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    response = await _call(hass, loaded_entry, "place_call", to="(987) 654-3210")
    [call] = sim.calls()
    assert response == {"call_id": str(call.id)}
    assert (call.src, call.dst) == (CALLER, CALLEE)
    # Without asking for a response, and with an explicit caller.
    assert (
        await _call(
            hass,
            loaded_entry,
            "place_call",
            response=False,
            to=CALLER,
            **{"from": "+1 987 654 3210"},
        )
        is None
    )
    assert sim.calls()[0].src == CALLEE


async def test_place_call_input_errors(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    error = await _fails(hass, loaded_entry, "place_call", "invalid_number", to="call me")
    assert "call me" in str(error)
    await _fails(hass, loaded_entry, "place_call", "premium_rate_number", to="+1 900 555 1234")
    await _fails(hass, loaded_entry, "place_call", "api_invalid_number", to="+7 495 123 4567")
    await _fails(hass, loaded_entry, "place_call", "api_destination_blocked", to="+882 1234 5678")
    await _fails(
        hass, loaded_entry, "place_call", "api_bad_parameter", to=CALLEE, custom_data="\x01"
    )
    assert sim.calls() == []


async def test_place_call_premium_allowed_by_option(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    options = {**loaded_entry.options, CONF_BLOCK_PREMIUM: False}
    hass.config_entries.async_update_entry(loaded_entry, options=options)
    await hass.async_block_till_done()
    response = await _call(hass, loaded_entry, "place_call", to="+1 900 555 1234")
    assert response["call_id"]


async def test_place_call_without_caller(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    options = dict(config_entry.options)
    del options[CONF_DEFAULT_CALLER]
    hass.config_entries.async_update_entry(config_entry, options=options)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await _fails(hass, config_entry, "place_call", "no_caller", to=CALLEE)


async def test_place_call_account_errors(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    sim.credit = Decimal(0)
    await _fails(hass, loaded_entry, "place_call", "api_no_credit", HomeAssistantError, to=CALLEE)
    sim.credit = Decimal(10)
    sim.password = "changed"
    await _fails(hass, loaded_entry, "place_call", "api_auth", HomeAssistantError, to=CALLEE)


async def test_place_call_outcome_unknown(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    """A dial that fails ambiguously is never resent: the user is told so."""
    loaded_entry.runtime_data.client.reconcile_delays = (0.0,)
    sim.faults.fail_next("call_connect")
    error = await _fails(
        hass, loaded_entry, "place_call", "outcome_unknown", HomeAssistantError, to=CALLEE
    )
    assert "may or may not" in str(error)
    assert sim.requests_by_action["call_connect"] == 1


async def test_place_call_dropped_answer_reconciled(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    sim.faults.drop_after_effect("call_connect")
    response = await _call(hass, loaded_entry, "place_call", to=CALLEE)
    [call] = sim.calls()
    assert response == {"call_id": str(call.id)}


@pytest.mark.parametrize("fault", ["drop_after_effect", "malformed_next"])
async def test_start_conference_lost_answer_reconciled(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, fault: str
) -> None:
    """The conference was placed but its answer was lost: found, never dialled again."""
    getattr(sim.faults, fault)("conference_connect")
    response = await _call(
        hass, loaded_entry, "start_conference", participants=[CALLEE, "+1 987 654 3211"]
    )
    legs = [leg for leg in sim.calls() if leg.conference_id is not None]
    assert {str(leg.conference_id) for leg in legs} == {response["conference_id"]}
    assert len(legs) == 3  # the owner and two participants, once each
    assert sim.requests_by_action["conference_connect"] == 1


@pytest.mark.parametrize("fault", ["fail_next", "drop_after_effect"])
async def test_add_participants_never_adds_twice(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, fault: str
) -> None:
    """A 5xx (the add did not happen) is an unknown outcome, told; a lost answer (it
    did) is found. Either way the add was sent once."""
    loaded_entry.runtime_data.client.reconcile_delays = (0.0,)
    started = await _call(hass, loaded_entry, "start_conference", participants=[CALLEE])
    conference_id = started["conference_id"]
    getattr(sim.faults, fault)("conference_add")
    if fault == "fail_next":
        error = await _fails(
            hass,
            loaded_entry,
            "add_participants",
            "outcome_unknown",
            HomeAssistantError,
            conference_id=conference_id,
            participants=["+1 987 654 3211"],
        )
        assert "may or may not" in str(error)
    else:
        await _call(
            hass,
            loaded_entry,
            "add_participants",
            conference_id=conference_id,
            participants=["+1 987 654 3211"],
        )
    added = [leg for leg in sim.calls() if leg.dst == "19876543211"]
    assert len(added) == (0 if fault == "fail_next" else 1)
    assert sim.requests_by_action["conference_add"] == 1


async def test_api_unreachable(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, server: SimulatorServer
) -> None:
    loaded_entry.runtime_data.client.retries = 0
    await server.stop()
    await _fails(hass, loaded_entry, "get_call", "cannot_connect", HomeAssistantError, call_id="1")


async def test_api_broken_answer(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator
) -> None:
    loaded_entry.runtime_data.client.retries = 0
    sim.faults.malformed_next("pricing")
    await _fails(
        hass, loaded_entry, "get_prices", "api_error", HomeAssistantError, numbers=[CALLEE]
    )


@pytest.mark.parametrize("sim_kwargs", [{"rate_limit": (0.001, 4)}])
async def test_rate_limited(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    # Setup's first poll used the burst (the active calls by status, then the page since
    # the poll; today's calls wait for a later poll); the wait is too long to retry.
    await _fails(
        hass, loaded_entry, "get_prices", "api_rate_limited", HomeAssistantError, numbers=[CALLEE]
    )


async def test_conference(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, clock: ManualClock
) -> None:
    response = await _call(
        hass, loaded_entry, "start_conference", participants=["+1 987 654 3210"], custom_data="x"
    )
    conference_id = response["conference_id"]
    state = hass.states.get("sensor.talkety_alice_active_conferences")
    assert state.state == "1"
    assert state.attributes["conferences"][0]["conference_id"] == conference_id
    clock.advance(10)
    response = await _call(
        hass,
        loaded_entry,
        "add_participants",
        conference_id=conference_id,
        participants=["+44 20 7946 0000"],
    )
    assert response == {"conference_id": conference_id}
    clock.advance(10)
    details = await _call(hass, loaded_entry, "get_call", conference_id=conference_id)
    assert details["type"] == "conference"
    assert details["conference_id"] == conference_id
    assert details["status"] == "connected"
    assert details["custom_data"] == "x"
    assert len(details["legs"]) == 3
    assert [leg["owner"] for leg in details["legs"]].count(True) == 1
    assert sorted(details["to"]) == sorted([CALLEE, "442079460000"])
    await poll(hass, loaded_entry)
    assert Decimal(hass.states.get("sensor.talkety_alice_running_cost").state) > 0
    response = await _call(hass, loaded_entry, "hang_up", conference_id=conference_id)
    assert response == {"conference_id": conference_id}
    assert hass.states.get("sensor.talkety_alice_active_conferences").state == "0"
    assert hass.states.get("sensor.talkety_alice_last_call").attributes["type"] == "conference"
    await _fails(hass, loaded_entry, "hang_up", "api_not_active", conference_id=conference_id)
    await _fails(
        hass,
        loaded_entry,
        "add_participants",
        "api_not_active",
        conference_id=conference_id,
        participants=[CALLEE],
    )


async def test_hang_up_and_get_call(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, clock: ManualClock
) -> None:
    call_id = (await _call(hass, loaded_entry, "place_call", to=CALLEE))["call_id"]
    clock.advance(65)
    details = await _call(hass, loaded_entry, "get_call", call_id=call_id)
    assert details["status"] == "connected"
    assert details["duration"] == 60
    assert details["cost"] == 0.0219
    assert details["from"] == CALLER
    assert "legs" not in details
    assert await _call(hass, loaded_entry, "hang_up", call_id=call_id) == {"call_id": call_id}
    await _fails(hass, loaded_entry, "hang_up", "api_not_active", call_id=call_id)
    await _fails(hass, loaded_entry, "hang_up", "api_not_found", call_id="99999")
    await _fails(hass, loaded_entry, "get_call", "api_not_found", conference_id="99999")
    await _fails(hass, loaded_entry, "get_call", "no_id")
    await _fails(hass, loaded_entry, "hang_up", "no_id")


async def test_get_prices(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    response = await _call(
        hass,
        loaded_entry,
        "get_prices",
        numbers=["(123) 456-7890", "+1 987 654 3210", "+7 495 123 4567"],
    )
    assert response == {
        "numbers": [
            {
                "input": "(123) 456-7890",
                "number": CALLER,
                "valid": True,
                "price_per_minute": 0.0105,
            },
            {
                "input": "+1 987 654 3210",
                "number": CALLEE,
                "valid": True,
                "price_per_minute": 0.0114,
            },
            {
                "input": "+7 495 123 4567",
                "number": "74951234567",
                "valid": False,
                "price_per_minute": None,
            },
        ],
        "total_per_minute": 0.0219,
        "all_valid": False,
        "currency": "EUR",
    }
    await _fails(hass, loaded_entry, "get_prices", "invalid_number", numbers=["nope"])


async def test_format_numbers(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    response = await _call(
        hass,
        loaded_entry,
        "format_numbers",
        numbers=["(123) 456-7890", "tel:+19876543210", "+7 495"],
    )
    assert response == {
        "numbers": [
            {"input": "(123) 456-7890", "number": CALLER, "valid": True},
            {"input": "tel:+19876543210", "number": CALLEE, "valid": True},
            {"input": "+7 495", "number": None, "valid": False},
        ]
    }


async def test_entry_errors(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    with pytest.raises(ServiceValidationError) as info:
        await hass.services.async_call(
            DOMAIN,
            "get_prices",
            {"config_entry": "nope", "numbers": [CALLEE]},
            blocking=True,
            return_response=True,
        )
    assert info.value.translation_key == "entry_not_found"
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    await _fails(hass, loaded_entry, "get_prices", "entry_not_loaded", numbers=[CALLEE])
