"""The simulated Talkety account and its request pipeline, independent of HTTP.

The order in which a request is checked is decided here, once:
authentication (100), app key (101), rate limit (160), action (110), injected
faults, then parameters and the action itself (120 and up).
"""

from __future__ import annotations

import asyncio
import hmac
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from math import ceil

from . import render
from .api_errors import ApiError, ErrorCode
from .clock import Clock, RealClock
from .engine import Engine
from .faults import FaultKind, Faults
from .handlers import HANDLERS
from .params import Params
from .prices import PriceTable
from .rules import (
    DEFAULT_BLOCKED_PREFIXES,
    DEFAULT_COUNTRY_CODE,
    DEFAULT_CREDIT,
    Timings,
)
from .views import CallQuery, CallView

_AUTH_CHALLENGE = {"WWW-Authenticate": 'Basic realm="Talkety"'}


@dataclass(frozen=True, slots=True)
class Reply:
    """What the HTTP layer should do with one request."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds of real time to wait before answering
    drop: bool = False  # close the connection instead of answering
    hold: asyncio.Event | None = None  # answer only once this is set


class Simulator:
    def __init__(
        self,
        username: str = "user",
        password: str = "pass",  # noqa: S107 - the simulator's documented demo login
        app_key: str = "key",
        *,
        clock: Clock | None = None,
        prices: PriceTable | None = None,
        credit: Decimal | None = DEFAULT_CREDIT,
        rate_limit: tuple[float, int] | None = None,
        blocked_prefixes: Sequence[str] = DEFAULT_BLOCKED_PREFIXES,
        timings: Timings | None = None,
        default_country_code: str = DEFAULT_COUNTRY_CODE,
    ) -> None:
        self.username = username
        self.password = password
        self.app_key = app_key
        self.clock: Clock = RealClock() if clock is None else clock
        self.engine = Engine(
            now=self.clock.now(),
            prices=PriceTable.default() if prices is None else prices,
            timings=Timings() if timings is None else timings,
            credit=credit,
            rate_limit=rate_limit,
            blocked_prefixes=blocked_prefixes,
            default_country_code=default_country_code,
        )
        self.faults = Faults()
        self.request_count = 0
        self.requests_by_action: Counter[str] = Counter()

    @property
    def credit(self) -> Decimal | None:
        """The balance now (None: unlimited)."""
        return self.engine.credit(self.clock.now())

    @credit.setter
    def credit(self, value: Decimal | None) -> None:
        self.engine.set_credit(value, self.clock.now())

    def calls(self) -> list[CallView]:
        """Every call and conference leg, newest first (for tests and demos)."""
        query = CallQuery(limit=sys.maxsize)
        return self.engine.call_list(query, self.clock.now())

    def reset_counts(self) -> None:
        self.request_count = 0
        self.requests_by_action.clear()

    def respond(
        self,
        *,
        credentials: tuple[str, str] | None,
        app_key: str,
        action: str,
        params: Mapping[str, Sequence[str]],
    ) -> Reply:
        """Answer one API request. `credentials` is (username, password) or None."""
        now = self.clock.now()  # one moment per request, whatever the clock
        self.request_count += 1
        self.requests_by_action[action] += 1
        refusal = self._refusal(credentials, app_key, action, now)
        if refusal is not None:
            return refusal
        plan = self.faults.take(action)
        if plan.kind is FaultKind.FAIL:
            reply = _error(ErrorCode.INTERNAL_ERROR, "internal error", status=plan.status)
        elif plan.kind is FaultKind.DROP_BEFORE_EFFECT:
            reply = _DROPPED
        else:
            reply = self._perform(action, params, now)
            if plan.kind is FaultKind.DROP_AFTER_EFFECT:
                reply = _DROPPED
            elif plan.kind is FaultKind.MALFORMED:
                reply = Reply(200, _break(reply.body))
        return replace(reply, delay=plan.delay, hold=plan.hold)

    def _refusal(
        self, credentials: tuple[str, str] | None, app_key: str, action: str, now: datetime
    ) -> Reply | None:
        """The answer for a request refused before any action runs, else None."""
        if credentials is None or not self._login_ok(*credentials):
            return _error(ErrorCode.AUTHENTICATION_FAILED, "authentication failed", _AUTH_CHALLENGE)
        if not hmac.compare_digest(app_key.encode(), self.app_key.encode()):
            return _error(ErrorCode.UNKNOWN_APP_KEY, "unknown or disabled app key")
        wait = self.engine.admit(now)
        if wait is not None:
            retry_after = {"Retry-After": str(max(1, ceil(wait)))}
            return _error(ErrorCode.TOO_MANY_REQUESTS, "too many requests", retry_after)
        if action not in HANDLERS:
            return _error(ErrorCode.UNKNOWN_ACTION, f"unknown action: {action}")
        return None

    def _perform(self, action: str, params: Mapping[str, Sequence[str]], now: datetime) -> Reply:
        try:
            element = HANDLERS[action](self.engine, Params(params), now)
        except ApiError as err:
            return _error(err.code, err.message)
        return Reply(200, render.to_bytes(element))

    def _login_ok(self, username: str, password: str) -> bool:
        # Both compared in full, in constant time: no early exit on the username.
        user_ok = hmac.compare_digest(username.encode(), self.username.encode())
        password_ok = hmac.compare_digest(password.encode(), self.password.encode())
        return user_ok and password_ok


def _error(
    code: ErrorCode,
    message: str,
    headers: Mapping[str, str] | None = None,
    *,
    status: int | None = None,
) -> Reply:
    body = render.to_bytes(render.error(code, message))
    return Reply(code.http_status if status is None else status, body, headers or {})


_DROPPED = Reply(0, b"", drop=True)


def _break(body: bytes) -> bytes:
    """Cut the document before its closing root tag: not well-formed, not mendable."""
    return body[: body.rfind(b"</")]
