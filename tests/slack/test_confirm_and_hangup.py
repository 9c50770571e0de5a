"""Price confirmation, and who may hang up (caller, admin, nobody else; twice is harmless)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from devtools.slack.fake_slack import button_value
from devtools.slack.signing import block_action_body
from slack_app.blocks import ids
from slack_app.policy import Policy

from .conftest import DST, SAVED, Harness, last_reply_blocks, text_of

MOBILE_DE = "+49 151 23456789"  # 0.0790/min in the simulator's price table


async def test_expensive_call_asks_first_then_dials_once(harness: Harness) -> None:
    await harness.start(policy=Policy(confirm_above=Decimal("0.05")))
    await harness.save_number()
    await harness.command("/call", MOBILE_DE)
    text = await harness.wait_for_reply("Place it?")
    assert "$0.0895/min" in text  # 0.0105 (caller) + 0.0790
    assert harness.sim.requests_by_action["call_connect"] == 0
    pending = button_value(last_reply_blocks(harness), ids.CONFIRM_DIAL)

    # Only the asker may answer.
    await harness.click(ids.CONFIRM_DIAL, pending, user="U2")
    await harness.wait_for_reply("Only <@U1> can answer this")
    assert harness.sim.requests_by_action["call_connect"] == 0

    await harness.click(ids.CONFIRM_DIAL, pending)
    await harness.wait_for_message()
    await harness.click(ids.CONFIRM_DIAL, pending)  # a double click
    await harness.wait_for_reply("already answered")
    assert harness.sim.requests_by_action["call_connect"] == 1
    replaced = [r for r in harness.slack.responses if r.get("replace_original")]
    assert replaced and "dialling" in replaced[0]["text"]


async def test_cancel_dials_nothing(harness: Harness) -> None:
    await harness.start(policy=Policy(confirm_above=Decimal("0.05")))
    await harness.save_number()
    await harness.command("/call", MOBILE_DE)
    await harness.wait_for_reply("Place it?")
    pending = button_value(last_reply_blocks(harness), ids.CANCEL_DIAL)
    await harness.click(ids.CANCEL_DIAL, pending)
    await harness.wait_for_reply("nothing was dialled")
    await harness.click(ids.CONFIRM_DIAL, pending)
    await harness.wait_for_reply("already answered")
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_cheap_calls_need_no_confirmation(harness: Harness) -> None:
    await harness.start(policy=Policy(confirm_above=Decimal("0.05")))
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_message()
    assert "Place it?" not in harness.slack.all_response_text()


async def start_call(harness: Harness, **settings: Any) -> tuple[Any, str]:
    await harness.start(**settings)
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected")
    return message, button_value(message.blocks, ids.HANG_UP)


async def test_others_may_not_hang_up(harness: Harness) -> None:
    message, key = await start_call(harness)
    await harness.click(ids.HANG_UP, key, user="U2", message_ts=message.ts)
    await harness.wait_for_reply("Only <@U1> or an admin can hang up")
    assert harness.sim.requests_by_action["call_disconnect"] == 0
    assert "Connected" in text_of(message)


async def test_admin_may_hang_up_and_double_clicks_are_harmless(harness: Harness) -> None:
    message, key = await start_call(harness, policy=Policy(admins=frozenset({"UADMIN"})))
    await harness.click(ids.HANG_UP, key, user="UADMIN", message_ts=message.ts)
    await harness.wait_for(lambda: "has ended" in text_of(message), "final")
    await harness.click(ids.HANG_UP, key, user="UADMIN", message_ts=message.ts)
    await harness.wait_for_reply("already ended")
    assert "Traceback" not in harness.slack.all_response_text()


async def test_hangup_command_lists_and_ends_calls(harness: Harness) -> None:
    message, key = await start_call(harness)
    await harness.command("/hangup", "")
    await harness.wait_for_reply("Your active calls")
    listed = button_value(last_reply_blocks(harness), ids.HANG_UP)
    assert listed == key

    await harness.command("/hangup", "", user="U2")
    await harness.wait_for_reply("You have no active calls")

    (call,) = harness.sim.calls()
    await harness.command("/hangup", str(call.id), user="U2")
    await harness.wait_for_reply("Only <@U1> or an admin")
    await harness.command("/hangup", str(call.id))
    await harness.wait_for_reply(f"Hung up call `{call.id}`")
    await harness.wait_for(lambda: "has ended" in text_of(message), "final")


async def test_hangup_of_unknown_id(harness: Harness) -> None:
    await harness.start(policy=Policy(admins=frozenset({"UADMIN"})))
    await harness.command("/hangup", "999")
    await harness.wait_for_reply("I don't know a call `999`")
    await harness.command("/hangup", "999", user="UADMIN")  # admins ask Talkety itself
    await harness.wait_for_reply("does not know that call")
    await harness.command("/hangup", "1 2")
    assert "One id at a time" in (await harness.command("/hangup", "1 2"))[1]


async def test_a_button_from_another_workspace_finds_no_call(harness: Harness) -> None:
    """A channel shared with another workspace (Slack Connect): the same user id there
    is someone else, and this workspace's calls are not theirs to end."""
    message, key = await start_call(harness, policy=Policy(admins=frozenset({"UADMIN"})))
    body = block_action_body(
        ids.HANG_UP,
        key,
        user="UADMIN",
        team="T0OTHER",
        channel="C1",
        response_url=harness.slack.response_url("other-team"),
        message_ts=message.ts,
        trigger_id=harness.slack.issue_trigger(),
    )
    status, _ = await harness.post(body)
    assert status == 200
    await harness.wait_for_reply("I don't know that call")
    assert harness.sim.requests_by_action["call_disconnect"] == 0
    assert "Connected" in text_of(message)
