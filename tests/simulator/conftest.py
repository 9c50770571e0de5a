"""Fixtures for the simulator tests: a ManualClock simulator served on loopback,
and a thin aiohttp client that speaks to it directly (never the project's client)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest

from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

from .sim_helpers import Api


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    return Simulator(clock=clock)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def server(sim: Simulator) -> AsyncIterator[SimulatorServer]:
    async with SimulatorServer(sim) as server:
        yield server


@pytest.fixture
def api(server: SimulatorServer, session: aiohttp.ClientSession) -> Api:
    return Api(session, server)


@pytest.fixture
async def make_api(
    session: aiohttp.ClientSession,
) -> AsyncIterator[Callable[[Simulator], Awaitable[Api]]]:
    """Serve a differently configured Simulator: `api = await make_api(Simulator(...))`."""
    servers: list[SimulatorServer] = []

    async def start(simulator: Simulator) -> Api:
        server = SimulatorServer(simulator)
        await server.start()
        servers.append(server)
        return Api(session, server)

    yield start
    for server in servers:
        await server.stop()
