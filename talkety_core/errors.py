"""One exception hierarchy for everything the Talkety client can raise.

Messages never contain the password or the app key: the client builds every
message itself from the action name and the API's own `<message>`, never from
an aiohttp exception (whose text carries the URL, and so the app key).
"""

from __future__ import annotations


class TalketyError(Exception):
    """Base of every error raised by talkety_core."""


class TalketyConnectionError(TalketyError):
    """The API could not be reached, or the connection broke."""


class TalketyTimeoutError(TalketyConnectionError):
    """The API did not answer in time."""


class TalketyParseError(TalketyError):
    """The API answered with something that is not a Talkety document."""


class TalketyCallOutcomeUnknownError(TalketyError):
    """A dialling request failed in a way that leaves open whether it dialled.

    The client tried to find out (by looking the request's token up in
    `call_list`) and could not. The call may be ringing right now; it was NOT
    retried, because retrying could dial twice. `leg_ids` names calls that were
    found carrying the token but could not be tied to a conference id.
    """

    def __init__(self, action: str, detail: str, *, leg_ids: tuple[str, ...] = ()) -> None:
        self.action = action
        self.leg_ids = leg_ids
        super().__init__(
            f"{action}: {detail}. The call may or may not have been placed; "
            "it was not retried. Check the active calls before trying again."
        )


class TalketyApiError(TalketyError):
    """The API answered with an `<error>` document."""

    def __init__(
        self, code: int | None, message: str, *, action: str, http_status: int | None = None
    ) -> None:
        self.code = code
        self.message = message
        self.action = action
        self.http_status = http_status
        prefix = f"error {code}" if code is not None else f"HTTP {http_status}"
        super().__init__(f"{action}: {prefix}: {message}")


class TalketyAuthenticationError(TalketyApiError):
    """Code 100 / HTTP 401: the username or password was refused."""


class TalketyAppKeyError(TalketyAuthenticationError):
    """Code 101 / HTTP 403: unknown or disabled app key."""


class TalketyUnknownActionError(TalketyApiError):
    """Code 110: the API does not know the action."""


class TalketyParameterError(TalketyApiError):
    """Codes 120/121: a parameter is missing or malformed."""


class TalketyMissingParameterError(TalketyParameterError):
    """Code 120."""


class TalketyMalformedParameterError(TalketyParameterError):
    """Code 121."""


class TalketyInvalidNumberError(TalketyApiError):
    """Code 130: a phone number is invalid or cannot be dialled."""


class TalketyDestinationBlockedError(TalketyApiError):
    """Code 131: the destination is blocked for this account."""


class TalketyNotFoundError(TalketyApiError):
    """Codes 140/141: no such call or conference."""


class TalketyCallNotFoundError(TalketyNotFoundError):
    """Code 140."""


class TalketyConferenceNotFoundError(TalketyNotFoundError):
    """Code 141."""


class TalketyNotActiveError(TalketyApiError):
    """Code 142: the call or conference has already ended."""


class TalketyInsufficientCreditError(TalketyApiError):
    """Code 150: the account has no credit left."""


class TalketyRateLimitError(TalketyApiError):
    """Code 160 / HTTP 429. `retry_after` is in seconds, when the API said."""

    def __init__(
        self,
        code: int | None,
        message: str,
        *,
        action: str,
        http_status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(code, message, action=action, http_status=http_status)
        self.retry_after = retry_after


class TalketyServerError(TalketyApiError):
    """Code 500 or any HTTP 5xx: the API failed internally."""


# The one place that maps the API's error codes (talkety-api.md) to classes.
# Unknown codes become a plain TalketyApiError.
ERROR_CODES: dict[int, type[TalketyApiError]] = {
    100: TalketyAuthenticationError,
    101: TalketyAppKeyError,
    110: TalketyUnknownActionError,
    120: TalketyMissingParameterError,
    121: TalketyMalformedParameterError,
    130: TalketyInvalidNumberError,
    131: TalketyDestinationBlockedError,
    140: TalketyCallNotFoundError,
    141: TalketyConferenceNotFoundError,
    142: TalketyNotActiveError,
    150: TalketyInsufficientCreditError,
    160: TalketyRateLimitError,
    500: TalketyServerError,
}

# Used when a body carries no usable `<error>` (a proxy's HTML page, say).
HTTP_STATUS_ERRORS: dict[int, type[TalketyApiError]] = {
    401: TalketyAuthenticationError,
    403: TalketyAppKeyError,
    429: TalketyRateLimitError,
}


def api_error(
    code: int | None,
    message: str,
    *,
    action: str,
    http_status: int | None,
    retry_after: float | None = None,
) -> TalketyApiError:
    """Build the exception for an API error from its code (or HTTP status)."""
    cls: type[TalketyApiError] = TalketyApiError
    if code is not None and code in ERROR_CODES:
        cls = ERROR_CODES[code]
    elif code is None and http_status is not None:
        if http_status >= 500:
            cls = TalketyServerError
        else:
            cls = HTTP_STATUS_ERRORS.get(http_status, TalketyApiError)
    if issubclass(cls, TalketyRateLimitError):
        return cls(code, message, action=action, http_status=http_status, retry_after=retry_after)
    return cls(code, message, action=action, http_status=http_status)
