"""Intent before money: a dialling command says at once what it is about to do, and the
same person asking for the same call again soon after is asked before it dials again;
different calls are never held up."""

from __future__ import annotations

from devtools.slack.fake_slack import button_value
from slack_app.blocks import ids

from .conftest import DST, SAVED, Harness, last_reply_blocks, text_of

OTHER = "+1 416 555 0100"


def _asked(harness: Harness) -> int:
    return harness.slack.all_response_text().count("You placed this call")


async def test_the_same_call_typed_again_is_asked_about_and_placed_only_if_wanted(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.save_number()
    _, said = await harness.command("/call", DST)
    assert said.startswith(":telephone_receiver: Ringing you on")
    first = await harness.wait_for_message()
    harness.clock.advance(12)

    for _ in range(2):  # typed again, twice: asked each time, nothing dialled
        await harness.command("/call", DST)
        await harness.wait_for_reply("You placed this call 12s ago")
    assert len(harness.sim.calls()) == 1
    blocks = last_reply_blocks(harness)
    assert [e["text"]["text"] for e in blocks[1]["elements"]] == ["Place it again", "Cancel"]

    await harness.click(ids.CANCEL_DIAL, button_value(blocks, ids.CANCEL_DIAL))
    await harness.wait_for_reply("Cancelled: nothing was dialled.")
    assert len(harness.sim.calls()) == 1

    asked = _asked(harness)
    await harness.command("/call", DST)
    await harness.wait_for(lambda: _asked(harness) > asked, "asked again")
    await harness.click(
        ids.CONFIRM_DIAL, button_value(last_reply_blocks(harness), ids.CONFIRM_DIAL)
    )
    second = await harness.wait_for_message(count=2)
    assert len(harness.sim.calls()) == 2 and second.ts != first.ts


async def test_after_two_minutes_the_same_call_is_placed_without_asking(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.save_number()
    await harness.command("/call", DST)
    await harness.wait_for_message()
    harness.clock.advance(121)
    await harness.command("/call", DST)
    await harness.wait_for_message(count=2)
    assert "You placed this" not in harness.slack.all_response_text()


async def test_different_calls_are_never_held_up(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    await harness.command("/call", DST)
    await harness.command("/call", OTHER)
    await harness.command("/conf", f"{DST}, {OTHER}")
    await harness.wait_for_message(count=3)
    assert "You placed this" not in harness.slack.all_response_text()


async def test_a_conference_asked_for_again_is_asked_about(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    _, said = await harness.command("/conf", f"{DST}, {OTHER}")
    assert said.startswith(":telephone_receiver: Starting a conference: ringing you on")
    await harness.wait_for_message()
    await harness.command("/conf", f"{DST}, {OTHER}")
    await harness.wait_for_reply("You placed this conference")
    assert harness.sim.requests_by_action["conference_connect"] == 1


async def test_the_global_shortcut_is_guarded_the_same_way(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    assert "started by <@U1>" in text_of(message)
    await harness.shortcut(ids.SHORTCUT_PLACE_CALL)
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the form")
    await harness.submit(
        harness.last_view(), {ids.INPUT_FROM: f"+{SAVED}", ids.INPUT_TO: "+1 987 654 3210"}
    )
    await harness.wait_for_reply("You placed this call")
    assert len(harness.sim.calls()) == 1
