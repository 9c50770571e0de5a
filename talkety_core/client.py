"""Async client for the Talkety XML API.

Retries are decided by what a failure proves:
- read actions (and hang-ups, which are harmless twice) retry transient
  failures with exponential backoff and full jitter, honouring Retry-After;
- dialling actions are resent only when the request provably never left this
  machine (the connection could not be opened) or the API refused it outright
  (429). After any ambiguous failure (timeout after sending, dropped
  connection, 5xx, unreadable answer) the client reconciles: every dial carries
  a unique token in `custom_data`, and `call_list` tells whether it was placed.
  Not found means TalketyCallOutcomeUnknownError, never a second dial.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import aiohttp
from aiohttp import hdrs
from yarl import URL

from . import basic_auth, body, documents
from .actions import (
    CALL_LIST_MAX_LIMIT,
    DEFAULT_BASE_URL,
    DIALLING_ACTIONS,
    HANG_UP_ACTIONS,
    READ_ACTIONS,
    Action,
)
from .dial_token import join_custom_data, new_token
from .errors import (
    TalketyCallOutcomeUnknownError,
    TalketyConnectionError,
    TalketyError,
    TalketyNotActiveError,
    TalketyParseError,
    TalketyRateLimitError,
    TalketyServerError,
    TalketyTimeoutError,
    api_error,
)
from .models import Call, CallStatus, Conference, FormattedNumber, Pricing, Subject

_LOGGER = logging.getLogger(__name__)

T = TypeVar("T")
Params = list[tuple[str, str]]

# How much earlier than its dial a call may be stamped: the server's clock may be
# behind ours. A lookup by tag reads from this much before the dial.
CLOCK_SKEW_MARGIN = timedelta(minutes=10)


class _NeverSent(TalketyConnectionError):
    """A connection failure that proves the request never left (safe to resend)."""


class _Ambiguous(TalketyError):
    """The request may have taken effect; carries the error to report."""

    def __init__(self, cause: TalketyError) -> None:
        super().__init__(str(cause))
        self.cause = cause


class TalketyClient:
    """One Talkety account. Use as `async with TalketyClient(...) as client:`.

    Pass `session` to share an aiohttp session (Home Assistant's, say); the
    client closes only a session it created itself.
    """

    def __init__(
        self,
        app_key: str,
        username: str,
        password: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        session: aiohttp.ClientSession | None = None,
        timeout: float = 10.0,
        connect_timeout: float | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 10.0,
        max_retry_after: float = 60.0,
        reconcile_delays: Sequence[float] = (0.0, 1.0, 2.0),
        follow_redirects: bool = True,
    ) -> None:
        self._app_key = app_key
        self._headers = {
            hdrs.AUTHORIZATION: basic_auth.encode(username, password),
            hdrs.ACCEPT_ENCODING: body.ACCEPT_ENCODING,
        }
        # Off for an account a stranger configured (a Slack workspace's): a redirect
        # would take the request past the checks its URL passed.
        self.follow_redirects = follow_redirects
        self.username = username
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._own_session = session is None
        self._endpoints: dict[tuple[str, Action], str] = {}
        self.timeout = timeout
        # Shorter than `timeout`, so that a slow connect is seen as one (and a
        # dial may then be resent) rather than as an ambiguous overall timeout.
        self.connect_timeout = connect_timeout if connect_timeout is not None else timeout / 2
        # The overall limit is asyncio.timeout's; aiohttp only bounds the connect.
        # `connect` covers the wait for a pooled connection, DNS and the TCP
        # connect: all before the request exists on the wire.
        self._transport_timeout = aiohttp.ClientTimeout(total=None, connect=self.connect_timeout)
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.reconcile_delays = tuple(reconcile_delays)
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def __repr__(self) -> str:
        return f"TalketyClient(base_url={self.base_url!r}, username={self.username!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None

    # --- calls -----------------------------------------------------------

    async def call_connect(self, src: str, dst: str, *, custom_data: str | None = None) -> str:
        """Dial `src`, then bridge it to `dst`; returns the call id."""
        token = new_token()
        params: Params = [
            ("src", src),
            ("dst", dst),
            ("custom_data", join_custom_data(token, custom_data)),
        ]

        async def reconcile() -> str:
            calls = await self.find_dial(src, token, since=datetime.now(UTC))
            if calls:
                return calls[0].id
            raise LookupError

        return await self._dial(Action.CALL_CONNECT, params, "call_id", reconcile)

    async def call_disconnect(self, call_id: str) -> str:
        """Hang up a call or one conference leg (the owner's ends the conference)."""
        root, content = await self._request(Action.CALL_DISCONNECT, [("call_id", str(call_id))])
        return documents.read(root, content, "success", _success("call_id"))

    async def call_status(self, call_id: str) -> Call:
        root, content = await self._request(Action.CALL_STATUS, [("call_id", str(call_id))])
        return documents.read(root, content, "call", documents.read_call)

    async def call_list(
        self,
        *,
        status: CallStatus | str | None = None,
        src: str | None = None,
        dst: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[Call]:
        """Calls (conference legs included), newest first."""
        root, content = await self._request(
            Action.CALL_LIST, _call_list_params(status, src, dst, since, until, limit, offset)
        )
        return documents.read(root, content, "calls", documents.read_calls)

    # --- conferences -----------------------------------------------------

    async def conference_connect(
        self, src: str, dst: Sequence[str], *, custom_data: str | None = None
    ) -> str:
        """Start a conference owned by `src` with `dst` as participants; returns its id."""
        token = new_token()
        params: Params = [("src", src), *_repeat("dst[]", dst)]
        params.append(("custom_data", join_custom_data(token, custom_data)))

        async def reconcile() -> str:
            legs = await self.find_dial(src, token, since=datetime.now(UTC))
            if not legs:
                raise LookupError
            conference_id = next((leg.conference_id for leg in legs if leg.conference_id), None)
            if conference_id is None:
                raise TalketyCallOutcomeUnknownError(
                    Action.CONFERENCE_CONNECT,
                    "the conference was placed but the API did not say its id "
                    "(hanging up its owner leg ends it)",
                    leg_ids=tuple(leg.id for leg in legs),
                )
            return conference_id

        return await self._dial(Action.CONFERENCE_CONNECT, params, "conference_id", reconcile)

    async def conference_add(self, conference_id: str, dst: Sequence[str]) -> str:
        """Dial more participants into an active conference."""
        # conference_add takes no custom_data, so the legs that exist now are
        # what tells a later reconciliation which legs this request added.
        before = await self.conference_status(conference_id)
        known = {leg.id for leg in before.legs}
        wanted = set(dst)
        params: Params = [("conference_id", str(conference_id)), *_repeat("dst[]", dst)]

        async def reconcile() -> str:
            after = await self.conference_status(conference_id)
            if any(leg.id not in known and leg.dst in wanted for leg in after.legs):
                return after.id
            raise LookupError

        return await self._dial(Action.CONFERENCE_ADD, params, "conference_id", reconcile)

    async def conference_disconnect(self, conference_id: str) -> str:
        root, content = await self._request(
            Action.CONFERENCE_DISCONNECT, [("conference_id", str(conference_id))]
        )
        return documents.read(root, content, "success", _success("conference_id"))

    async def conference_status(self, conference_id: str) -> Conference:
        root, content = await self._request(
            Action.CONFERENCE_STATUS, [("conference_id", str(conference_id))]
        )
        return documents.read(root, content, "conference", documents.read_conference)

    # --- either ----------------------------------------------------------
    # Call ids and conference ids are separate spaces (the same number can be both),
    # so the caller says which one it means; these pick the action.

    async def status(self, subject_id: str, *, conference: bool) -> Subject:
        """The call's or the conference's status."""
        if conference:
            return await self.conference_status(subject_id)
        return await self.call_status(subject_id)

    async def hang_up(self, subject_id: str, *, conference: bool) -> str:
        """Hang up the whole call or conference; returns its id."""
        if conference:
            return await self.conference_disconnect(subject_id)
        return await self.call_disconnect(subject_id)

    # --- numbers ---------------------------------------------------------

    async def number_format(self, numbers: Iterable[str]) -> list[FormattedNumber]:
        """Talkety's own international spelling of each number."""
        root, content = await self._request(Action.NUMBER_FORMAT, _repeat("number[]", numbers))
        return documents.read(root, content, "numbers", documents.read_numbers)

    async def pricing(self, numbers: Iterable[str]) -> Pricing:
        """Per-minute price and validity of each number, and their total."""
        root, content = await self._request(Action.PRICING, _repeat("number[]", numbers))
        return documents.read(root, content, "pricing", documents.read_pricing)

    # --- dialling and reconciliation -------------------------------------

    async def _dial(
        self,
        action: Action,
        params: Params,
        id_key: str,
        reconcile: Callable[[], Awaitable[str]],
    ) -> str:
        try:
            root, content = await self._request(action, params)
            return documents.read(root, content, "success", _success(id_key))
        except _Ambiguous as ambiguous:
            cause: TalketyError = ambiguous.cause
        except TalketyParseError as err:  # it answered, but not as a dial answers
            cause = err
        # Outside the except block, so no internal exception is chained on.
        _LOGGER.warning("%s: %s; looking up whether it was placed", action, cause)
        return await self._reconcile(action, cause, reconcile)

    async def _reconcile(
        self, action: Action, cause: TalketyError, lookup: Callable[[], Awaitable[str]]
    ) -> str:
        for delay in self.reconcile_delays:
            if delay:
                await self._sleep(delay)
            try:
                found = await lookup()
            except LookupError:
                continue
            except TalketyCallOutcomeUnknownError:
                raise
            except TalketyError as err:
                raise TalketyCallOutcomeUnknownError(
                    action, f"{cause}; the lookup that should tell failed too ({err})"
                ) from None
            _LOGGER.info("%s: found the request's result after an ambiguous failure", action)
            return found
        raise TalketyCallOutcomeUnknownError(
            action, f"{cause}; no trace of the request was found afterwards"
        )

    async def find_dial(self, src: str, tag: str, *, since: datetime) -> list[Call]:
        """The calls or conference legs that a dial from `src` at `since` placed, newest first.

        Found by the tag the dial carried: the client's own dial token, or the
        `custom_data` the caller gave it (what an app that outlives this client, such as
        the Slack app after a restart, knows). Reads one `call_list` page from
        CLOCK_SKEW_MARGIN before `since`. Empty: no trace of the dial (yet).
        """
        start = since - CLOCK_SKEW_MARGIN
        root, content = await self._request(
            Action.CALL_LIST,
            _call_list_params(None, src, None, start, None, CALL_LIST_MAX_LIMIT, None),
        )

        def read(content: Any) -> list[Call]:
            return [
                call
                for call, token in documents.read_tagged_calls(content)
                if tag in (token, call.custom_data)
            ]

        return documents.read(root, content, "calls", read)

    # --- transport -------------------------------------------------------

    async def _request(self, action: Action, params: Params) -> tuple[str, Any]:
        """Send with the retry rules of `action`; return the parsed document.

        For dialling actions an ambiguous failure surfaces as _Ambiguous.
        """
        dialling = action in DIALLING_ACTIONS
        attempt = 0
        while True:
            try:
                return await self._send_once(action, params)
            except TalketyNotActiveError:
                if attempt and action in HANG_UP_ACTIONS:
                    # An earlier attempt whose answer was lost hung up already.
                    return "success", dict(params)
                raise
            except _NeverSent as err:
                failure: TalketyError = err
                retry_after = None
            except TalketyRateLimitError as err:  # refused outright: nothing happened
                failure, retry_after = err, err.retry_after
            except (TalketyConnectionError, TalketyServerError, TalketyParseError) as err:
                if dialling:
                    raise _Ambiguous(err) from None
                failure, retry_after = err, None
            if attempt >= self.retries or (
                retry_after is not None and retry_after > self.max_retry_after
            ):
                raise _public(failure)
            delay = retry_after if retry_after is not None else self._backoff_delay(attempt)
            _LOGGER.debug("%s failed (%s); retry %d in %.2fs", action, failure, attempt + 1, delay)
            await self._sleep(delay)
            attempt += 1

    def _backoff_delay(self, attempt: int) -> float:
        # Full jitter: spreads the retries of many clients apart.
        return random.uniform(0, min(self.max_backoff, self.backoff * 2**attempt))  # noqa: S311

    def _url(self, action: Action, query: Params | None = None) -> URL:
        """The action's URL, with `query` encoded into it.

        The endpoint is encoded once per action and the query here: aiohttp
        would quote `params=` through yarl's general path on every request,
        which costs a status poll more than this does.
        """
        key = (self.base_url, action)
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            endpoint = str(URL(f"{self.base_url}/{self._app_key}/{action}"))
            self._endpoints[key] = endpoint
        if query:
            endpoint = f"{endpoint}?{_query_string(query)}"
        return URL(endpoint, encoded=True)

    async def _send_once(self, action: Action, params: Params) -> tuple[str, Any]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
            self._own_session = True
        # Writes go as POST: aiohttp silently resends a GET (never a POST) once
        # when a kept-alive connection drops, and no cache or prefetcher
        # repeats a POST either.
        write = action not in READ_ACTIONS
        url = self._url(action) if write else self._url(action, params)
        try:
            async with asyncio.timeout(self.timeout):
                async with self._session.request(
                    "POST" if write else "GET",
                    url,
                    data=params if write else None,
                    headers=self._headers,
                    timeout=self._transport_timeout,
                    allow_redirects=self.follow_redirects,
                    auto_decompress=False,  # body.read_capped inflates, up to the cap
                ) as response:
                    content = await body.read_capped(action, response)
                    status = response.status
                    retry_after = (
                        None if status == 200 else _retry_after(response.headers.get("Retry-After"))
                    )
        except _CONNECT_ERRORS as err:
            # Before TimeoutError: a connect timeout is one too, but nothing was sent.
            raise _NeverSent(
                f"{action}: cannot connect to the Talkety API ({type(err).__name__})"
            ) from None
        except TimeoutError:
            raise TalketyTimeoutError(
                f"{action}: no answer from the Talkety API within {self.timeout:g}s"
            ) from None
        except (aiohttp.ClientError, OSError) as err:
            raise TalketyConnectionError(
                f"{action}: connection to the Talkety API failed ({type(err).__name__})"
            ) from None
        except TalketyError:
            raise
        except Exception as err:
            # Whatever else a hostile or broken peer makes aiohttp raise (a header it
            # cannot read, say): still one of ours, and for a dial still ambiguous.
            raise TalketyConnectionError(
                f"{action}: the Talkety API's answer could not be read ({type(err).__name__})"
            ) from None
        _LOGGER.debug("%s: HTTP %s, %d bytes", action, status, len(content))
        return _interpret(action, status, content, retry_after)


# Raised before a single byte of the request was written.
_CONNECT_ERRORS: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
)


def _interpret(
    action: Action, status: int, body: bytes, retry_after: float | None
) -> tuple[str, Any]:
    try:
        root, content = documents.parse_body(body)
    except TalketyParseError as err:
        if status >= 400:  # a proxy's error page, say: the status is what counts
            raise api_error(
                None,
                f"HTTP {status} without a Talkety error document",
                action=action,
                http_status=status,
                retry_after=retry_after,
            ) from None
        raise TalketyParseError(f"{action}: {err}") from None
    if root == "error":
        code, message = documents.read_error(content)
        raise api_error(code, message, action=action, http_status=status, retry_after=retry_after)
    if status >= 400:
        raise api_error(
            None,
            f"HTTP {status} with a <{root}> document",
            action=action,
            http_status=status,
            retry_after=retry_after,
        )
    return root, content


def _public(error: TalketyError) -> TalketyError:
    """The error a caller sees: internal markers become their public base."""
    if isinstance(error, _NeverSent):
        return TalketyConnectionError(str(error))
    return error


def _success(key: str) -> Callable[[Any], str]:
    return lambda content: documents.read_success(content, key)


def _query_string(params: Params) -> str:
    return "&".join([f"{_quoted_name(name)}={_quoted_value(value)}" for name, value in params])


def _quoted_value(value: str) -> str:
    # Ids and digits, the values a poll sends, need no quoting; the rest is quoted whole.
    return value if value.isalnum() and value.isascii() else quote(value, safe="")


@cache
def _quoted_name(name: str) -> str:
    # Names are this module's constants (`call_id`, `number[]`): a handful, quoted once.
    return quote(name, safe="")


def _repeat(name: str, values: Iterable[str]) -> Params:
    return [(name, str(value)) for value in values]


def _call_list_params(
    status: CallStatus | str | None,
    src: str | None,
    dst: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int | None,
    offset: int | None,
) -> Params:
    params: Params = []
    for key, value in (
        ("call_status", status),
        ("src", src),
        ("dst", dst),
        ("since", _iso(since)),
        ("until", _iso(until)),
        ("limit", limit),
        ("offset", offset),
    ):
        if value is not None:
            params.append((key, str(value)))
    return params


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("call_list needs aware datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
