"""A simulator inside this process, for `talkety --sim` and `talkety slack --sim`."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from ..account import DEFAULT_CURRENCY, Account
from ..numbers import country_calling_code
from .clock import RealClock
from .rules import DEFAULT_COUNTRY_CODE
from .server import SimulatorServer
from .simulator import Simulator


@asynccontextmanager
async def embedded_account(
    *, speed: float = 1.0, currency: str = DEFAULT_CURRENCY, region: str | None = None
) -> AsyncIterator[Account]:
    """A simulator on a free loopback port, and the Account that reaches it.

    Its login is made up for this run: nothing else on the machine can use it. The
    account is in `region`'s country, as a real account's national numbers are.
    """
    username, password, app_key = (secrets.token_hex(16) for _ in range(3))
    simulator = Simulator(
        username,
        password,
        app_key,
        clock=RealClock(speed=speed),
        default_country_code=country_calling_code(region) or DEFAULT_COUNTRY_CODE,
    )
    async with SimulatorServer(simulator, host="127.0.0.1", port=0) as server:
        yield Account(
            url=server.base_url,
            app_key=app_key,
            username=username,
            password=password,
            currency=currency,
            region=region,
        )
