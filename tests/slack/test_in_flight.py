"""Work after the ack: acks first, a few pieces of work at a time, modals at once."""

from __future__ import annotations

import asyncio

import pytest

from slack_app import in_flight as in_flight_module
from slack_app.in_flight import WORK_SLOTS, InFlight


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_work_waits_for_pending_acks_then_runs_in_order() -> None:
    flight = InFlight()
    done: list[str] = []

    async def work(name: str) -> None:
        done.append(name)

    flight.request_started()
    flight.request_started()
    first = asyncio.create_task(flight.run(work("first")))
    await _settle()
    assert done == []  # two requests still wait for their acks
    flight.request_answered()
    await _settle()
    assert done == []  # one still does
    flight.request_answered()
    await first
    assert done == ["first"]
    await flight.run(work("second"))  # nothing pending: at once
    assert done == ["first", "second"]


async def test_work_is_held_back_by_acks_for_a_bounded_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stream of requests that never lets up must not starve the work."""
    monkeypatch.setattr(in_flight_module, "ACK_PRIORITY_WAIT", 0.05)
    flight = InFlight()
    flight.request_started()
    assert await asyncio.wait_for(flight.run(asyncio.sleep(0, "ran")), 5) == "ran"
    flight.request_answered()


async def test_at_most_a_few_pieces_of_work_run_at_once_and_modals_skip_the_queue() -> None:
    flight = InFlight()
    release = asyncio.Event()
    running = 0
    most = 0

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1

    queued = [asyncio.create_task(flight.run(work())) for _ in range(WORK_SLOTS + 3)]
    await _settle()
    assert running == WORK_SLOTS  # the rest wait for a slot
    flight.request_started()  # and an ack is pending: a modal opens all the same
    assert await asyncio.wait_for(flight.run(asyncio.sleep(0, "modal"), urgent=True), 5)
    flight.request_answered()
    release.set()
    await asyncio.gather(*queued)
    assert most == WORK_SLOTS
