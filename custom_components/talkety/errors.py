"""Talkety's failures as Home Assistant errors: one translation for actions, one for polls."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import TypeVar

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN
from .core import (
    TalketyApiError,
    TalketyAuthenticationError,
    TalketyCallOutcomeUnknownError,
    TalketyConnectionError,
    TalketyDestinationBlockedError,
    TalketyError,
    TalketyInsufficientCreditError,
    TalketyInvalidNumberError,
    TalketyNotActiveError,
    TalketyNotFoundError,
    TalketyParameterError,
    TalketyRateLimitError,
)

_T = TypeVar("_T")


# API errors caused by what was asked (a ServiceValidationError), by key.
_INPUT_ERRORS: tuple[tuple[type[TalketyApiError], str], ...] = (
    (TalketyInvalidNumberError, "api_invalid_number"),
    (TalketyDestinationBlockedError, "api_destination_blocked"),
    (TalketyNotFoundError, "api_not_found"),
    (TalketyNotActiveError, "api_not_active"),
    (TalketyParameterError, "api_bad_parameter"),
)
# Failures of the API or the account (a HomeAssistantError), by key.
_FAILURES: tuple[tuple[type[TalketyError], str], ...] = (
    (TalketyCallOutcomeUnknownError, "outcome_unknown"),
    (TalketyAuthenticationError, "api_auth"),
    (TalketyInsufficientCreditError, "api_no_credit"),
    (TalketyRateLimitError, "api_rate_limited"),
    (TalketyConnectionError, "cannot_connect"),
    (TalketyError, "api_error"),
)


def translated(err: TalketyError) -> HomeAssistantError:
    """The Home Assistant error that tells a person what went wrong."""
    message = err.message if isinstance(err, TalketyApiError) else str(err)
    placeholders = {"error": message}
    for input_cls, key in _INPUT_ERRORS:
        if isinstance(err, input_cls):
            return ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders=placeholders,
            )
    key = next(key for cls, key in _FAILURES if isinstance(err, cls))
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


async def api(coro: Awaitable[_T]) -> _T:
    """Await an API request; translate its failure."""
    try:
        return await coro
    except TalketyError as err:
        raise translated(err) from err


# Newer Home Assistant releases wait `retry_after` seconds before the next poll;
# older ones take no such argument.
_HAS_RETRY_AFTER = "retry_after" in inspect.signature(UpdateFailed.__init__).parameters


def poll_failed(err: TalketyError) -> ConfigEntryAuthFailed | UpdateFailed:
    """A failed poll: rejected credentials start reauthentication; anything else fails
    this update, and a rate limit tells Home Assistant when to poll again, where it can."""
    if isinstance(err, TalketyAuthenticationError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="auth_failed",
            translation_placeholders={"error": str(err)},
        )
    retry: dict[str, float] = {}
    if _HAS_RETRY_AFTER and isinstance(err, TalketyRateLimitError) and err.retry_after:
        retry["retry_after"] = err.retry_after
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="update_failed",
        translation_placeholders={"error": str(err)},
        **retry,
    )
