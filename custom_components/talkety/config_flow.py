"""Config flow of the Talkety integration: account, reauth, reconfigure, options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_NAME, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.generated.currencies import ACTIVE_CURRENCIES
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import (
    BooleanSelector,
    CountrySelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from . import create_client
from .const import (
    ACCOUNT_OPTIONS,
    CONF_ACTIVE_INTERVAL,
    CONF_API_URL,
    CONF_APP_KEY,
    CONF_BLOCK_PREMIUM,
    CONF_CONTACTS,
    CONF_COST_ALERT,
    CONF_COUNTRY,
    CONF_CURRENCY,
    CONF_DEFAULT_CALLER,
    CONF_DEFAULT_NUMBER,
    CONF_IDLE_INTERVAL,
    DEFAULT_ACTIVE_INTERVAL,
    DEFAULT_BLOCK_PREMIUM,
    DEFAULT_COST_ALERT,
    DEFAULT_CURRENCY,
    DEFAULT_IDLE_INTERVAL,
    DOMAIN,
    LOGGER,
    MIN_ACTIVE_INTERVAL,
    MIN_IDLE_INTERVAL,
    NUMBER_OPTIONS,
)
from .contacts import contacts_of, name_taken, sorted_by_name
from .core import (
    DEFAULT_BASE_URL,
    PhoneNumberError,
    TalketyAppKeyError,
    TalketyAuthenticationError,
    TalketyConnectionError,
    TalketyError,
    parse_number,
)

CONF_NUMBER = "number"

_TEXT = TextSelector()
_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
_PHONE = TextSelector(TextSelectorConfig(type=TextSelectorType.TEL))
_CURRENCY = SelectSelector(
    SelectSelectorConfig(
        options=sorted(ACTIVE_CURRENCIES),
        mode=SelectSelectorMode.DROPDOWN,
        sort=True,
    )
)


def _account_schema(
    *, password_required: bool = True, with_username: bool = True, with_defaults: bool = True
) -> vol.Schema:
    schema: dict[vol.Marker, Any] = {}
    if with_username:
        schema[vol.Required(CONF_USERNAME)] = _TEXT
    schema[vol.Required(CONF_PASSWORD) if password_required else vol.Optional(CONF_PASSWORD)] = (
        _PASSWORD
    )
    schema[vol.Required(CONF_APP_KEY)] = _PASSWORD
    schema[vol.Required(CONF_API_URL, default=DEFAULT_BASE_URL)] = _URL
    if with_defaults:
        schema.update(_defaults_schema())
    return vol.Schema(schema)


def _defaults_schema() -> dict[vol.Marker, Any]:
    """The account's defaults: asked for at setup, changed in the options."""
    return {
        vol.Optional(CONF_DEFAULT_CALLER): _PHONE,
        vol.Optional(CONF_DEFAULT_NUMBER): _PHONE,
        vol.Optional(CONF_COUNTRY): CountrySelector(),
        vol.Required(CONF_CURRENCY, default=DEFAULT_CURRENCY): _CURRENCY,
    }


def normalise_numbers(values: dict[str, Any]) -> dict[str, str]:
    """The default numbers as Talkety's digits, in place; the form's errors for what is
    no number."""
    errors: dict[str, str] = {}
    for key in NUMBER_OPTIONS:
        if text := values.get(key):
            try:
                values[key] = parse_number(text, default_region=values.get(CONF_COUNTRY))
            except PhoneNumberError:
                errors[key] = "invalid_number"
    return errors


REAUTH_SCHEMA = vol.Schema(
    {vol.Required(CONF_PASSWORD): _PASSWORD, vol.Required(CONF_APP_KEY): _PASSWORD}
)


async def validate_account(hass: HomeAssistant, data: dict[str, Any]) -> dict[str, str]:
    """Check the connection settings against the API; return the form's errors (empty if
    fine). Normalises the URL in `data` in place."""
    errors: dict[str, str] = {}
    data[CONF_API_URL] = str(data[CONF_API_URL]).strip().rstrip("/")
    try:
        cv.url(data[CONF_API_URL])
    except vol.Invalid:
        return {CONF_API_URL: "invalid_url"}
    client = create_client(hass, data, retries=0)
    try:
        await client.call_list(limit=1)
    except TalketyAppKeyError:
        errors["base"] = "invalid_app_key"
    except TalketyAuthenticationError:
        errors["base"] = "invalid_auth"
    except TalketyConnectionError:
        errors["base"] = "cannot_connect"
    except TalketyError as err:
        LOGGER.debug("The API URL does not answer like the Talkety API: %s", err)
        errors["base"] = "invalid_api"
    except Exception:
        LOGGER.exception("Unexpected error while checking the Talkety account")
        errors["base"] = "unknown"
    return errors


class TalketyConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a Talkety account."""

    VERSION = 1
    MINOR_VERSION = 2  # 2: the account's defaults moved from data to options

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {k: v for k, v in user_input.items() if k not in ACCOUNT_OPTIONS}
            options = {k: v for k, v in user_input.items() if k in ACCOUNT_OPTIONS}
            await self.async_set_unique_id(_account_id(data[CONF_USERNAME]))
            self._abort_if_unique_id_configured()
            errors = normalise_numbers(options) or await validate_account(self.hass, data)
            if not errors:
                return self.async_create_entry(
                    title=data[CONF_USERNAME], data=data, options=options
                )
        suggested = dict(user_input or {})
        if not suggested:
            suggested = {
                CONF_COUNTRY: self.hass.config.country,
                CONF_CURRENCY: self.hass.config.currency,
            }
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(_account_schema(), suggested),
            errors=errors,
        )

    def _update_reload_and_abort(
        self, entry: ConfigEntry, data: Mapping[str, Any], reason: str
    ) -> ConfigFlowResult:
        """Save the new data and reload the entry exactly once.

        Not async_update_reload_and_abort: from Home Assistant 2026.12 it refuses
        an entry with an update listener (ours applies options). A changed entry
        with the listener is reloaded by the listener; any other (unchanged, or
        never set up, as after a failed login) is reloaded here.
        """
        # Read before the update: the listener runs eagerly and its reload unloads
        # the entry, which removes the listener, before async_update_entry returns.
        listening = bool(entry.update_listeners)
        changed = self.hass.config_entries.async_update_entry(entry, data=data)
        if not (changed and listening):
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason=reason)

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The API refused the credentials: ask for them again."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            errors = await validate_account(self.hass, data)
            if not errors:
                return self._update_reload_and_abort(entry, data, "reauth_successful")
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_SCHEMA,
            errors=errors,
            description_placeholders={"username": entry.data[CONF_USERNAME]},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the settings of the account (the username stays)."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **{k: v for k, v in user_input.items() if v != ""}}
            errors = await validate_account(self.hass, data)
            if not errors:
                return self._update_reload_and_abort(entry, data, "reconfigure_successful")
        current = {k: v for k, v in entry.data.items() if k != CONF_PASSWORD}
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _account_schema(password_required=False, with_username=False, with_defaults=False),
                user_input or current,
            ),
            errors=errors,
            description_placeholders={"username": entry.data[CONF_USERNAME]},
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> TalketyOptionsFlow:
        return TalketyOptionsFlow()


def _account_id(username: str) -> str:
    return username.strip().lower()


class TalketyOptionsFlow(OptionsFlow):
    """A menu: the account's settings, and its contact book (add, remove)."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        menu = ["settings", "add_contact"]
        if contacts_of(self.config_entry.options):
            menu.append("remove_contacts")
        return self.async_show_menu(step_id="init", menu_options=menu)

    def _save_contacts(self, contacts: Mapping[str, str]) -> ConfigFlowResult:
        return self.async_create_entry(
            data={**self.config_entry.options, CONF_CONTACTS: dict(contacts)}
        )

    async def async_step_add_contact(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Save a name for a number (a saved number gets the new name)."""
        errors: dict[str, str] = {}
        options = self.config_entry.options
        contacts = dict(contacts_of(options))
        if user_input is not None:
            name = " ".join(user_input[CONF_NAME].split())
            try:
                number = parse_number(
                    user_input[CONF_NUMBER], default_region=options.get(CONF_COUNTRY)
                )
            except PhoneNumberError:
                errors[CONF_NUMBER] = "invalid_number"
            else:
                if not name:
                    errors[CONF_NAME] = "empty_name"
                elif name_taken(contacts, name, number):
                    errors[CONF_NAME] = "name_taken"
                else:
                    return self._save_contacts({**contacts, number: name})
        schema = vol.Schema({vol.Required(CONF_NAME): _TEXT, vol.Required(CONF_NUMBER): _PHONE})
        return self.async_show_form(
            step_id="add_contact",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )

    async def async_step_remove_contacts(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        contacts = dict(contacts_of(self.config_entry.options))
        if user_input is not None:
            for number in user_input[CONF_CONTACTS]:
                contacts.pop(number, None)
            return self._save_contacts(contacts)
        choices = [
            SelectOptionDict(value=number, label=f"{name} (+{number})")
            for number, name in sorted_by_name(contacts)
        ]
        schema = vol.Schema(
            {
                vol.Required(CONF_CONTACTS, default=[]): SelectSelector(
                    SelectSelectorConfig(
                        options=choices, multiple=True, mode=SelectSelectorMode.LIST
                    )
                )
            }
        )
        return self.async_show_form(step_id="remove_contacts", data_schema=schema)

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The account's defaults, poll intervals, the cost alert and premium-rate blocking."""
        errors: dict[str, str] = {}
        options = self.config_entry.options
        if user_input is not None:
            values = dict(user_input)
            errors = normalise_numbers(values)
            if values[CONF_IDLE_INTERVAL] < values[CONF_ACTIVE_INTERVAL]:
                errors[CONF_IDLE_INTERVAL] = "idle_faster_than_active"
            if not errors:
                # Every setting comes from the form (an emptied one is gone); the
                # contact book is kept.
                return self.async_create_entry(
                    data={CONF_CONTACTS: dict(contacts_of(options)), **values}
                )
        currency = options.get(CONF_CURRENCY, DEFAULT_CURRENCY)
        schema = vol.Schema(
            {
                **_defaults_schema(),
                vol.Required(
                    CONF_ACTIVE_INTERVAL,
                    default=options.get(CONF_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_ACTIVE_INTERVAL,
                        max=300,
                        step=1,
                        unit_of_measurement="s",
                        mode=NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    CONF_IDLE_INTERVAL,
                    default=options.get(CONF_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_IDLE_INTERVAL,
                        max=3600,
                        step=1,
                        unit_of_measurement="s",
                        mode=NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    CONF_COST_ALERT, default=options.get(CONF_COST_ALERT, DEFAULT_COST_ALERT)
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=0,
                        step=0.01,
                        unit_of_measurement=currency,
                        mode=NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    CONF_BLOCK_PREMIUM,
                    default=options.get(CONF_BLOCK_PREMIUM, DEFAULT_BLOCK_PREMIUM),
                ): BooleanSelector(),
            }
        )
        suggested = user_input if user_input is not None else dict(options)
        schema = self.add_suggested_values_to_schema(schema, suggested)
        return self.async_show_form(step_id="settings", data_schema=schema, errors=errors)
