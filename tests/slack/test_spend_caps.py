"""Spend caps at their edges: how far past the per-call cap a call can run, the daily cap
over concurrent calls, conferences, a restart, and the 00:00 UTC reset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from devtools.slack.fake_slack import Message
from slack_app.live.limits import SpendLimits
from slack_app.policy import Policy
from slack_app.store import CallRecord, Store

from .conftest import DST, SAVED, Harness, stored_call, text_of

RATE = Decimal("0.0219") / 60  # SAVED + DST per connected second
MIDNIGHT = datetime(2026, 12, 4, tzinfo=UTC)


async def _call(store: Store, now: datetime, user: str = "U1") -> CallRecord:
    record = await stored_call(store, now, user_id=user, holder="i")
    await store.calls.set_placed(record.key, f"id-{record.key}")
    return record


async def test_the_day_resets_at_midnight_utc(store: Store) -> None:
    """A call that ended a second before midnight counts for that day only; a call
    still live at midnight counts what it cost so far for the day it is seen in."""
    ended = await _call(store, MIDNIGHT - timedelta(minutes=5))
    await store.calls.finish(
        ended.key,
        status="disconnected",
        cost=Decimal("0.5"),
        duration=120,
        now=MIDNIGHT - timedelta(seconds=1),
    )
    live = await _call(store, MIDNIGHT - timedelta(minutes=1))
    await store.calls.record_progress([(live.key, "connected", Decimal("0.25"), 60)])
    before = await store.history.spend_today("T1", "U1", MIDNIGHT - timedelta(microseconds=1))
    after = await store.history.spend_today("T1", "U1", MIDNIGHT)
    assert (before, after) == (Decimal("0.75"), Decimal("0.25"))
    assert await store.history.spend_today("T1", "U2", MIDNIGHT) == 0  # per user


async def test_the_daily_cap_sums_concurrent_calls(store: Store) -> None:
    """Two live calls, each under the cap, together over it: both are hung up."""
    now = MIDNIGHT + timedelta(hours=9)
    limits = SpendLimits(Policy(daily_cap=Decimal("1")), store, "USD", lambda: now)
    first, second = await _call(store, now), await _call(store, now)
    other = await _call(store, now, user="U2")
    await store.calls.record_progress(
        [
            (first.key, "connected", Decimal("0.6"), 60),
            (second.key, "connected", Decimal("0.3"), 60),
            (other.key, "connected", Decimal("0.9"), 60),
        ]
    )
    live = await store.calls.live_calls()
    assert await limits.over_daily_cap(live) == []  # 0.9 each: under 1
    await store.calls.record_progress([(second.key, "connected", Decimal("0.4"), 70)])
    over = await limits.over_daily_cap(await store.calls.live_calls())
    assert sorted(key for key, _ in over) == sorted([first.key, second.key])
    assert all("daily spend limit ($1.00)" in reason for _, reason in over)


def _polls(harness: Harness) -> int:
    return sum(harness.sim.requests_by_action[a] for a in ("call_list", "conference_status"))


def _spent(harness: Harness) -> Decimal:
    return sum((call.total_costs for call in harness.sim.calls()), Decimal(0))


async def _tick_until_ended(harness: Harness, message: Message, step: float, cap: Decimal) -> None:
    """Move the simulator's clock one poll interval at a time, each after two polls, until
    what was spent reaches `cap`; then the clock stands still: the app must hang up
    within the tick that crossed it, with no later tick to notice it in."""
    while _spent(harness) < cap:
        polls = _polls(harness)
        harness.clock.advance(step)
        await harness.wait_for(lambda polls=polls: _polls(harness) > polls + 1, "two polls")
    await harness.wait_for(lambda: "has ended" in text_of(message), "the automatic hang-up")


async def test_the_per_call_cap_is_passed_by_at_most_one_tick(harness: Harness) -> None:
    cap = Decimal("0.01")
    tick = 2.0  # simulated seconds between two polls
    await harness.start(policy=Policy(max_call_cost=cap))
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.clock.advance(5)  # rung and answered
    await _tick_until_ended(harness, message, tick, cap)
    (call,) = harness.sim.calls()
    assert call.end is not None
    assert cap <= call.total_costs <= cap + RATE * Decimal(tick) + Decimal("0.00001")
    assert "maximum cost per call" in text_of(message)


async def test_the_daily_cap_ends_a_conference_as_a_whole(harness: Harness) -> None:
    await harness.start(policy=Policy(daily_cap=Decimal("0.01")))
    await harness.command("/conf", f"{SAVED} {DST}, 14165550100")
    message = await harness.wait_for_message()
    harness.clock.advance(5)
    await _tick_until_ended(harness, message, 5.0, Decimal("0.01"))
    assert "daily spend limit" in text_of(message)
    assert harness.sim.requests_by_action["conference_disconnect"] == 1
    assert not [leg for leg in harness.sim.calls() if leg.end is None]


async def test_the_daily_cap_holds_across_a_restart(harness: Harness) -> None:
    first = await harness.start(policy=Policy(daily_cap=Decimal("0.02")))
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.clock.advance(5 + 40)  # 40 s connected: 0.0146
    (call,) = harness.sim.calls()
    await harness.command("/hangup", str(call.id))
    await harness.wait_for(lambda: "has ended" in text_of(message), "the first call's end")
    await first.stop()
    # A new instance (a deploy): what was spent today still counts. (Past the two
    # minutes in which the same call again would be asked about as a repeat.)
    harness.clock.advance(121)
    await harness.start(policy=Policy(daily_cap=Decimal("0.02")))
    await harness.command("/call", f"{SAVED} {DST}")
    second = await harness.wait_for_message(count=2)
    harness.clock.advance(5)
    await _tick_until_ended(harness, second, 2.0, Decimal("0.02"))
    assert "daily spend limit" in text_of(second)
    assert Decimal("0.02") <= _spent(harness) <= Decimal("0.02") + RATE * 2 + Decimal("0.00001")


async def test_an_automatic_hang_up_that_fails_is_tried_again(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Talkety refuses the cap's hang-up once: the call must not run on unbounded."""
    await harness.start(policy=Policy(max_call_cost=Decimal("0.01")))
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    attempts = harness.main.client.retries + 1  # the client's own retries all fail
    harness.sim.faults.fail_next("call_disconnect", status=503, count=attempts)
    harness.clock.advance(5 + 60)  # answered, then a minute: over the cap at once
    await harness.wait_for(lambda: "has ended" in text_of(message), "the automatic hang-up")
    assert harness.sim.requests_by_action["call_disconnect"] == attempts + 1
    assert "Automatic hang-up of" in caplog.text and "failed" in caplog.text
    assert "maximum cost per call" in text_of(message)
