"""/call: saved numbers, the live message, its final summary, and every refusal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from devtools.slack.fake_slack import action_ids, button_value
from slack_app.blocks import ids
from slack_app.policy import Policy
from slack_app.store import AuditAction

from .conftest import DST, SAVED, Harness, text_of


async def test_call_without_a_saved_number_says_how_to_set_one(harness: Harness) -> None:
    await harness.start()
    _, text = await harness.command("/call", DST)  # said at once, in the acknowledgement
    assert "set-number" in text and "Which number should ring first" in text
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_call_lives_and_ends_with_a_summary(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", "set-number +1 (123) 456-7890")
    await harness.wait_for_reply("Saved")
    status, body = await harness.command("/call", "+1 987-654-3210")
    # What is about to happen, at once: nothing else shows until the channel message.
    assert (status, body) == (
        200,
        ":telephone_receiver: Ringing you on +•••••••7890, then +•••••••3210…",
    )

    message = await harness.wait_for_message()
    text = text_of(message)
    assert "started by <@U1>" in text
    assert DST not in text and SAVED not in text  # masked: only the last digits show
    assert "3210" in text and "7890" in text
    assert set(action_ids(message.blocks)) == {ids.HANG_UP, ids.REFRESH}
    assert harness.sim.requests_by_action["call_connect"] == 1

    harness.clock.advance(6)  # the caller answers, then the callee
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected")
    harness.clock.advance(119)  # connected at 5 s: 120 s connected at 125 s
    await harness.wait_for(lambda: "2m 00s" in text_of(message), "two minutes")
    assert "$0.0438" in text_of(message)  # 120 s at (0.0105 + 0.0114) / min

    key = button_value(message.blocks, ids.HANG_UP)
    await harness.click(ids.HANG_UP, key, message_ts=message.ts)
    await harness.wait_for(lambda: "has ended" in text_of(message), "final summary")
    final = text_of(message)
    assert "Total cost" in final and "$0.0438" in final
    await harness.wait_for(  # the final summary: only Call back is left
        lambda: action_ids(message.blocks) == [ids.CALL_BACK], "the final summary"
    )
    store = harness.main.app.store
    (record,) = [r for r in await store.calls.get_calls([key])]
    assert record.state == "ended" and record.final_cost == Decimal("0.0438")
    audit = await store.audit.latest()
    # The hang-up and the end it causes happen at the same moment, in either order.
    assert sorted(a["action"] for a in audit) == [
        AuditAction.DIAL,
        AuditAction.ENDED,
        AuditAction.HANGUP,
    ]
    assert audit[-1]["action"] == AuditAction.DIAL
    (ended,) = [a for a in audit if a["action"] == "ended"]
    assert ended["cost"] == Decimal("0.0438")


async def test_call_from_and_to(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_message()
    (call,) = harness.sim.calls()
    assert (call.src, call.dst) == (SAVED, DST)


async def test_call_with_from_and_to_words(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", "from +1 123 456 7890 to +1 987 654 3210")
    await harness.wait_for_message()
    (call,) = harness.sim.calls()
    assert (call.src, call.dst) == (SAVED, DST)


async def test_invalid_number_is_refused_before_dialling(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    await harness.command("/call", "+7 495 123 4567")
    text = await harness.wait_for_reply("cannot dial")
    assert "+74951234567" in text
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_premium_rate_is_blocked_by_default(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    _, text = await harness.command("/call", "+1 900 555 0100")
    assert "premium" in text
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_blocked_prefix(harness: Harness) -> None:
    await harness.start(policy=Policy(blocked_prefixes=("44",)))
    await harness.save_number()
    await harness.command("/call", "+44 20 7946 0000")
    await harness.wait_for_reply("blocked in this workspace")
    assert harness.sim.requests_by_action["pricing"] == 0


async def test_more_than_one_destination_points_to_conf(harness: Harness) -> None:
    await harness.start()
    _, text = await harness.command("/call", f"{SAVED}, {DST}, 14165550100")
    assert "/conf" in text and "`/call help` shows how" in text


async def test_only_allowed_users_may_call(harness: Harness) -> None:
    harness.slack.usergroups["S1"] = ["U3"]
    await harness.start(
        policy=Policy(allowed_users=frozenset({"U2"}), allowed_usergroups=frozenset({"S1"}))
    )
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_reply("not allowed")
    await harness.command("/call", f"{SAVED} {DST}", user="U3")  # via the user group
    await harness.wait_for_message()
    assert harness.sim.requests_by_action["call_connect"] == 1


async def test_per_user_rate_limit(harness: Harness) -> None:
    await harness.start(policy=Policy(rate_limit=(1, 60)))
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_message()
    await harness.command("/call", f"{SAVED} 14165550100")
    await harness.wait_for_reply("Easy there")
    assert harness.sim.requests_by_action["call_connect"] == 1


async def test_daily_spend_cap_refuses_new_calls(harness: Harness) -> None:
    await harness.start(policy=Policy(daily_cap=Decimal("0")))
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_reply("daily limit")
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_out_of_credit_is_told_plainly(harness: Harness) -> None:
    harness.sim.credit = Decimal(0)
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_reply("out of credit")
    assert harness.call_messages() == []
    store = harness.main.app.store
    assert await store.calls.live_calls() == []
    # Told privately, never shown: nothing for any instance's sweep to post, ever.
    later = harness.clock.now() + timedelta(hours=1)
    assert await store.leases.orphans(later) == []
    assert (await store.history.delivery_backlog(later))[0] == 0


async def test_busy_callee_ends_with_busy(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} 14165550486")
    message = await harness.wait_for_message()
    harness.clock.advance(10)
    await harness.wait_for(lambda: "has ended" in text_of(message), "final")
    assert "Busy" in text_of(message)
    assert "$0.00" in text_of(message)


async def test_channel_without_the_bot_moves_the_message_to_a_dm(harness: Harness) -> None:
    harness.slack.not_in_channels.add("C9")
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}", channel="C9")
    message = await harness.wait_for_message(channel="D1")
    await harness.wait_for_reply("/invite")
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected in the DM")


async def test_a_word_for_a_number_is_quoted_once_with_the_way_to_help(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    _, text = await harness.command("/call", "hello")
    assert text.count("hello") == 1, text
    assert "`/call help` shows how" in text
    assert harness.sim.requests_by_action["pricing"] == 0
