"""The dashboard card's server side: the file served and loaded on every dashboard,
the `talkety/card` command, and the per-leg data the card hangs up by.

What the card does with them runs in a real browser (tests/installed/test_card.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.talkety.card import CARD_FILE, CARD_URL
from custom_components.talkety.const import CONF_CONTACTS, DOMAIN
from talkety_core.simulator import ManualClock, Simulator

from .conftest import CALLEE, CALLER, poll

CONTACTS = {CALLER: "Me", CALLEE: "Alice", "442079460000": "bob"}
CONFERENCES = "sensor.talkety_alice_active_conferences"


@pytest.mark.parametrize("options", [{CONF_CONTACTS: CONTACTS}])
async def test_card_accounts(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    other = MockConfigEntry(domain=DOMAIN, title="not loaded", data={}, unique_id="other")
    other.add_to_hass(hass)  # never set up: the card cannot use it
    ws = await hass_ws_client(hass)
    await ws.send_json({"id": 1, "type": "talkety/card"})
    answer = await ws.receive_json()
    assert answer["success"], answer
    [account] = answer["result"]["accounts"]
    assert account == {
        "entry_id": loaded_entry.entry_id,
        "title": "alice",
        "currency": "EUR",
        "default_caller": CALLER,
        "default_caller_name": "Me",
        # Sorted as a person looks for a name, whatever its case.
        "contacts": [
            {"name": "Alice", "number": CALLEE},
            {"name": "bob", "number": "442079460000"},
            {"name": "Me", "number": CALLER},
        ],
        "entities": {
            "active_calls": "sensor.talkety_alice_active_calls",
            "active_conferences": CONFERENCES,
            "running_cost": "sensor.talkety_alice_running_cost",
            "cost_today": "sensor.talkety_alice_cost_today",
            "cost_month": "sensor.talkety_alice_cost_this_month",
            "recent_calls": "sensor.talkety_alice_recent_calls",
        },
    }


async def test_card_served_and_loaded_on_every_dashboard(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, config_entry: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "frontend", {})
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    [url] = [u for u in hass.data[DATA_EXTRA_MODULE_URL].urls if u.startswith(CARD_URL)]
    # A release's card is a new URL: browsers never keep an old one.
    assert url.startswith(f"{CARD_URL}?v=")
    client = await hass_client()
    response = await client.get(url)
    assert response.status == 200
    assert await response.read() == CARD_FILE.read_bytes()
    assert "javascript" in response.headers["Content-Type"]


async def test_without_a_frontend_nothing_is_served(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A headless instance (no frontend) still gets the command, and no card."""
    assert "frontend" not in hass.config.components
    assert DATA_EXTRA_MODULE_URL not in hass.data


def _legs(hass: HomeAssistant) -> list[dict[str, Any]]:
    [conference] = hass.states.get(CONFERENCES).attributes["conferences"]
    legs: list[dict[str, Any]] = conference["legs"]
    return legs


@pytest.mark.parametrize("options", [{CONF_CONTACTS: CONTACTS}])
async def test_one_leg_hung_up_leaves_the_others(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, clock: ManualClock
) -> None:
    """A listed conference carries its active legs, named: the card ends one by its id."""
    started = await hass.services.async_call(
        DOMAIN,
        "start_conference",
        {"config_entry": loaded_entry.entry_id, "participants": ["Alice", "+44 20 7946 0000"]},
        blocking=True,
        return_response=True,
    )
    clock.advance(10)
    await poll(hass, loaded_entry)
    legs = _legs(hass)
    assert sorted((leg["to_name"], leg["owner"], leg["status"]) for leg in legs) == [
        ("Alice", False, "connected"),
        ("Me", True, "connected"),
        ("bob", False, "connected"),
    ]
    assert set(legs[0]) == {"call_id", "to", "to_name", "owner", "status", "duration", "cost"}
    [bob] = [leg for leg in legs if leg["to_name"] == "bob"]
    await hass.services.async_call(
        DOMAIN,
        "hang_up",
        {"config_entry": loaded_entry.entry_id, "call_id": bob["call_id"]},
        blocking=True,
    )
    await poll(hass, loaded_entry)
    assert sorted(leg["to_name"] for leg in _legs(hass)) == ["Alice", "Me"]
    # In the simulator too: only bob's leg ended.
    conference_id = int(started["conference_id"])
    statuses = {c.dst: c.status for c in sim.calls() if c.conference_id == conference_id}
    assert statuses == {CALLER: "connected", CALLEE: "connected", "442079460000": "disconnected"}
