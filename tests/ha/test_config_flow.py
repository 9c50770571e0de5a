"""The config flow: user step, every error, reauth, reconfigure and options."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigFlowResult
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components import talkety
from custom_components.talkety.const import (
    CONF_ACTIVE_INTERVAL,
    CONF_API_URL,
    CONF_APP_KEY,
    CONF_BLOCK_PREMIUM,
    CONF_CONTACTS,
    CONF_COST_ALERT,
    CONF_COUNTRY,
    CONF_DEFAULT_CALLER,
    CONF_IDLE_INTERVAL,
    DOMAIN,
)
from talkety_core import TalketyClient
from talkety_core.simulator import Simulator, SimulatorServer

from .conftest import ACCOUNT_DEFAULTS, APP_KEY, CALLER, PASSWORD, USERNAME


@pytest.fixture
def setups() -> Iterator[list[str]]:
    """The entry ids the integration is set up for, in order (a reload is one more)."""
    calls: list[str] = []
    real = talkety.async_setup_entry

    async def counting(hass: HomeAssistant, entry: Any) -> bool:
        calls.append(entry.entry_id)
        return await real(hass, entry)

    with patch.object(talkety, "async_setup_entry", counting):
        yield calls


async def _start(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result


async def test_user_creates_entry(hass: HomeAssistant, entry_data: dict[str, Any]) -> None:
    result = await _start(hass)
    data = {
        **entry_data,
        **ACCOUNT_DEFAULTS,
        CONF_DEFAULT_CALLER: "(123) 456-7890",
        CONF_API_URL: entry_data[CONF_API_URL] + "/",
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], data)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == USERNAME
    assert result["result"].unique_id == USERNAME
    # What connects is the entry's data; the account's defaults are its options.
    assert result["data"] == entry_data
    assert result["options"] == {**ACCOUNT_DEFAULTS, CONF_DEFAULT_CALLER: "11234567890"}
    assert result["result"].minor_version == 2
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({CONF_PASSWORD: "wrong"}, {"base": "invalid_auth"}),
        ({CONF_APP_KEY: "wrong"}, {"base": "invalid_app_key"}),
        ({CONF_API_URL: "http://127.0.0.1:1/xml/v1"}, {"base": "cannot_connect"}),
        ({CONF_API_URL: "not a url"}, {CONF_API_URL: "invalid_url"}),
        ({CONF_DEFAULT_CALLER: "call me"}, {CONF_DEFAULT_CALLER: "invalid_number"}),
    ],
)
async def test_user_errors_then_recovers(
    hass: HomeAssistant, entry_data: dict[str, Any], change: dict[str, str], error: dict[str, str]
) -> None:
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**entry_data, **ACCOUNT_DEFAULTS, **change}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == error
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**entry_data, **ACCOUNT_DEFAULTS}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_not_the_api(hass: HomeAssistant, entry_data: dict[str, Any]) -> None:
    """A URL that answers, but not like the Talkety API."""
    result = await _start(hass)
    wrong = entry_data[CONF_API_URL].replace("/xml/v1", "/elsewhere")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**entry_data, CONF_API_URL: wrong}
    )
    assert result["errors"] == {"base": "invalid_api"}


async def test_user_unexpected_error(hass: HomeAssistant, entry_data: dict[str, Any]) -> None:
    result = await _start(hass)
    with patch.object(TalketyClient, "call_list", side_effect=RuntimeError("boom")):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], entry_data)
    assert result["errors"] == {"base": "unknown"}


async def test_user_suggests_country_and_currency(hass: HomeAssistant) -> None:
    await hass.config.async_update(country="DE", currency="CHF")
    result = await _start(hass)
    schema = result["data_schema"].schema
    suggested = {
        str(key): key.description.get("suggested_value") for key in schema if key.description
    }
    assert suggested[CONF_COUNTRY] == "DE"
    assert suggested["currency"] == "CHF"


async def test_user_already_configured(
    hass: HomeAssistant, config_entry: MockConfigEntry, entry_data: dict[str, Any]
) -> None:
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**entry_data, CONF_USERNAME: "Alice "}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth(
    hass: HomeAssistant, config_entry: MockConfigEntry, sim: Simulator, setups: list[str]
) -> None:
    """After a failed login (the entry never set up): saved, then set up once."""
    sim.password = "new-password"
    result = await config_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["username"] == USERNAME
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: PASSWORD, CONF_APP_KEY: APP_KEY}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "new-password", CONF_APP_KEY: APP_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert config_entry.data[CONF_PASSWORD] == "new-password"
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    assert setups == [config_entry.entry_id]


@pytest.mark.parametrize("new_password", ["new-password", PASSWORD])
async def test_reauth_of_a_loaded_entry_reloads_once(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sim: Simulator,
    setups: list[str],
    new_password: str,
) -> None:
    """Changed credentials (the update listener reloads) or the same ones (the flow
    reloads): one reload either way, never two."""
    sim.password = new_password
    result = await loaded_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: new_password, CONF_APP_KEY: APP_KEY}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert setups == [loaded_entry.entry_id]


async def test_reconfigure(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entry_data: dict[str, Any],
    server: SimulatorServer,
    setups: list[str],
) -> None:
    """The connection only: the account's defaults are options."""
    result = await loaded_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert set(map(str, result["data_schema"].schema)) == {
        CONF_PASSWORD,
        CONF_APP_KEY,
        CONF_API_URL,
    }
    changes = {CONF_APP_KEY: APP_KEY, CONF_API_URL: "http://127.0.0.1:1/xml/v1"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], changes)
    assert result["errors"] == {"base": "cannot_connect"}
    # Password left empty: the current one stays.
    changes[CONF_API_URL] = server.base_url + "/"
    changes[CONF_PASSWORD] = ""
    result = await hass.config_entries.flow.async_configure(result["flow_id"], changes)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert loaded_entry.data == entry_data
    assert loaded_entry.options == ACCOUNT_DEFAULTS
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert setups == [loaded_entry.entry_id]  # one reload, though nothing changed


async def _settings(hass: HomeAssistant, entry: MockConfigEntry) -> ConfigFlowResult:
    """The options' menu, then its settings form."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "settings"
    return result


async def test_options_change_the_accounts_defaults(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, setups: list[str]
) -> None:
    result = await _settings(hass, loaded_entry)
    schema = result["data_schema"].schema
    suggested = {str(k): k.description.get("suggested_value") for k in schema if k.description}
    assert suggested[CONF_DEFAULT_CALLER] == CALLER
    assert suggested[CONF_COUNTRY] == "US"
    values = {
        CONF_COUNTRY: "GB",
        "currency": "GBP",
        CONF_ACTIVE_INTERVAL: 5,
        CONF_IDLE_INTERVAL: 60,
        CONF_COST_ALERT: 0,
        CONF_BLOCK_PREMIUM: True,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**values, CONF_DEFAULT_CALLER: "call me"}
    )
    assert result["errors"] == {CONF_DEFAULT_CALLER: "invalid_number"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**values, CONF_DEFAULT_CALLER: "020 7946 0000"},  # read as GB
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options == {
        CONF_CONTACTS: {},
        **values,
        CONF_DEFAULT_CALLER: "442079460000",
    }
    assert setups == [loaded_entry.entry_id]  # reloaded once, to apply them
    state = hass.states.get("sensor.talkety_alice_running_cost")
    assert state.attributes["unit_of_measurement"] == "GBP"
    # No default caller: an action must then say who rings first.
    result = await _settings(hass, loaded_entry)
    result = await hass.config_entries.options.async_configure(result["flow_id"], values)
    await hass.async_block_till_done()
    assert CONF_DEFAULT_CALLER not in loaded_entry.options


async def test_entries_of_0_1_move_the_defaults_to_options(
    hass: HomeAssistant, entry_data: dict[str, Any]
) -> None:
    old = MockConfigEntry(
        domain=DOMAIN,
        title=USERNAME,
        unique_id=USERNAME,
        data={**entry_data, **ACCOUNT_DEFAULTS},
        options={CONF_COST_ALERT: 0.5},
        minor_version=1,
    )
    old.add_to_hass(hass)
    assert await hass.config_entries.async_setup(old.entry_id)
    await hass.async_block_till_done()
    assert old.state is ConfigEntryState.LOADED
    assert old.minor_version == 2
    assert old.data == entry_data
    assert old.options == {**ACCOUNT_DEFAULTS, CONF_COST_ALERT: 0.5}
    newer = MockConfigEntry(domain=DOMAIN, unique_id="bob", data=entry_data, version=2)
    newer.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(newer.entry_id)
    assert newer.state is ConfigEntryState.MIGRATION_ERROR


async def test_options(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    result = await _settings(hass, loaded_entry)
    bad = {
        **ACCOUNT_DEFAULTS,
        CONF_ACTIVE_INTERVAL: 30,
        CONF_IDLE_INTERVAL: 20,
        CONF_COST_ALERT: 0.5,
        CONF_BLOCK_PREMIUM: False,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], bad)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_IDLE_INTERVAL: "idle_faster_than_active"}
    good = {**bad, CONF_ACTIVE_INTERVAL: 3, CONF_IDLE_INTERVAL: 120}
    result = await hass.config_entries.options.async_configure(result["flow_id"], good)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options == {CONF_CONTACTS: {}, **good}
    assert loaded_entry.state is ConfigEntryState.LOADED
    coordinator = loaded_entry.runtime_data.coordinator
    assert coordinator.update_interval.total_seconds() == 120  # idle
    assert coordinator.monitor.fast_interval == 3
