"""The store and the app's shutdown under cancellation: nothing may be left open."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from slack_app.in_flight import InFlight
from slack_app.store import Store

from .conftest import assert_no_connection_left, database_threads


async def test_a_cancelled_caller_leaks_no_connection(tmp_path: Path, database_url: str) -> None:
    url = database_url or f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    before = database_threads()
    created = Store(url)
    await created.create()
    await created.close()
    # A fresh store each time, cancelled at every point of opening its first
    # connection and querying on it.
    for steps in range(40):
        store = Store(url)
        caller = asyncio.create_task(store.live_calls())
        for _ in range(steps):
            await asyncio.sleep(0)
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        await store.close()
    assert_no_connection_left(before)


async def test_a_cancelled_write_still_happens(tmp_path: Path) -> None:
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    await store.create()
    caller = asyncio.create_task(store.save_number("T1", "U1", "11234567890"))
    await asyncio.sleep(0)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    await store.close()  # waits for the write
    reopened = Store(store.url)
    assert await reopened.saved_number("T1", "U1") == "11234567890"
    await reopened.close()


async def test_drain_waits_then_cancels_what_is_late() -> None:
    in_flight = InFlight()
    finished: list[str] = []

    async def listener(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        finished.append(name)

    tracked = in_flight.track(listener)
    quick = asyncio.create_task(tracked("quick", 0.01))
    stuck = asyncio.create_task(tracked("stuck", 3600))
    await asyncio.sleep(0)
    assert len(in_flight) == 2
    assert await in_flight.drain(grace=0.5) == 1
    assert finished == ["quick"]
    assert quick.done() and stuck.cancelled()
    assert len(in_flight) == 0
    assert await in_flight.drain(grace=0.5) == 0
