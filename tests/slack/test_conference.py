"""/conf: typed and via the modal; adding participants; hanging up one leg."""

from __future__ import annotations

from typing import Any

from devtools.slack.fake_slack import action_ids, button_value
from slack_app.blocks import ids
from slack_app.policy import Policy
from talkety_core.actions import Action

from .conftest import DST, SAVED, Harness, text_of

OTHER = "14165550100"


def opened_view(harness: Harness) -> dict[str, Any]:
    view: dict[str, Any] = harness.slack.calls_to("views.open")[-1].args["view"]
    return view


async def test_conference_typed(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    await harness.command("/conf", f"{DST}, +1 416 555 0100")
    message = await harness.wait_for_message()
    assert "Conference" in text_of(message)
    assert set(action_ids(message.blocks)) >= {ids.HANG_UP, ids.REFRESH, ids.ADD_PARTICIPANT}
    harness.clock.advance(10)
    await harness.wait_for(lambda: text_of(message).count("Connected") >= 3, "all legs up")
    assert action_ids(message.blocks).count(ids.LEG_HANG_UP) == 2  # not on the owner's leg


async def test_conference_modal_then_add_and_hang_up_one_leg(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    status, body = await harness.command("/conf", "")
    assert (status, body) == (200, "")
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the modal")
    view = opened_view(harness)
    assert view["callback_id"] == ids.VIEW_CONFERENCE
    assert view["blocks"][0]["element"]["initial_value"] == "+" + SAVED

    # A typo is shown in the still-open modal, nothing is dialled.
    status, body = await harness.submit(view, {ids.INPUT_FROM: "", ids.INPUT_PARTICIPANTS: "pizza"})
    assert status == 200 and '"response_action":"errors"' in body.replace(" ", "")
    assert harness.sim.requests_by_action["conference_connect"] == 0

    status, body = await harness.submit(
        view, {ids.INPUT_FROM: "", ids.INPUT_PARTICIPANTS: f"+1 987 654 3210\n{OTHER}"}
    )
    assert status == 200 and body == ""
    message = await harness.wait_for_message()
    harness.clock.advance(10)
    await harness.wait_for(lambda: text_of(message).count("Connected") >= 3, "all legs up")

    # Add a participant through the button and its modal.
    key = button_value(message.blocks, ids.ADD_PARTICIPANT)
    await harness.click(ids.ADD_PARTICIPANT, key, message_ts=message.ts)
    await harness.wait_for(lambda: len(harness.slack.calls_to("views.open")) == 2, "add modal")
    add_view = opened_view(harness)
    assert add_view["callback_id"] == ids.VIEW_ADD
    await harness.submit(add_view, {ids.INPUT_PARTICIPANTS: "+1 514 555 0199"})
    await harness.wait_for(lambda: harness.sim.requests_by_action["conference_add"] == 1, "add")
    harness.clock.advance(5)
    await harness.wait_for(lambda: "0199" in text_of(message), "the new leg")
    await harness.wait_for(lambda: action_ids(message.blocks).count(ids.LEG_HANG_UP) == 3, "3 legs")

    # Hang up one participant: the conference goes on.
    leg_value = button_value(message.blocks, ids.LEG_HANG_UP)
    await harness.click(ids.LEG_HANG_UP, leg_value, message_ts=message.ts)
    await harness.wait_for(
        lambda: action_ids(message.blocks).count(ids.LEG_HANG_UP) == 2, "one leg gone"
    )
    assert ids.HANG_UP in action_ids(message.blocks)

    # Someone else may not hang up legs.
    leg_value = button_value(message.blocks, ids.LEG_HANG_UP)
    await harness.click(ids.LEG_HANG_UP, leg_value, user="U2", message_ts=message.ts)
    await harness.wait_for_reply("Only <@U1> or an admin")
    assert action_ids(message.blocks).count(ids.LEG_HANG_UP) == 2

    # Hanging up the conference ends every leg.
    await harness.click(ids.HANG_UP, key, message_ts=message.ts)
    await harness.wait_for(lambda: "has ended" in text_of(message), "final")
    assert action_ids(message.blocks) == []


async def test_others_may_not_add_participants(harness: Harness) -> None:
    await harness.start()
    await harness.command("/conf", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    key = button_value(message.blocks, ids.ADD_PARTICIPANT)
    await harness.click(ids.ADD_PARTICIPANT, key, user="U2", message_ts=message.ts)
    await harness.wait_for_reply("Only <@U1> or an admin can add participants")
    assert harness.slack.calls_to("views.open") == []


async def test_conference_size_is_capped(harness: Harness) -> None:
    await harness.start(policy=Policy(max_participants=2))
    _, text = await harness.command("/conf", f"from {SAVED} to {DST}, {OTHER}, +1 514 555 0199")
    assert "at most 2 participants" in text
    assert harness.sim.requests_by_action["conference_connect"] == 0


async def test_conference_without_participants(harness: Harness) -> None:
    await harness.start()
    _, text = await harness.command("/conf", SAVED)
    assert "at least one participant" in text


async def test_add_with_unknown_outcome_is_told_honestly_and_not_resent(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    await harness.command("/conf", DST)
    message = await harness.wait_for_message()
    key = button_value(message.blocks, ids.ADD_PARTICIPANT)
    await harness.click(ids.ADD_PARTICIPANT, key, message_ts=message.ts)
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "add modal")

    # The connection drops before Talkety acts; the client finds no new leg.
    harness.sim.faults.drop_before_effect(Action.CONFERENCE_ADD)
    await harness.submit(opened_view(harness), {ids.INPUT_PARTICIPANTS: OTHER})
    text = await harness.wait_for_reply("may or may not")
    assert "did not dial again" in text
    assert harness.sim.requests_by_action["conference_add"] == 1


async def test_conference_whose_answer_was_lost_is_found_not_redialled(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.save_number()
    harness.sim.faults.drop_after_effect(Action.CONFERENCE_CONNECT)
    await harness.command("/conf", f"{DST}, +1 416 555 0100")
    message = await harness.wait_for_message()
    harness.clock.advance(10)
    await harness.wait_for(lambda: text_of(message).count("Connected") >= 3, "all legs up")
    assert harness.sim.requests_by_action["conference_connect"] == 1
    assert len({leg.conference_id for leg in harness.sim.calls()}) == 1
    assert ids.HANG_UP in action_ids(message.blocks)
