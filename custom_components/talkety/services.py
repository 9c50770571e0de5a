"""Actions of the Talkety integration (registered once in async_setup)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import ConfigEntrySelector
from homeassistant.util.json import JsonValueType

from .calls import MAX_CUSTOM_DATA, caller, dial, place_call, to_digits
from .const import CONF_COUNTRY, DOMAIN
from .coordinator import TalketyConfigEntry
from .core import Call, Conference, PhoneNumberError, parse_number
from .errors import api
from .payload import legs, money

ATTR_CONFIG_ENTRY = "config_entry"
ATTR_FROM = "from"
ATTR_TO = "to"
ATTR_CUSTOM_DATA = "custom_data"
ATTR_PARTICIPANTS = "participants"
ATTR_CONFERENCE_ID = "conference_id"
ATTR_CALL_ID = "call_id"
ATTR_NUMBERS = "numbers"

SERVICE_PLACE_CALL = "place_call"
SERVICE_START_CONFERENCE = "start_conference"
SERVICE_ADD_PARTICIPANTS = "add_participants"
SERVICE_HANG_UP = "hang_up"
SERVICE_GET_PRICES = "get_prices"
SERVICE_FORMAT_NUMBERS = "format_numbers"
SERVICE_GET_CALL = "get_call"

MAX_NUMBERS = 50

_ENTRY = vol.Required(ATTR_CONFIG_ENTRY)
_ENTRY_SELECTOR = ConfigEntrySelector({"integration": DOMAIN})
_NUMBER_LIST = vol.All(cv.ensure_list, [cv.string], vol.Length(min=1, max=MAX_NUMBERS))
_ID = vol.All(vol.Coerce(str), cv.string)
_ONE_ID = "call_or_conference"

PLACE_CALL_SCHEMA = vol.Schema(
    {
        _ENTRY: _ENTRY_SELECTOR,
        vol.Optional(ATTR_FROM): cv.string,
        vol.Required(ATTR_TO): cv.string,
        vol.Optional(ATTR_CUSTOM_DATA): vol.All(cv.string, vol.Length(max=MAX_CUSTOM_DATA)),
    }
)
START_CONFERENCE_SCHEMA = vol.Schema(
    {
        _ENTRY: _ENTRY_SELECTOR,
        vol.Optional(ATTR_FROM): cv.string,
        vol.Required(ATTR_PARTICIPANTS): _NUMBER_LIST,
        vol.Optional(ATTR_CUSTOM_DATA): vol.All(cv.string, vol.Length(max=MAX_CUSTOM_DATA)),
    }
)
ADD_PARTICIPANTS_SCHEMA = vol.Schema(
    {
        _ENTRY: _ENTRY_SELECTOR,
        vol.Required(ATTR_CONFERENCE_ID): _ID,
        vol.Required(ATTR_PARTICIPANTS): _NUMBER_LIST,
    }
)
ONE_ID_SCHEMA = vol.Schema(
    {
        _ENTRY: _ENTRY_SELECTOR,
        vol.Exclusive(ATTR_CALL_ID, _ONE_ID): _ID,
        vol.Exclusive(ATTR_CONFERENCE_ID, _ONE_ID): _ID,
    }
)
NUMBERS_SCHEMA = vol.Schema({_ENTRY: _ENTRY_SELECTOR, vol.Required(ATTR_NUMBERS): _NUMBER_LIST})


def _entry(hass: HomeAssistant, call: ServiceCall) -> TalketyConfigEntry:
    entry_id: str = call.data[ATTR_CONFIG_ENTRY]
    entry: TalketyConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"title": entry.title},
        )
    return entry


def _one_id(call: ServiceCall) -> tuple[bool, str]:
    """(is conference, id) of an action taking a call id or a conference id."""
    if ATTR_CONFERENCE_ID in call.data:
        return True, call.data[ATTR_CONFERENCE_ID]
    if ATTR_CALL_ID in call.data:
        return False, call.data[ATTR_CALL_ID]
    raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_id")


def _details(entry: TalketyConfigEntry, subject: Call | Conference) -> dict[str, Any]:
    coordinator = entry.runtime_data.coordinator
    data = coordinator.describe(subject)
    if isinstance(subject, Conference):
        data["legs"] = legs(subject, coordinator.currency, coordinator.contacts)
    return data


async def _place_call(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    src = caller(entry, call.data.get(ATTR_FROM))
    dst = to_digits(entry, call.data[ATTR_TO])
    call_id = await place_call(hass, entry, src, dst, call.data.get(ATTR_CUSTOM_DATA))
    return {"call_id": call_id}


async def _start_conference(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    src = caller(entry, call.data.get(ATTR_FROM))
    participants = [to_digits(entry, text) for text in call.data[ATTR_PARTICIPANTS]]
    client = entry.runtime_data.client
    conference_id = await dial(
        hass,
        entry,
        client.conference_connect(src, participants, custom_data=call.data.get(ATTR_CUSTOM_DATA)),
    )
    coordinator = entry.runtime_data.coordinator
    coordinator.watch_conference(conference_id)
    await coordinator.async_request_refresh()
    return {"conference_id": conference_id}


async def _add_participants(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    conference_id: str = call.data[ATTR_CONFERENCE_ID]
    participants = [to_digits(entry, text) for text in call.data[ATTR_PARTICIPANTS]]
    client = entry.runtime_data.client
    await dial(hass, entry, client.conference_add(conference_id, participants))
    coordinator = entry.runtime_data.coordinator
    coordinator.watch_conference(conference_id)
    await coordinator.async_request_refresh()
    return {"conference_id": conference_id}


async def _hang_up(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    is_conference, subject_id = _one_id(call)
    client = entry.runtime_data.client
    await api(client.hang_up(subject_id, conference=is_conference))
    await entry.runtime_data.coordinator.async_request_refresh()
    key = ATTR_CONFERENCE_ID if is_conference else ATTR_CALL_ID
    return {key: subject_id}


async def _get_prices(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    texts: list[str] = call.data[ATTR_NUMBERS]
    numbers = [to_digits(entry, text) for text in texts]
    pricing = await api(entry.runtime_data.client.pricing(numbers))
    currency = entry.runtime_data.coordinator.currency
    valid = {priced.number: priced.valid for priced in pricing.numbers}
    return {
        "numbers": [
            {
                "input": text,
                "number": number,
                "valid": valid.get(number, False),
                "price_per_minute": _opt_money(pricing.cost_of(number)),
            }
            for text, number in zip(texts, numbers, strict=True)
        ],
        "total_per_minute": money(pricing.total_costs),
        "all_valid": pricing.all_valid,
        "currency": currency,
    }


def _opt_money(value: Decimal | None) -> float | None:
    return None if value is None else money(value)


async def _format_numbers(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    """Talkety's spelling of each number: parsed here with the default country, then the API."""
    entry = _entry(hass, call)
    texts: list[str] = call.data[ATTR_NUMBERS]
    region = entry.options.get(CONF_COUNTRY)
    sent: list[str] = []
    for text in texts:
        try:
            sent.append(parse_number(text, default_region=region))
        except PhoneNumberError:
            sent.append(text)  # the API may still know a local spelling
    formatted = await api(entry.runtime_data.client.number_format(sent))
    by_input = {answer.input: answer for answer in formatted}
    results: list[JsonValueType] = []
    for text, number in zip(texts, sent, strict=True):
        answer = by_input.get(number)
        valid = answer is not None and answer.valid
        results.append(
            {"input": text, "number": answer.number if valid and answer else None, "valid": valid}
        )
    return {"numbers": results}


async def _get_call(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    entry = _entry(hass, call)
    is_conference, subject_id = _one_id(call)
    client = entry.runtime_data.client
    subject = await api(client.status(subject_id, conference=is_conference))
    return _details(entry, subject)


_Handler = Callable[[HomeAssistant, ServiceCall], Awaitable[ServiceResponse]]

_SERVICES: tuple[tuple[str, _Handler, vol.Schema, SupportsResponse], ...] = (
    (SERVICE_PLACE_CALL, _place_call, PLACE_CALL_SCHEMA, SupportsResponse.OPTIONAL),
    (
        SERVICE_START_CONFERENCE,
        _start_conference,
        START_CONFERENCE_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (
        SERVICE_ADD_PARTICIPANTS,
        _add_participants,
        ADD_PARTICIPANTS_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (SERVICE_HANG_UP, _hang_up, ONE_ID_SCHEMA, SupportsResponse.OPTIONAL),
    (SERVICE_GET_PRICES, _get_prices, NUMBERS_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_FORMAT_NUMBERS, _format_numbers, NUMBERS_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_GET_CALL, _get_call, ONE_ID_SCHEMA, SupportsResponse.ONLY),
)


def async_setup_services(hass: HomeAssistant) -> None:
    """Register every Talkety action; each names its account in `config_entry`."""
    for name, handler, schema, supports_response in _SERVICES:

        async def service(call: ServiceCall, handler: _Handler = handler) -> ServiceResponse:
            response = await handler(hass, call)
            return response if call.return_response else None

        hass.services.async_register(
            DOMAIN, name, service, schema=schema, supports_response=supports_response
        )
