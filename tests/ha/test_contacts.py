"""The contact book: kept in the options, named in sensors, events and responses,
dialled by name."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.talkety.const import CONF_CONTACTS, DOMAIN
from custom_components.talkety.contacts import name_taken, number_for, sorted_by_name
from talkety_core.simulator import ManualClock, Simulator

from .conftest import CALLEE, CALLER, poll

ALICE = CALLEE
BOB = "442079460000"


async def _menu(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> dict[str, Any]:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert step in result["menu_options"]
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


async def test_add_and_remove_contacts(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["menu_options"] == ["settings", "add_contact"]  # nothing to remove yet
    hass.config_entries.options.async_abort(result["flow_id"])

    result = await _menu(hass, loaded_entry, "add_contact")
    assert result["step_id"] == "add_contact"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "Alice", "number": "call her"}
    )
    assert result["errors"] == {"number": "invalid_number"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "   ", "number": "(987) 654-3210"}
    )
    assert result["errors"] == {"name": "empty_name"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"name": " Alice  Smith ", "number": "(987) 654-3210"},  # US
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_CONTACTS] == {ALICE: "Alice Smith"}
    assert loaded_entry.options["default_caller"] == CALLER  # the settings stay

    result = await _menu(hass, loaded_entry, "add_contact")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "alice smith", "number": "+44 20 7946 0000"}
    )
    assert result["errors"] == {"name": "name_taken"}  # a name says whom to ring
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "Bob", "number": "+44 20 7946 0000"}
    )
    await hass.async_block_till_done()
    # Saving a saved number again renames it.
    result = await _menu(hass, loaded_entry, "add_contact")
    await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "Alice", "number": "+1 987 654 3210"}
    )
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_CONTACTS] == {ALICE: "Alice", BOB: "Bob"}

    result = await _menu(hass, loaded_entry, "remove_contacts")
    [field] = result["data_schema"].schema
    options = result["data_schema"].schema[field].config["options"]
    assert options == [
        {"value": ALICE, "label": "Alice (+19876543210)"},
        {"value": BOB, "label": "Bob (+442079460000)"},
    ]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_CONTACTS: [ALICE]}
    )
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_CONTACTS] == {BOB: "Bob"}


async def test_settings_keep_the_contacts(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        loaded_entry, options={**loaded_entry.options, CONF_CONTACTS: {ALICE: "Alice"}}
    )
    await hass.async_block_till_done()
    settings = {
        "currency": "EUR",
        "active_interval": 5,
        "idle_interval": 60,
        "cost_alert": 0,
        "block_premium": True,
    }
    result = await _menu(hass, loaded_entry, "settings")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**settings, "default_number": "Alice"},  # a name is no number here
    )
    assert result["errors"] == {"default_number": "invalid_number"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**settings, "default_number": "+1 987 654 3210"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_CONTACTS] == {ALICE: "Alice"}
    assert loaded_entry.options["default_number"] == ALICE
    assert "default_caller" not in loaded_entry.options  # emptied in the form: gone


@pytest.mark.parametrize("options", [{CONF_CONTACTS: {ALICE: "Alice", CALLER: "Me"}}])
async def test_names_everywhere(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, clock: ManualClock
) -> None:
    started = async_capture_events(hass, "talkety_call_started")
    ended = async_capture_events(hass, "talkety_call_ended")
    response = await hass.services.async_call(
        DOMAIN,
        "place_call",
        {"config_entry": loaded_entry.entry_id, "to": "  alice "},  # a name, loosely typed
        blocking=True,
        return_response=True,
    )
    [call] = sim.calls()
    assert (call.src, call.dst) == (CALLER, ALICE)
    assert started[0].data["to_name"] == "Alice"
    assert started[0].data["from_name"] == "Me"
    [listed] = hass.states.get("sensor.talkety_alice_active_calls").attributes["calls"]
    assert (listed["from_name"], listed["to_name"]) == ("Me", "Alice")
    details = await hass.services.async_call(
        DOMAIN,
        "get_call",
        {"config_entry": loaded_entry.entry_id, "call_id": response["call_id"]},
        blocking=True,
        return_response=True,
    )
    assert details["to_name"] == "Alice"

    conference = await hass.services.async_call(
        DOMAIN,
        "start_conference",
        {"config_entry": loaded_entry.entry_id, "participants": ["Alice", "+1 987 654 3211"]},
        blocking=True,
        return_response=True,
    )
    details = await hass.services.async_call(
        DOMAIN,
        "get_call",
        {"config_entry": loaded_entry.entry_id, "conference_id": conference["conference_id"]},
        blocking=True,
        return_response=True,
    )
    assert details["to_name"] == ["Alice", None]
    assert [leg["to_name"] for leg in details["legs"]] == ["Me", "Alice", None]

    clock.advance(30)
    await hass.services.async_call(
        DOMAIN,
        "hang_up",
        {"config_entry": loaded_entry.entry_id, "call_id": response["call_id"]},
        blocking=True,
    )
    await poll(hass, loaded_entry)
    assert ended[0].data["to_name"] == "Alice"
    last = hass.states.get("sensor.talkety_alice_last_call")
    assert last.attributes["to_name"] == "Alice"
    [recent] = hass.states.get("sensor.talkety_alice_recent_calls").attributes["calls"]
    assert recent["to_name"] == "Alice"

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "place_call",
            {"config_entry": loaded_entry.entry_id, "to": "Carol"},
            blocking=True,
        )
    assert err.value.translation_key == "invalid_number"  # neither a contact nor a number


def test_contact_lookups() -> None:
    contacts = {ALICE: "Alice Smith", BOB: "bob"}
    assert number_for(contacts, "ALICE   smith") == ALICE
    assert number_for(contacts, "Alice") is None
    assert name_taken(contacts, "Bob", ALICE)
    assert not name_taken(contacts, "Bob", BOB)
    assert not name_taken(contacts, "Carol", ALICE)
    assert sorted_by_name(contacts) == [(ALICE, "Alice Smith"), (BOB, "bob")]
