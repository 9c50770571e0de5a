"""What the integration asks Talkety to do, for every way in: actions, buttons,
the notify entity and Assist.

Each dial goes through `dial` (one request, never resent after an ambiguous
failure: the core's client decides that), and every failure leaves here as a
translated Home Assistant error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from . import credit_issue
from .const import (
    CONF_BLOCK_PREMIUM,
    CONF_COUNTRY,
    CONF_DEFAULT_CALLER,
    CONF_DEFAULT_NUMBER,
    DEFAULT_BLOCK_PREMIUM,
    DOMAIN,
    LOGGER,
)
from .contacts import contacts_of, number_for
from .coordinator import TalketyConfigEntry
from .core import (
    PhoneNumberError,
    PremiumRateNumberError,
    TalketyError,
    TalketyInsufficientCreditError,
    TalketyNotActiveError,
    parse_number,
)
from .errors import api, translated

_T = TypeVar("_T")

# The custom data Talkety keeps with a call is at most this long.
MAX_CUSTOM_DATA = 1024


def to_digits(entry: TalketyConfigEntry, text: str) -> str:
    """A contact's name, or a number as a person types it -> the digits Talkety dials.

    Raises a translated validation error for anything else.
    """
    if (saved := number_for(contacts_of(entry.options), text)) is not None:
        return saved
    block = entry.options.get(CONF_BLOCK_PREMIUM, DEFAULT_BLOCK_PREMIUM)
    try:
        return parse_number(
            text, default_region=entry.options.get(CONF_COUNTRY), block_premium=block
        )
    except PremiumRateNumberError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="premium_rate_number",
            translation_placeholders={"number": text},
        ) from err
    except PhoneNumberError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_number",
            translation_placeholders={"number": text, "error": str(err)},
        ) from err


def caller(entry: TalketyConfigEntry, text: str | None) -> str:
    """The number rung first: `text`, or the account's default caller."""
    text = text or entry.options.get(CONF_DEFAULT_CALLER)
    if not text:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_caller")
    return to_digits(entry, text)


async def dial(hass: HomeAssistant, entry: TalketyConfigEntry, coro: Awaitable[_T]) -> _T:
    """A request that places a call: out of credit raises the repair issue, success clears it."""
    try:
        result = await api(coro)
    except HomeAssistantError as err:
        if isinstance(err.__cause__, TalketyInsufficientCreditError):
            credit_issue.raise_issue(hass, entry)
        raise
    credit_issue.clear_issue(hass, entry)
    return result


async def place_call(
    hass: HomeAssistant,
    entry: TalketyConfigEntry,
    src: str,
    dst: str,
    custom_data: str | None = None,
) -> str:
    """Ring `src`, then connect it to `dst` (Talkety's digits); follow the call at once."""
    client = entry.runtime_data.client
    call_id = await dial(hass, entry, client.call_connect(src, dst, custom_data=custom_data))
    coordinator = entry.runtime_data.coordinator
    coordinator.watch_call(call_id)
    await coordinator.async_request_refresh()
    return call_id


async def call_default_number(
    hass: HomeAssistant, entry: TalketyConfigEntry, custom_data: str | None = None
) -> str:
    """Ring the default caller, then connect it to the default number (button, notify)."""
    default_number = entry.options.get(CONF_DEFAULT_NUMBER)
    if not default_number:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="no_default_number",
            translation_placeholders={"title": entry.title},
        )
    src = caller(entry, None)
    return await place_call(hass, entry, src, to_digits(entry, default_number), custom_data)


async def hang_up_all(hass: HomeAssistant, entry: TalketyConfigEntry) -> int:
    """End every active call and conference of the account; returns how many.

    Every one is tried even when another fails: a failure is raised after all
    were tried. One that ended meanwhile counts as ended.
    """
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_refresh()  # what is active now, not at the last poll
    client = entry.runtime_data.client
    conferences = [c.id for c in coordinator.monitor.active_conferences]
    calls = [
        c.id
        for c in coordinator.monitor.active_calls
        if c.conference_id is None or c.conference_id not in conferences
    ]
    targets = [(True, conference_id) for conference_id in conferences]
    targets += [(False, call_id) for call_id in calls]
    results = await asyncio.gather(
        *(client.hang_up(subject_id, conference=is_conf) for is_conf, subject_id in targets),
        return_exceptions=True,
    )
    failures = [
        result
        for result in results
        if isinstance(result, BaseException) and not isinstance(result, TalketyNotActiveError)
    ]
    await coordinator.async_request_refresh()
    if not failures:
        return len(targets)
    for failure in failures[1:]:
        LOGGER.error("Could not hang up a Talkety call: %s", failure)
    first = failures[0]
    if isinstance(first, TalketyError):
        raise translated(first) from first
    raise first
