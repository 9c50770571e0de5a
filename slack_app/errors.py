"""Turning failures into sentences a Slack user can act on."""

from __future__ import annotations

from talkety_core import (
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
    TalketyServerError,
)
from talkety_core.numbers import PhoneNumberError

from .numbers_input import NumberInputError
from .policy import PolicyError


class UserError(Exception):
    """A request that cannot be done as asked; str() tells the user what to do."""


# Everything a user may get wrong: str() of each is a sentence for them.
USER_ERRORS = (UserError, PolicyError, NumberInputError, PhoneNumberError)


def friendly(err: TalketyError) -> str:
    """What to tell a user about a Talkety failure (never a stack trace)."""
    if isinstance(err, TalketyCallOutcomeUnknownError):
        return (
            "Talkety did not answer clearly, so the call *may or may not have been placed*. "
            "I did not dial again. I'm checking Talkety's call list and will show the call if "
            "it exists; please don't dial again until then."
        )
    if isinstance(err, TalketyInsufficientCreditError):
        return "The Talkety account is out of credit. Ask an admin to top it up."
    if isinstance(err, TalketyInvalidNumberError):
        return f"Talkety cannot dial that number ({err.message}). Check it and try again."
    if isinstance(err, TalketyDestinationBlockedError):
        return "Talkety blocks that destination for this account."
    if isinstance(err, TalketyRateLimitError):
        wait = f" in {err.retry_after:g} seconds" if err.retry_after else " in a moment"
        return f"Talkety is busy right now (rate limited). Try again{wait}."
    if isinstance(err, TalketyAuthenticationError):
        return (
            "Talkety refused this app's login. An admin needs to check the app's Talkety "
            "credentials (TALKETY_USERNAME, TALKETY_PASSWORD, TALKETY_APP_KEY)."
        )
    if isinstance(err, TalketyNotActiveError):
        return "That call has already ended."
    if isinstance(err, TalketyNotFoundError):
        return "Talkety does not know that call (any more)."
    if isinstance(err, TalketyParameterError):
        return f"Talkety did not accept the request: {err.message}"
    if isinstance(err, (TalketyConnectionError, TalketyServerError)):
        return "Talkety cannot be reached right now. Try again in a minute."
    if isinstance(err, TalketyApiError):
        return f"Talkety answered with an error: {err.message}"
    return "Something went wrong talking to Talkety. Try again in a minute."
