"""Fixtures: a real Talkety simulator on 127.0.0.1 and a Talkety config entry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.talkety.const import (
    CONF_API_URL,
    CONF_APP_KEY,
    CONF_COUNTRY,
    CONF_CURRENCY,
    CONF_DEFAULT_CALLER,
    DOMAIN,
)
from talkety_core import TalketyClient
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

USERNAME = "alice"
PASSWORD = "s3cret-Passw0rd"
APP_KEY = "84f4097bb4955c6c58ba452ece41c075"
CALLER = "11234567890"  # 0.0105/min
CALLEE = "19876543210"  # 0.0114/min


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/talkety from this checkout."""


@pytest.fixture
def clock() -> ManualClock:
    # Near real time: the monitor's call_list `since` comes from the local clock.
    return ManualClock(start=datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def sim_kwargs() -> dict[str, Any]:
    """Extra Simulator arguments; parametrize to change (rate_limit=..., say)."""
    return {}


@pytest.fixture
def sim(clock: ManualClock, sim_kwargs: dict[str, Any]) -> Simulator:
    kwargs: dict[str, Any] = {"credit": Decimal("50"), **sim_kwargs}
    return Simulator(username=USERNAME, password=PASSWORD, app_key=APP_KEY, clock=clock, **kwargs)


@pytest.fixture
async def server(socket_enabled: None, sim: Simulator) -> AsyncIterator[SimulatorServer]:
    async with SimulatorServer(sim, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
async def client(server: SimulatorServer) -> AsyncIterator[TalketyClient]:
    """A second client of the same account (another app, say), on its own session."""
    async with aiohttp.ClientSession() as session:
        yield TalketyClient(APP_KEY, USERNAME, PASSWORD, base_url=server.base_url, session=session)


@pytest.fixture
def entry_data(server: SimulatorServer) -> dict[str, Any]:
    return {
        CONF_USERNAME: USERNAME,
        CONF_PASSWORD: PASSWORD,
        CONF_APP_KEY: APP_KEY,
        CONF_API_URL: server.base_url,
    }


# The account's defaults: asked for at setup, kept in the options.
ACCOUNT_DEFAULTS = {CONF_DEFAULT_CALLER: CALLER, CONF_COUNTRY: "US", CONF_CURRENCY: "EUR"}


@pytest.fixture
def options() -> dict[str, Any]:
    """Options besides the account's defaults; parametrize to change."""
    return {}


@pytest.fixture
def config_entry(
    hass: HomeAssistant, entry_data: dict[str, Any], options: dict[str, Any]
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=USERNAME,
        unique_id=USERNAME,
        data=entry_data,
        options={**ACCOUNT_DEFAULTS, **options},
        minor_version=2,
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def loaded_entry(hass: HomeAssistant, config_entry: MockConfigEntry) -> MockConfigEntry:
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """One coordinator update now (what the timer would do)."""
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
