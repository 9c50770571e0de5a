"""The call monitor: one call_list per tick, typed events, adaptive interval."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

import pytest

from talkety_core import (
    Call,
    CallEnded,
    CallEvent,
    CallMonitor,
    CallNotFound,
    CallProgress,
    CallStarted,
    CallStatus,
    CallStatusChanged,
    Conference,
    TalketyClient,
    TalketyError,
)
from talkety_core.actions import Action
from talkety_core.simulator import ManualClock, Simulator

from .scripted import ScriptedServer

A = "11234567890"
B = "19876543210"
C = "4930123456"


def kinds(events: list[CallEvent]) -> list[tuple[str, str]]:
    return [(type(e).__name__, e.subject.status.value) for e in events]


async def test_a_call_from_dial_to_final_cost(
    client: TalketyClient, sim: Simulator, clock: ManualClock
) -> None:
    monitor = CallMonitor(client)
    received: list[CallEvent] = []
    monitor.subscribe(received.append)
    call_id = await client.call_connect(A, B)
    monitor.watch_call(call_id)
    assert monitor.busy and monitor.interval == monitor.fast_interval

    assert kinds(await monitor.poll()) == [("CallStarted", "connecting")]
    clock.advance(2.5)
    assert kinds(await monitor.poll()) == [("CallStatusChanged", "ringing")]
    clock.advance(10)
    assert kinds(await monitor.poll()) == [("CallStatusChanged", "connected")]
    clock.advance(30)
    (progress,) = await monitor.poll()
    assert isinstance(progress, CallProgress)
    assert progress.subject.total_costs > progress.previous.total_costs  # type: ignore[union-attr]
    assert await monitor.poll() == []  # nothing moved: nothing said

    await client.call_disconnect(call_id)
    events = await monitor.poll()
    assert kinds(events) == [("CallStatusChanged", "disconnected"), ("CallEnded", "disconnected")]
    final = events[-1].subject
    assert final.total_costs == (await client.call_status(call_id)).total_costs
    assert monitor.last_ended == final
    assert not monitor.busy and monitor.interval == monitor.idle_interval
    assert [type(e) for e in received] == [
        CallStarted,
        CallStatusChanged,
        CallStatusChanged,
        CallProgress,
        CallStatusChanged,
        CallEnded,
    ]
    # Ended and idle: the monitor stops asking.
    before = sim.request_count
    await monitor.poll()
    assert sim.request_count == before


async def test_one_call_list_per_tick_whatever_the_number_of_calls(
    client: TalketyClient, sim: Simulator, clock: ManualClock
) -> None:
    monitor = CallMonitor(client)
    for _ in range(40):
        monitor.watch_call(await client.call_connect(A, B))
    clock.advance(20)
    for tick in range(3):
        before = dict(sim.requests_by_action)
        await monitor.poll()
        assert sim.requests_by_action["call_list"] - before.get("call_list", 0) == 1
        assert sim.requests_by_action["call_status"] == before.get("call_status", 0)
        clock.advance(5 * (tick + 1))
    assert len(monitor.active_calls) == 40
    assert all(c.status is CallStatus.CONNECTED for c in monitor.active_calls)


async def test_calls_off_the_page_are_asked_for_alone(
    client: TalketyClient, sim: Simulator
) -> None:
    monitor = CallMonitor(client, page_size=2)
    ids = [await client.call_connect(A, B) for _ in range(3)]
    for call_id in ids:
        monitor.watch_call(call_id)
    await monitor.poll()
    assert set(monitor.calls) == set(ids)
    assert sim.requests_by_action["call_status"] == 1  # the oldest only


async def test_busy_no_answer_and_failed_end_without_cost(
    client: TalketyClient, clock: ManualClock
) -> None:
    monitor = CallMonitor(client)
    ended: list[CallEnded] = []
    monitor.subscribe(lambda e: ended.append(e) if isinstance(e, CallEnded) else None)
    for suffix in ("486", "408", "503"):
        monitor.watch_call(await client.call_connect(A, "1987654" + suffix))
    await monitor.poll()
    clock.advance(120)
    await monitor.poll()
    assert sorted(e.subject.status.value for e in ended) == ["busy", "failed", "no_answer"]
    assert all(e.subject.total_costs == Decimal(0) for e in ended)


async def test_conference_is_followed_with_its_legs(
    client: TalketyClient, sim: Simulator, clock: ManualClock
) -> None:
    monitor = CallMonitor(client)
    conference_id = await client.conference_connect(A, [B, C])
    monitor.watch_conference(conference_id)
    (started,) = await monitor.poll()
    assert isinstance(started, CallStarted) and started.is_conference
    assert sim.requests_by_action["call_list"] == 0  # no calls watched: no list
    clock.advance(60)
    events = await monitor.poll()
    assert any(isinstance(e, CallStatusChanged) for e in events)
    conference = monitor.conferences[conference_id]
    assert len(conference.active_legs) == 3
    await client.conference_disconnect(conference_id)
    events = await monitor.poll()
    assert isinstance(events[-1], CallEnded)
    assert monitor.active_conferences == []
    polls = sim.requests_by_action["conference_status"]
    await monitor.poll()
    assert sim.requests_by_action["conference_status"] == polls  # ended: no more polling


async def test_discover_finds_calls_and_conferences_placed_elsewhere(
    client: TalketyClient, sim: Simulator, clock: ManualClock
) -> None:
    monitor = CallMonitor(client, discover=True)
    assert await monitor.poll() == []
    assert not monitor.busy
    call_id = await client.call_connect(A, B)
    conference_id = await client.conference_connect(B, [C])
    events = await monitor.poll()
    started = [(e.is_conference, e.subject.id) for e in events if isinstance(e, CallStarted)]
    # The call and the conference, each once (the conference through its status, read
    # in the same poll that found its legs); the legs are not calls.
    assert sorted(started) == [(False, call_id), (True, conference_id)]
    assert set(monitor.calls) == {call_id}
    assert [c.id for c in monitor.active_conferences] == [conference_id]
    assert await monitor.poll() == []  # nothing new: nothing told twice
    assert [c.id for c in monitor.active_conferences] == [conference_id]


async def test_an_id_the_api_never_knew_ends_with_an_honest_unknown_status(
    client: TalketyClient, sim: Simulator
) -> None:
    monitor = CallMonitor(client, page_size=1)
    first = await client.call_connect(A, B)
    second = await client.call_connect(A, B)
    monitor.watch_call(first)
    monitor.watch_call(second)
    await monitor.poll()
    monitor.watch_call("424242")  # the API has never heard of it
    monitor.watch_conference("434343")
    heard: list[CallEvent] = []
    monitor.subscribe(heard.append)
    events = await monitor.poll()
    assert heard == events
    lost = {e.subject.id: e for e in events if isinstance(e, CallNotFound)}
    assert set(lost) == {"424242", "434343"}
    call, conference = lost["424242"].subject, lost["434343"].subject
    assert isinstance(call, Call) and isinstance(conference, Conference)
    for subject in (call, conference):
        assert subject.status is CallStatus.UNKNOWN and not subject.is_active
        assert (subject.src, subject.total_costs, subject.duration) == ("", 0, 0)
    assert lost["424242"].previous is None
    assert isinstance(lost["424242"], CallEnded)  # whoever waits for the end hears it
    assert "424242" not in monitor.calls and "434343" not in monitor.conferences
    assert monitor.last_ended is not call  # the account's last ended call is a real one
    assert await monitor.poll() == []  # told once, then no longer followed
    monitor.forget(first)
    assert first not in monitor.calls


async def test_one_id_can_be_a_call_and_a_conference(client: TalketyClient) -> None:
    """Talkety numbers calls and conferences separately: forgetting one keeps the other."""
    conference_id = await client.conference_connect(A, [B])
    while (call_id := await client.call_connect(A, B)) != conference_id:
        await client.call_disconnect(call_id)
    monitor = CallMonitor(client)
    monitor.watch_call(call_id)
    monitor.watch_conference(conference_id)
    await monitor.poll()
    assert call_id in monitor.calls and conference_id in monitor.conferences
    monitor.forget(conference_id, conference=True)
    assert call_id in monitor.calls and conference_id not in monitor.conferences
    monitor.forget(call_id, conference=False)
    assert call_id not in monitor.calls


async def test_a_failing_subscriber_does_not_starve_the_others(
    client: TalketyClient, clock: ManualClock
) -> None:
    monitor = CallMonitor(client)
    seen: list[CallEvent] = []

    def broken(_event: CallEvent) -> None:
        raise RuntimeError("boom")

    monitor.subscribe(broken)
    unsubscribe = monitor.subscribe(seen.append)
    monitor.watch_call(await client.call_connect(A, B))
    await monitor.poll()
    assert len(seen) == 1
    unsubscribe()
    unsubscribe()  # twice is harmless
    clock.advance(10)
    assert await monitor.poll()  # something happened ...
    assert len(seen) == 1  # ... and the unsubscribed heard none of it


async def test_poll_raises_api_failures(client: TalketyClient, sim: Simulator) -> None:
    monitor = CallMonitor(client)
    monitor.watch_call(await client.call_connect(A, B))
    client.retries = 0
    sim.faults.fail_next(Action.CALL_LIST)
    with pytest.raises(TalketyError):
        await monitor.poll()


async def test_run_polls_on_wake_and_survives_failures(
    client: TalketyClient, sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    monitor = CallMonitor(client, fast_interval=0.05, idle_interval=60)
    client.retries = 0
    events: list[CallEvent] = []
    got_event = asyncio.Event()

    def on_event(event: CallEvent) -> None:
        events.append(event)
        got_event.set()

    monitor.subscribe(on_event)
    task = asyncio.create_task(monitor.run())
    try:
        await asyncio.sleep(0.05)
        sim.faults.fail_next(Action.CALL_LIST, count=2)
        monitor.watch_call(await client.call_connect(A, B))  # wakes the idle loop
        await asyncio.wait_for(got_event.wait(), 5)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert isinstance(events[0], CallStarted)
    assert caplog.text.count("cannot poll") == 1  # logged once, not per failure
    assert "polls again" in caplog.text


async def test_a_cancel_that_lands_with_a_wake_up_still_stops_it(client: TalketyClient) -> None:
    monitor = CallMonitor(client, fast_interval=60, idle_interval=60)
    task = asyncio.create_task(monitor.run())
    await asyncio.sleep(0.05)  # idle, waiting to be woken
    monitor.wake()
    task.cancel()  # in the same tick: Python 3.11's wait_for would drop this
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)


async def test_a_call_the_api_forgets_ends_as_unknown(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    monitor = CallMonitor(scripted_client)
    monitor.watch_call("5")
    scripted.answer(
        "<calls><call><id>5</id><call_status>connected</call_status>"
        "<total_costs>0.5</total_costs></call></calls>"
    )
    await monitor.poll()
    scripted.answer("<calls/>")
    scripted.answer("<error><code>140</code><message>call not found</message></error>", status=404)
    (ended,) = await monitor.poll()
    assert isinstance(ended, CallEnded)
    assert ended.subject.status is CallStatus.UNKNOWN  # not "disconnected": nobody knows
    assert not ended.subject.is_active
    assert ended.subject.total_costs == Decimal("0.5")
    assert "5" not in monitor.calls
    assert monitor.last_ended == ended.subject


async def test_a_conference_the_api_forgets_stops_being_polled(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    monitor = CallMonitor(scripted_client)
    monitor.watch_conference("9")
    scripted.answer("<error><code>141</code><message>gone</message></error>", status=404)
    (lost,) = await monitor.poll()
    assert isinstance(lost, CallNotFound) and lost.subject.id == "9"
    assert monitor.conferences == {}
    assert not monitor.busy


async def test_only_the_newest_ended_calls_are_kept(
    client: TalketyClient, clock: ManualClock
) -> None:
    monitor = CallMonitor(client, keep_ended=1)
    ids = [await client.call_connect(A, B) for _ in range(3)]
    for call_id in ids:
        monitor.watch_call(call_id)
    await monitor.poll()
    for call_id in ids:
        await client.call_disconnect(call_id)
    await monitor.poll()
    assert len(monitor.calls) == 1


async def test_discover_tells_of_a_call_that_began_and_ended_between_polls(
    client: TalketyClient, clock: ManualClock
) -> None:
    old_id = await client.call_connect(A, B)
    await client.call_disconnect(old_id)
    monitor = CallMonitor(client, discover=True)
    assert await monitor.poll() == []  # what ended before the first poll is history
    call_id = await client.call_connect(A, B)
    clock.advance(30)
    await client.call_disconnect(call_id)
    events = await monitor.poll()
    assert [(type(e).__name__, e.subject.id) for e in events] == [
        ("CallStarted", call_id),
        ("CallEnded", call_id),
    ]
    assert monitor.last_ended is not None and monitor.last_ended.id == call_id
    assert await monitor.poll() == []  # told once


async def test_a_conference_leg_can_be_watched_as_a_call(
    client: TalketyClient, clock: ManualClock
) -> None:
    conference_id = await client.conference_connect(A, [B])
    (leg,) = [c for c in await client.call_list() if c.dst == B]
    monitor = CallMonitor(client)
    monitor.watch_call(leg.id)
    (started,) = await monitor.poll()
    assert started.subject.id == leg.id
    await client.conference_disconnect(conference_id)
    assert isinstance((await monitor.poll())[-1], CallEnded)
