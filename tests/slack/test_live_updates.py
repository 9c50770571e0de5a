"""The live updater against Slack's failures, and the automatic hang-ups."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

import pytest

from devtools.slack.fake_slack import TEAM_ID, action_ids, button_value
from slack_app.blocks import ids
from slack_app.policy import Policy
from talkety_core.actions import Action

from .conftest import (
    BOT_TOKEN,
    DST,
    SAVED,
    SIGNING_SECRET,
    SIM_APP_KEY,
    SIM_PASSWORD,
    Harness,
    text_of,
)


async def test_deleted_message_is_posted_again(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    first = await harness.wait_for_message()
    harness.slack.messages.clear()  # someone deleted it
    harness.clock.advance(6)
    again = await harness.wait_for_message()
    assert again.ts != first.ts
    await harness.wait_for(lambda: "Connected" in text_of(again), "Connected")
    for _ in range(500):  # the new ts is stored right after the post
        (record,) = await harness.main.app.store.calls.live_calls()
        if record.message_ts == again.ts:
            break
        await asyncio.sleep(0.02)
    assert record.message_ts == again.ts


async def test_rate_limited_update_waits_for_retry_after(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    updater = harness.main.app.tracker.updater
    sent: list[float] = []
    updater.on_sent.append(lambda _key, _since, _priority: sent.append(updater.clock()))
    harness.slack.fail_next("chat.update", "ratelimited", status=429, retry_after=1)
    harness.clock.advance(6)
    # The fake shows the text when the request arrives; on_sent runs once the answer is back.
    await harness.wait_for(
        lambda: "Connected" in text_of(message) and bool(sent), "Connected after the 429"
    )
    failed = [c for c in harness.slack.calls if c.method == "chat.update" and c.status == 429]
    after = [c for c in harness.slack.calls_to("chat.update") if c.at > failed[0].at]
    assert len(failed) == 1 and after  # refused once, then sent: never dropped
    # Retry-After honoured, by the updater's own clock and budget (order, not a duration
    # measured here): the write went out no earlier than the pause the 429 set.
    budget = updater.budget(TEAM_ID)
    assert budget.paused_until > 0
    assert sent[-1] >= budget.paused_until
    assert harness.main.app.tracker.updater.stats.rate_limited == 1


@pytest.mark.parametrize("error", ["channel_not_found", "is_archived", "not_in_channel"])
async def test_lost_channel_moves_the_message_to_a_dm(harness: Harness, error: str) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_message()
    harness.slack.fail_next("chat.update", error)
    harness.clock.advance(6)
    dm = await harness.wait_for_message(channel="D1")
    await harness.wait_for(lambda: "Connected" in text_of(dm), "Connected in the DM")


async def test_nowhere_to_post_keeps_following_the_call(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_message()
    harness.slack.missing_channels.update({"C1", "U1", "D1"})
    harness.clock.advance(6)
    store = harness.main.app.store

    async def undeliverable() -> bool:
        calls = await store.calls.live_calls()
        return bool(calls and calls[0].delivery_error)

    for _ in range(500):
        if await undeliverable():
            break
        await asyncio.sleep(0.02)
    assert await undeliverable()
    (call,) = harness.sim.calls()
    await harness.command("/hangup", str(call.id))
    # Still accounted for: the ending is recorded even without a message.
    for _ in range(500):
        if not await store.calls.live_calls():
            break
        await asyncio.sleep(0.02)
    live = await store.calls.live_calls()
    audit = [a["action"] for a in await store.audit.latest()]
    assert "ended" in audit, (live, audit, harness.slack.all_response_text())


async def test_revoked_token_does_not_crash(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.slack.revoked = True
    harness.clock.advance(6)
    # The fake records a refusal before the app has read it (and the App Home
    # refresh may be refused first), so wait for the updater's own reaction.
    await harness.wait_for(
        lambda: any("updates paused" in r.getMessage() for r in caplog.records),
        "the updater to pause on a refused token",
    )
    assert any(
        c.method == "chat.update" and c.error == "token_revoked" for c in harness.slack.calls
    )
    assert "Connected" not in text_of(message)
    # The app still answers commands (and says nothing it cannot).
    status, _ = await harness.command("/price", SAVED)
    assert status == 200


async def test_status_changes_jump_ahead_of_cost_ticks(harness: Harness) -> None:
    await harness.start(progress_interval=3600.0)
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected")
    updates = len(harness.slack.calls_to("chat.update"))
    for _ in range(5):  # cost ticks: coalesced, at most one per progress_interval
        harness.clock.advance(10)
        await harness.main.app.tracker.monitor.poll()
    assert len(harness.slack.calls_to("chat.update")) == updates
    await harness.click(
        ids.HANG_UP, button_value(message.blocks, ids.HANG_UP), message_ts=message.ts
    )
    await harness.wait_for(lambda: "has ended" in text_of(message), "the ending, at once")


async def test_max_cost_hangs_up_automatically(harness: Harness) -> None:
    await harness.start(policy=Policy(max_call_cost=Decimal("0.01")))
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected")
    harness.clock.advance(60)  # 0.0219 > 0.01
    await harness.wait_for(lambda: "has ended" in text_of(message), "the automatic hang-up")
    assert "Hung up automatically: reached the maximum cost per call ($0.01)" in text_of(message)
    await harness.wait_for(  # the final summary: only Call back is left
        lambda: action_ids(message.blocks) == [ids.CALL_BACK], "the final summary"
    )
    assert harness.sim.requests_by_action["call_disconnect"] == 1


async def test_max_duration_hangs_up_automatically(harness: Harness) -> None:
    await harness.start(policy=Policy(max_call_seconds=60))
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected")
    harness.clock.advance(90)
    await harness.wait_for(lambda: "has ended" in text_of(message), "the automatic hang-up")
    assert "maximum duration (1m 00s)" in text_of(message)


async def test_daily_cap_hangs_up_a_running_call(harness: Harness) -> None:
    await harness.start(policy=Policy(daily_cap=Decimal("0.02")))
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected")
    harness.clock.advance(120)
    await harness.wait_for(lambda: "has ended" in text_of(message), "the automatic hang-up")
    assert "daily spend limit" in text_of(message)
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_reply("daily limit")


async def test_secrets_never_reach_the_logs(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A whole fault run: the dial's answer lost, the API failing, Slack refusing.
    Nothing printed (messages, args, tracebacks) carries a secret, the Talkety app key
    (in every API URL's path) included."""
    caplog.set_level(logging.DEBUG)
    await harness.start()
    harness.sim.faults.drop_after_effect(Action.CALL_CONNECT)  # reconciled by its tag
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.slack.fail_next("chat.update", "ratelimited", status=429, retry_after=0)
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected")
    await harness.command("/price", "pizza")
    await harness.wait_for_reply(":warning:")
    harness.sim.faults.fail_next(Action.PRICING, status=503, count=10)
    await harness.command("/price", DST)
    await harness.wait_for_reply(":warning:")
    harness.sim.faults.malformed_next(Action.CALL_STATUS, count=3)
    harness.sim.faults.fail_next(Action.CALL_LIST, status=500, count=3)
    harness.clock.advance(6)
    (call,) = harness.sim.calls()  # placed once, its lost answer notwithstanding
    await harness.command("/hangup", str(call.id))
    await harness.wait_for(lambda: "has ended" in text_of(message), "the hang-up")
    logged = caplog.text  # as a handler prints them: messages, args and tracebacks
    assert "looking up whether it was placed" in logged  # the faults happened
    for secret in (BOT_TOKEN, SIGNING_SECRET, SIM_PASSWORD, SIM_APP_KEY):
        assert secret not in logged
