"""State in the database: restart and resume, two instances and a crash, unknown outcomes."""

from __future__ import annotations

from slack_app.blocks import ids
from slack_app.testing.fake_slack import action_ids
from talkety_core import TalketyClient

from .conftest import DST, SAVED, SIM_APP_KEY, SIM_PASSWORD, SIM_USER, Harness, text_of


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
    assert action_ids(one.blocks) == []
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
    harness.sim.faults.latency(0.5, action="call_connect", count=1)
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for(
        lambda: harness.sim.requests_by_action["call_connect"] == 1, "the dial to be sent"
    )
    await first.stop()  # a deploy while Talkety has not answered yet

    # The dial's answer was still recorded: the next instance knows the call.
    second = await harness.start()
    (record,) = await second.app.store.live_calls()
    (call,) = harness.sim.calls()
    assert (record.state, record.subject_id) == ("live", str(call.id))
    message = await harness.wait_for_message()
    assert ids.HANG_UP in action_ids(message.blocks)
