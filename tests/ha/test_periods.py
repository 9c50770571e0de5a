"""What Home Assistant reads at start: this month's cost, today's, and the recent calls.

The time is frozen mid-month (Home Assistant's test time zone, US/Pacific); the
simulator's clock starts before the month and moves up to that moment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.talkety.const import RECENT_CALLS
from talkety_core import TalketyClient
from talkety_core.simulator import ManualClock

from .conftest import CALLEE, CALLER, poll

NOW = datetime(2026, 12, 15, 20, 0, tzinfo=UTC)  # 12:00 in US/Pacific
MONTH_START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 00:00 in US/Pacific
TODAY_START = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
RATE = Decimal("0.0219") / 60  # CALLER + CALLEE, per second

MONTH = "sensor.talkety_alice_cost_this_month"
TODAY = "sensor.talkety_alice_cost_today"
RECENT = "sensor.talkety_alice_recent_calls"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=MONTH_START.replace(hour=7, minute=30))  # before the month


async def _call(client: TalketyClient, clock: ManualClock, seconds: int, dst: str = CALLEE) -> str:
    """A call that is connected for `seconds` (after 5 s of ringing), then hung up."""
    call_id = await client.call_connect(CALLER, dst)
    clock.advance(5 + seconds)
    await client.call_disconnect(call_id)
    return call_id


def _to(clock: ManualClock, moment: datetime) -> None:
    clock.advance((moment - clock.now()).total_seconds())


async def test_month_today_and_recent_at_start(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    client: TalketyClient,
    clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to(NOW)
    # Across the month's start: connected 3,600 s (07:30:05 to 08:30:05 UTC), of which
    # the last 1,805 s in December.
    across = await _call(client, clock, 3600)
    _to(clock, datetime(2026, 12, 10, 18, 0, tzinfo=UTC))
    conference = await client.conference_connect(CALLER, [CALLEE, "19876543211"])
    clock.advance(65)
    await client.conference_disconnect(conference)
    earlier = [await _call(client, clock, 60) for _ in range(RECENT_CALLS)]
    _to(clock, TODAY_START.replace(hour=10))
    today = await _call(client, clock, 120)
    _to(clock, NOW)

    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    today_cost = 120 * RATE
    earlier_cost = RECENT_CALLS * round(60 * RATE, 5)
    legs = await client.call_list(since=datetime(2026, 12, 10, tzinfo=UTC))
    conference_cost = sum(leg.total_costs for leg in legs if leg.conference_id == conference)
    across_call = await client.call_status(across)
    across_cost = (across_call.total_costs * Decimal(1805) / Decimal(3600)).quantize(
        Decimal("0.00001")
    )
    assert Decimal(hass.states.get(TODAY).state) == round(today_cost, 5)
    assert Decimal(hass.states.get(MONTH).state) == (
        round(today_cost, 5) + earlier_cost + conference_cost + across_cost
    )
    assert hass.states.get(MONTH).attributes["last_reset"] == "2026-12-01T00:00:00-08:00"
    calls = hass.states.get(RECENT).attributes["calls"]
    assert [c["call_id"] for c in calls] == [today, *reversed(earlier[1:])]
    assert hass.states.get(RECENT).state == "2026-12-15T10:02:05+00:00"


async def test_recent_calls_show_a_conference_once(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    client: TalketyClient,
    clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Fewer than ten calls this month: older ones fill the list; a conference's legs
    are one entry, the conference."""
    freezer.move_to(NOW)
    older = await _call(client, clock, 30)  # before the month
    _to(clock, datetime(2026, 12, 10, 18, 0, tzinfo=UTC))
    conference = await client.conference_connect(CALLER, [CALLEE, "19876543211"])
    clock.advance(65)
    await client.conference_disconnect(conference)
    _to(clock, NOW)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    calls = hass.states.get(RECENT).attributes["calls"]
    assert [(c["type"], c["call_id"], c["conference_id"]) for c in calls] == [
        ("conference", None, conference),
        ("call", older, None),
    ]
    assert calls[0]["to"] == [CALLEE, "19876543211"]

    # A call that ends now goes first.
    await _call(client, clock, 10)
    await poll(hass, config_entry)
    calls = hass.states.get(RECENT).attributes["calls"]
    assert [c["type"] for c in calls] == ["call", "conference", "call"]
