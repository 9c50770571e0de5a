"""State in the database: restart and resume, two instances and a crash, unknown outcomes."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from decimal import Decimal

from devtools.slack.fake_slack import TEAM_ID, action_ids
from slack_app.blocks import ids
from slack_app.store import Store
from talkety_core import TalketyClient

from .conftest import (
    DST,
    LEASE_TTL,
    SAVED,
    SIM_APP_KEY,
    SIM_PASSWORD,
    SIM_USER,
    Harness,
    Instance,
    stored_call,
    text_of,
)


async def test_restart_resumes_live_calls_and_finishes_ended_ones(harness: Harness) -> None:
    first = await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    one = await harness.wait_for_message(count=1)
    await harness.command("/call", f"{SAVED} 14165550100")
    two = await harness.wait_for_message(count=2)
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(two), "Connected")
    await first.stop()  # a deploy: leases released

    # While nobody watches, the first call ends and the second goes on.
    a = min(harness.sim.calls(), key=lambda c: int(c.id))
    async with TalketyClient(
        SIM_APP_KEY, SIM_USER, SIM_PASSWORD, base_url=harness.sim_server.base_url
    ) as api:
        await api.call_disconnect(str(a.id))
    harness.clock.advance(60)

    await harness.start()
    await harness.wait_for(lambda: "has ended" in text_of(one), "the ended call's summary")
    await harness.wait_for(  # the final summary: only Call back is left
        lambda: action_ids(one.blocks) == [ids.CALL_BACK], "the final summary"
    )
    await harness.wait_for(lambda: "1m 01s" in text_of(two), "the live call updating again")
    assert ids.HANG_UP in action_ids(two.blocks)
    assert len(harness.call_messages()) == 2  # updated in place, nothing reposted


async def test_two_instances_never_both_write_and_one_takes_over(harness: Harness) -> None:
    a = await harness.start(instance_id="A")
    b = await harness.start(instance_id="B")
    await harness.command("/call", f"{SAVED} {DST}", instance=a)
    m1 = await harness.wait_for_message(count=1)  # A's call
    await harness.command("/call", f"{SAVED} 14165550100", instance=b)
    m2 = await harness.wait_for_message(count=2)  # B's call
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(m1) and "Connected" in text_of(m2), "up")
    # Each call is followed by exactly one instance: the one that dialled it.
    assert len(a.app.tracker.leases.held) == 1 and len(b.app.tracker.leases.held) == 1
    assert a.app.tracker.leases.held.isdisjoint(b.app.tracker.leases.held)

    await a.stop(release=False)  # a crash: A's lease must expire first
    harness.clock.advance(30)
    await harness.wait_for(lambda: "31s" in text_of(m1), "B updating A's message", within=15)
    assert len(b.app.tracker.leases.held) == 2
    assert m1.ts == harness.call_messages()[0].ts  # updated in place, not reposted

    # A button on A's old message now lands on B and works.
    await harness.command("/hangup", "", instance=b)
    await harness.wait_for_reply("Your active calls")
    for call in harness.sim.calls():
        await harness.command("/hangup", str(call.id), instance=b)
    await harness.wait_for(
        lambda: "has ended" in text_of(m1) and "has ended" in text_of(m2), "both ended"
    )


async def test_unknown_outcome_is_told_and_reconciled(harness: Harness) -> None:
    await harness.start()
    # The dial takes effect but the answer is lost, and the client's own
    # look-up fails too: the outcome is unknown.
    harness.sim.faults.drop_after_effect("call_connect")
    harness.sim.faults.fail_next("call_list", count=8)
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    assert "may or may not have been placed" in text_of(message)
    await harness.wait_for_reply("may or may not have been placed")
    assert harness.sim.requests_by_action["call_connect"] == 1  # never dialled twice
    # The tracker finds the call by its tag and the message comes alive.
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "reconciled", within=15)
    assert ids.HANG_UP in action_ids(message.blocks)
    assert harness.sim.requests_by_action["call_connect"] == 1


async def test_a_stop_waits_for_a_dial_already_sent(harness: Harness) -> None:
    first = await harness.start()
    harness.sim.faults.hold("call_connect")
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for(lambda: len(harness.sim.calls()) == 1, "the dial to take effect")
    stopping = asyncio.create_task(first.stop())  # a deploy while Talkety has not answered
    await asyncio.sleep(0.2)
    assert not stopping.done()  # the stop waits for the dial's answer ...
    harness.sim.faults.release()
    await stopping

    # The dial's answer was still recorded: the next instance knows the call.
    second = await harness.start()
    (record,) = await second.app.store.calls.live_calls()
    (call,) = harness.sim.calls()
    assert (record.state, record.subject_id) == ("live", str(call.id))
    message = await harness.wait_for_message()
    assert ids.HANG_UP in action_ids(message.blocks)


async def _crash_mid_dial(harness: Harness) -> str:
    """/call, then the instance dies while call_connect is sent and not yet answered:
    no drain, leases kept. Its record stays as it was, dialling; returns its key."""
    first = await harness.start()
    harness.sim.faults.hold("call_connect")  # answered only after the instance is gone
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for(
        lambda: harness.sim.requests_by_action["call_connect"] == 1, "the dial to be sent"
    )
    await first.stop(release=False, grace=0)
    harness.sim.faults.release()
    store = Store(harness.settings().database_url)
    try:
        (record,) = await store.calls.live_calls()
    finally:
        await store.close()
    assert (record.state, record.subject_id) == ("dialling", None)
    return record.key


async def _until_state(instance: Instance, key: str, state: str, within: float = 15) -> None:
    deadline = time.monotonic() + within
    while (record := await instance.app.store.calls.get_call(key)) is None or record.state != state:
        assert time.monotonic() < deadline, f"{key} never became {state}: {record}"
        await asyncio.sleep(0.05)


async def test_a_crash_mid_dial_is_reconciled_to_the_placed_call(harness: Harness) -> None:
    key = await _crash_mid_dial(harness)
    # The next instance takes the dial over once the dead one's lease expires, and
    # finds the call by the dial's tag: never dialled again.
    second = await harness.start()
    await asyncio.sleep(0.3)  # a few lease ticks: the lease has not expired yet
    record = await second.app.store.calls.get_call(key)
    assert record is not None and record.state == "dialling"
    assert key not in second.app.tracker.leases.held
    harness.clock.advance(LEASE_TTL + 1)
    await _until_state(second, key, "live")
    (call,) = harness.sim.calls()
    record = await second.app.store.calls.get_call(key)
    assert record is not None and record.subject_id == str(call.id)
    assert harness.sim.requests_by_action["call_connect"] == 1
    message = await harness.wait_for_message()
    await harness.wait_for(lambda: ids.HANG_UP in action_ids(message.blocks), "a live message")


async def test_a_crash_mid_dial_that_placed_nothing_ends_as_not_placed(
    harness: Harness,
) -> None:
    harness.sim.credit = Decimal(0)  # Talkety refuses it (150): nothing is placed
    key = await _crash_mid_dial(harness)
    # Inside the window the dial stays open (its answer might still show up) ...
    waiting = await harness.start(reconcile_window=3600.0)
    harness.clock.advance(LEASE_TTL + 1)
    await harness.wait_for(
        lambda: key in waiting.app.tracker.leases.held, "the dead instance's dial taken over"
    )
    lookups = harness.sim.requests_by_action["call_list"]
    await harness.wait_for(  # a few guard ticks: looked up, no trace
        lambda: harness.sim.requests_by_action["call_list"] >= lookups + 3, "look-ups"
    )
    record = await waiting.app.store.calls.get_call(key)
    assert record is not None and record.state == "dialling"
    await waiting.stop()
    # ... and after it, with no trace in Talkety, it ends as not placed.
    second = await harness.start(reconcile_window=0.0)
    await _until_state(second, key, "not_placed")
    assert harness.sim.calls() == []
    assert harness.sim.requests_by_action["call_connect"] == 1


async def test_a_live_call_talkety_never_knew_ends_as_unknown_with_what_was_recorded(
    harness: Harness,
) -> None:
    """A record left live by an instance whose call id Talkety does not know (an account
    reset, another environment): the next instance ends it at once, as unknown, keeping the
    cost it had recorded: never "ended normally", never live forever."""
    await (await harness.start()).stop()  # creates the database
    store = Store(harness.settings().database_url)
    now = harness.clock.now()
    gone = now - timedelta(seconds=1)  # its holder is gone
    record = await stored_call(store, now, team_id=TEAM_ID, holder="gone", lease_until=gone)
    await store.calls.set_placed(record.key, "999999")
    await store.calls.record_progress([(record.key, "connected", Decimal("0.25"), 600)])
    await store.close()

    await harness.start()
    message = await harness.wait_for_message()
    await harness.wait_for(lambda: "ended" in text_of(message), "the call's final summary")
    finished = await harness.main.app.store.calls.get_call(record.key)
    assert finished is not None and finished.state.is_final
    assert (finished.status, finished.last_cost, finished.duration) == (
        "unknown",
        Decimal("0.25"),
        600,
    )
    await harness.wait_for(  # the final summary: only Call back is left
        lambda: action_ids(message.blocks) == [ids.CALL_BACK], "the final summary"
    )
