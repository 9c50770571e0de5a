"""Call from where the number is: the message shortcut, the global shortcuts, Call back."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from devtools.slack.fake_slack import action_ids, block_texts, button_value
from slack_app.blocks import ids
from slack_app.policy import Policy

from .conftest import DST, SAVED, Harness, text_of

PREMIUM = "+1 900 555 0123"


def options(view: dict[str, Any]) -> list[dict[str, Any]]:
    block = next(b for b in view["blocks"] if b.get("block_id") == ids.INPUT_TO)
    found: list[dict[str, Any]] = block["element"]["options"]
    return found


def choose(option: dict[str, Any]) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": option}


async def test_call_this_number_offers_the_numbers_with_prices_and_dials_once(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.save_number()
    text = f"Please ring the supplier on +1 987 654 3210 (not the hotline {PREMIUM})."
    status, _ = await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, text, channel="C1")
    assert status == 200

    await harness.wait_for(lambda: harness.slack.calls_to("views.update"), "the priced form")
    opened, priced = harness.last_view("views.open"), harness.last_view("views.update")
    assert [o["value"] for o in options(opened)] == [DST]  # the premium one is not offered
    assert "/min" not in options(opened)[0]["text"]["text"]
    (offered,) = options(priced)
    assert offered["text"]["text"] == "+1 987 654 3210  $0.0114/min"
    assert "premium" in " ".join(block_texts(priced["blocks"])).lower()
    # Prefilled with the caller's saved number, and one choice is already chosen.
    assert priced["blocks"][0]["element"]["initial_value"] == f"+{SAVED}"
    assert priced["blocks"][1]["element"]["initial_option"] == offered

    await harness.submit(priced, {ids.INPUT_FROM: "", ids.INPUT_TO: choose(offered)})
    message = await harness.wait_for_message("C1")
    assert "started by <@U1>" in text_of(message)
    assert harness.sim.requests_by_action["call_connect"] == 1

    # The same form submitted again (a double click, a retry): nothing more is dialled.
    await harness.submit(priced, {ids.INPUT_FROM: "", ids.INPUT_TO: choose(offered)})
    await harness.wait_for_reply("nothing more was dialled")
    assert harness.sim.requests_by_action["call_connect"] == 1
    assert len(harness.call_messages("C1")) == 1


async def test_a_message_without_a_callable_number_gets_an_answer_and_no_form(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, "Order 12345 ships on 2026-12-04.")
    await harness.wait_for_reply("I found no phone number in that message")
    await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, f"Hotline: {PREMIUM}")
    reply = await harness.wait_for_reply("None of the numbers in that message can be called")
    assert "premium" in reply.lower()
    assert harness.slack.calls_to("views.open") == []
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_a_message_with_many_numbers_offers_the_first_ten(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    numbers = [f"+1 987 654 32{n:02d}" for n in range(12)]
    await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, "Team: " + ", ".join(numbers))
    await harness.wait_for(lambda: harness.slack.calls_to("views.update"), "the priced form")
    view = harness.last_view("views.update")
    assert [o["value"] for o in options(view)] == [f"198765432{n:02d}" for n in range(10)]
    assert "first 10 are offered" in " ".join(block_texts(view["blocks"]))
    assert "initial_option" not in view["blocks"][1]["element"]  # the caller must choose


async def test_a_blocked_prefix_is_not_offered(harness: Harness) -> None:
    await harness.start(policy=Policy(blocked_prefixes=("1987",)))
    await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, "Call +1 987 654 3210")
    reply = await harness.wait_for_reply("can be called")
    assert "blocked in this workspace" in reply
    assert harness.slack.calls_to("views.open") == []


async def test_an_expensive_number_from_a_message_asks_first(harness: Harness) -> None:
    await harness.start(policy=Policy(confirm_above=Decimal("0.001")))
    await harness.save_number()
    await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, "Call +1 987 654 3210")
    await harness.wait_for(lambda: harness.slack.calls_to("views.update"), "the priced form")
    view = harness.last_view("views.update")
    await harness.submit(view, {ids.INPUT_FROM: "", ids.INPUT_TO: choose(options(view)[0])})
    await harness.wait_for_reply("Place it?")
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_global_shortcut_places_a_call_with_its_status_where_the_caller_chose(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.shortcut(ids.SHORTCUT_PLACE_CALL)
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the form")
    view = harness.last_view()
    assert [b["block_id"] for b in view["blocks"]] == [
        ids.INPUT_FROM,
        ids.INPUT_PEOPLE,
        ids.INPUT_TO,
        ids.INPUT_STATUS_CHANNEL,
    ]
    # A number that is not one is caught in the form, before anything is priced.
    status, body = await harness.submit(view, {ids.INPUT_FROM: SAVED, ids.INPUT_TO: "12"})
    assert status == 200 and '"response_action":"errors"' in body.replace(" ", "")
    channel = {"type": "conversations_select", "selected_conversation": "C7"}
    await harness.submit(
        view,
        {
            ids.INPUT_FROM: f"+{SAVED}",
            ids.INPUT_TO: "+1 987 654 3210",
            ids.INPUT_STATUS_CHANNEL: channel,
        },
    )
    message = await harness.wait_for_message("C7")
    assert "started by <@U1>" in text_of(message)


async def test_global_shortcut_starts_a_conference_shown_in_our_dm(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    await harness.shortcut(ids.SHORTCUT_START_CONFERENCE)
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the form")
    view = harness.last_view()
    assert view["callback_id"] == ids.VIEW_CONFERENCE
    await harness.submit(view, {ids.INPUT_FROM: "", ids.INPUT_PARTICIPANTS: DST})
    message = await harness.wait_for_message("D1")
    assert "Conference" in text_of(message)


async def test_shortcuts_are_refused_to_whoever_may_not_call(harness: Harness) -> None:
    await harness.start(policy=Policy(allowed_users=frozenset({"U9"})))
    await harness.shortcut(ids.SHORTCUT_PLACE_CALL)
    await harness.wait_for_reply("not allowed to place calls")
    await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, "Call +1 987 654 3210")
    await harness.wait_for(
        lambda: sum("not allowed" in t for t in harness.slack.ephemeral_texts()) == 2,
        "the second refusal",
    )
    assert harness.slack.calls_to("views.open") == []


async def end_a_call(harness: Harness) -> tuple[Any, str]:
    await harness.command("/call", DST)
    message = await harness.wait_for_message("C1")
    await harness.click(
        ids.HANG_UP, button_value(message.blocks, ids.HANG_UP), message_ts=message.ts
    )
    await harness.wait_for(lambda: ids.CALL_BACK in action_ids(message.blocks), "Call back")
    return message, button_value(message.blocks, ids.CALL_BACK)


async def test_call_back_redials_the_same_pair_once(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    _, key = await end_a_call(harness)

    await harness.click(ids.CALL_BACK, key, user="U2")  # not theirs: it rings U1's phone
    await harness.wait_for_reply("Only <@U1> can call back")
    await harness.click(ids.CALL_BACK, key)
    again = await harness.wait_for_message("C1", count=2)
    assert "started by <@U1>" in text_of(again)
    await harness.click(ids.CALL_BACK, key)  # a double click
    await harness.wait_for_reply("You just called back")
    assert harness.sim.requests_by_action["call_connect"] == 2
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(3000, 1, 1, tzinfo=UTC)
    placed = await harness.main.app.store.history.calls_between(None, start, end)
    assert [(r.src, r.dsts) for r in placed] == [(SAVED, (DST,))] * 2


async def test_call_back_goes_through_the_policy_again(harness: Harness) -> None:
    instance = await harness.start()
    await harness.save_number()
    _, key = await end_a_call(harness)
    await instance.stop()
    # The admins lowered the threshold since: the call back asks first now.
    await harness.start(policy=Policy(confirm_above=Decimal("0.001")))
    await harness.click(ids.CALL_BACK, key)
    await harness.wait_for_reply("Place it?")
    assert harness.sim.requests_by_action["call_connect"] == 1


async def test_a_slow_shortcut_says_so_instead_of_a_form_that_never_opens(
    harness: Harness,
) -> None:
    await harness.start()
    harness.slack.fail_next("views.open", "expired_trigger_id")
    await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, "Call +1 987 654 3210")
    await harness.wait_for_reply("I couldn't open the form; use `/call` instead")
    assert harness.slack.calls_to("views.update") == []


async def test_a_refused_try_does_not_block_the_next(harness: Harness) -> None:
    """Refused before anything was dialled (no number to ring first): trying again with
    one is not taken for a double click."""
    await harness.start()
    await harness.shortcut(ids.SHORTCUT_CALL_NUMBER, "Call +1 987 654 3210")
    await harness.wait_for(lambda: harness.slack.calls_to("views.update"), "the priced form")
    view = harness.last_view("views.update")
    chosen = choose(options(view)[0])
    await harness.submit(view, {ids.INPUT_FROM: "", ids.INPUT_TO: chosen})
    await harness.wait_for_reply("Which number should ring first?")
    await harness.submit(view, {ids.INPUT_FROM: f"+{SAVED}", ids.INPUT_TO: chosen})
    await harness.wait_for_message("C1")
    assert harness.sim.requests_by_action["call_connect"] == 1


async def test_call_back_refused_by_the_policy_can_be_tried_again(harness: Harness) -> None:
    instance = await harness.start()
    await harness.save_number()
    _, key = await end_a_call(harness)
    await instance.stop()
    await harness.start(policy=Policy(blocked_prefixes=("1987",)))
    await harness.click(ids.CALL_BACK, key)
    await harness.wait_for_reply("are blocked in this workspace")
    await harness.main.stop()
    await harness.start()  # the admins lifted the block
    await harness.click(ids.CALL_BACK, key)
    await harness.wait_for_message("C1", count=2)
    assert harness.sim.requests_by_action["call_connect"] == 2


async def test_a_number_called_from_a_thread_has_its_status_in_that_thread(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.save_number()
    thread = "1700000000.000100"
    await harness.shortcut(
        ids.SHORTCUT_CALL_NUMBER,
        "ring +1 987 654 3210",
        channel="C1",
        ts="1700000000.000101",
        thread_ts=thread,
    )
    await harness.wait_for(lambda: harness.slack.calls_to("views.update"), "the priced form")
    (offered,) = options(harness.last_view("views.update"))
    await harness.submit(
        harness.last_view("views.update"), {ids.INPUT_FROM: "", ids.INPUT_TO: choose(offered)}
    )
    await harness.wait_for(
        lambda: [m for m in harness.slack.messages.values() if m.thread_ts == thread],
        "the status in the thread",
    )
    assert harness.call_messages() == []  # not at the channel's top level
