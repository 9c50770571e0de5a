"""Fixtures: a real simulator on 127.0.0.1 and a client pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from talkety_core import TalketyClient
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

from .scripted import ScriptedServer

USERNAME = "alice"
PASSWORD = "s3cret-Passw0rd"
APP_KEY = "84f4097bb4955c6c58ba452ece41c075"


@pytest.fixture
def clock() -> ManualClock:
    # Near real time: call_list's `since` is computed from the local clock.
    return ManualClock(start=datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    return Simulator(
        username=USERNAME, password=PASSWORD, app_key=APP_KEY, clock=clock, credit=Decimal("50")
    )


@pytest.fixture
async def server(sim: Simulator) -> AsyncIterator[SimulatorServer]:
    async with SimulatorServer(sim, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
async def client(server: SimulatorServer) -> AsyncIterator[TalketyClient]:
    async with TalketyClient(
        APP_KEY, USERNAME, PASSWORD, base_url=server.base_url, timeout=5, backoff=0.01
    ) as api:
        yield api


@pytest.fixture
async def scripted() -> AsyncIterator[ScriptedServer]:
    server = ScriptedServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def scripted_client(scripted: ScriptedServer) -> AsyncIterator[TalketyClient]:
    async with TalketyClient(
        APP_KEY, USERNAME, PASSWORD, base_url=scripted.base_url, timeout=2, retries=0
    ) as api:
        yield api
