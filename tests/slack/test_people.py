"""Calling people, not numbers: `/call @alice` and `/conf @alice @bob +44 ...` ring the
number each saved themselves (their consent), and refuse by name when there is none."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from devtools.slack.fake_slack import button_value
from slack_app.blocks import ids
from slack_app.blocks.modals import settings_modal
from slack_app.mentions import Mentions, take_mentions
from slack_app.policy import Policy
from slack_app.reports.csv_export import export_csv

from .conftest import DST, SAVED, Harness, last_reply_blocks, text_of

ALICE, BOB = "U0ALICE", "U0BOB"
ALICE_NUMBER, BOB_NUMBER = "14165550142", "442079460000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U0ALICE>", Mentions(", ", (ALICE,), ())),
        ("<@U0ALICE|alice> <@W0BOB|bob>", Mentions(",  , ", (ALICE, "W0BOB"), ())),
        ("<@U0ALICE> <@U0ALICE|alice>", Mentions(",  , ", (ALICE,), ())),
        (
            "from +1 555 0100 to <@U0ALICE|alice>+44 20",
            Mentions("from +1 555 0100 to , +44 20", (ALICE,), ()),
        ),
        ("<tel:+14165550100|+1 416 555 0100>", Mentions("+1 416 555 0100", (), ())),
        ("@alice, +1 416", Mentions("@alice, +1 416", (), ("@alice",))),
        ("someone@example.com", Mentions("someone@example.com", (), ())),
    ],
)
def test_take_mentions(text: str, expected: Mentions) -> None:
    assert take_mentions(text) == expected


async def _with_numbers(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()  # U1's own: rung first
    await harness.save_number(ALICE, ALICE_NUMBER)
    await harness.save_number(BOB, BOB_NUMBER)


async def test_call_a_person_rings_their_saved_number_named_and_masked(
    harness: Harness,
) -> None:
    await _with_numbers(harness)
    _, said = await harness.command("/call", f"<@{ALICE}|alice>")
    assert said.endswith(f"then <@{ALICE}> (+•••••••0142)…"), said
    message = await harness.wait_for_message()
    assert f"<@{ALICE}> (+•••••••0142)" in text_of(message)
    assert ALICE_NUMBER not in text_of(message)
    (call,) = harness.sim.calls()
    assert (call.src, call.dst) == (SAVED, ALICE_NUMBER)

    # Named wherever the call is listed: /hangup's list, the report and its CSV.
    await harness.command("/hangup")
    listed = await harness.wait_for_reply("Your active calls")
    assert f"<@{ALICE}>" in listed and ALICE_NUMBER not in listed
    store = harness.main.app.store
    (record,) = await store.calls.get_calls([button_value(message.blocks, ids.HANG_UP)])
    assert record.named == {ALICE_NUMBER: ALICE}
    rows = list(
        csv.DictReader(
            io.StringIO(export_csv([record], {}, currency="USD", mask_visible=4).decode())
        )
    )
    assert rows[0]["to_slack_users"] == ALICE
    assert ALICE_NUMBER not in rows[0]["to"]


async def test_a_confirmation_shows_a_person_masked(harness: Harness) -> None:
    await harness.start(policy=Policy(confirm_above=Decimal("0.05")))
    await harness.save_number()
    await harness.save_number(ALICE, "4915123456789")  # 0.0790/min: above the threshold
    await harness.command("/call", f"<@{ALICE}>")
    text = await harness.wait_for_reply("Place it?")
    assert f"<@{ALICE}> (+•••••••••6789)" in text
    assert "4915123456789" not in text
    await harness.click(
        ids.CONFIRM_DIAL, button_value(last_reply_blocks(harness), ids.CONFIRM_DIAL)
    )
    message = await harness.wait_for_message()
    assert f"<@{ALICE}>" in text_of(message)  # the plan kept who it was, through the wait


async def test_call_a_person_from_a_typed_number(harness: Harness) -> None:
    await _with_numbers(harness)
    await harness.command("/call", f"+1 987 654 3210 <@{ALICE}>")
    await harness.wait_for_message()
    (call,) = harness.sim.calls()
    assert (call.src, call.dst) == (DST, ALICE_NUMBER)


async def test_conference_of_people_and_a_number(harness: Harness) -> None:
    await _with_numbers(harness)
    await harness.command("/conf", f"<@{ALICE}|alice> <@{BOB}|bob> +1 987 654 3210")
    message = await harness.wait_for_message()
    assert "Conference" in text_of(message)
    legs = harness.sim.calls()
    assert len({leg.conference_id for leg in legs}) == 1
    assert {ALICE_NUMBER, BOB_NUMBER, DST} <= {leg.dst for leg in legs}


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        (f"<@{BOB}|bob>", f"<@{BOB}> has no number for calls"),
        ("<@U1|me>", "That is you"),
        ("@bob", "I cannot tell who @bob is"),
        (f"<@{ALICE}> {DST} +1 416 555 0199", "`/call` takes one number to call"),
    ],
)
async def test_refused_before_anything_is_dialled(
    harness: Harness, text: str, refusal: str
) -> None:
    await harness.start()
    await harness.save_number()
    await harness.save_number(ALICE, ALICE_NUMBER)
    _, said = await harness.command("/call", text)  # said at once, in the acknowledgement
    assert refusal in said
    assert ALICE_NUMBER not in said and "0142" not in said
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_saving_a_number_says_colleagues_may_call_it(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", "set-number +1 416 555 0100")
    said = await harness.wait_for_reply("Saved")
    assert "`/call <@U1>`" in said


async def test_place_a_call_form_takes_a_colleague(harness: Harness) -> None:
    await _with_numbers(harness)
    await harness.shortcut(ids.SHORTCUT_PLACE_CALL)
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the form")
    view = harness.last_view()
    alice = {"type": "users_select", "selected_user": ALICE}
    # A colleague or a number, not both; and one of them.
    _, body = await harness.submit(view, {ids.INPUT_PEOPLE: alice, ids.INPUT_TO: DST})
    assert "not both" in body
    _, body = await harness.submit(view, {ids.INPUT_FROM: ""})
    assert '"response_action":"errors"' in body.replace(" ", "")
    assert harness.sim.requests_by_action["call_connect"] == 0
    await harness.submit(view, {ids.INPUT_PEOPLE: alice})
    message = await harness.wait_for_message("D1")  # no channel chosen: our DM
    assert f"<@{ALICE}>" in text_of(message)
    (call,) = harness.sim.calls()
    assert (call.src, call.dst) == (SAVED, ALICE_NUMBER)


async def test_new_conference_form_takes_colleagues_and_numbers(harness: Harness) -> None:
    await _with_numbers(harness)
    await harness.command("/conf", "")
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the form")
    view = harness.last_view()
    people = {"type": "multi_users_select", "selected_users": [ALICE, BOB]}
    await harness.submit(view, {ids.INPUT_PEOPLE: people, ids.INPUT_PARTICIPANTS: DST})
    message = await harness.wait_for_message()
    assert "Conference" in text_of(message)
    assert {ALICE_NUMBER, BOB_NUMBER, DST} <= {leg.dst for leg in harness.sim.calls()}


async def test_a_colleague_without_a_number_picked_in_a_form_is_refused(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.save_number()
    await harness.command("/conf", "")
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the form")
    people = {"type": "multi_users_select", "selected_users": [BOB]}
    await harness.submit(harness.last_view(), {ids.INPUT_PEOPLE: people})
    await harness.wait_for_reply(f"<@{BOB}> has no number for calls")
    assert harness.sim.requests_by_action["conference_connect"] == 0


@pytest.mark.parametrize(
    ("allowed", "profile", "expected"),
    [
        (True, {"phone": "+1 (416) 555-0177"}, "14165550177"),
        (False, {"phone": "+1 (416) 555-0177"}, "has no number for calls, so"),
        (True, {"phone": ""}, "has no number for calls or on their Slack profile"),
        (True, {"phone": "call me maybe"}, "Slack profile is not a number I can call"),
        (True, None, "has no number for calls or on their Slack profile"),  # not readable
    ],
)
async def test_a_profile_phone_where_the_workspace_allows_it(
    harness: Harness, allowed: bool, profile: dict[str, str] | None, expected: str
) -> None:
    await harness.start(policy=Policy(profile_phones=allowed))
    await harness.save_number()
    if profile is not None:
        harness.slack.profiles[BOB] = profile
    _, said = await harness.command("/call", f"<@{BOB}|bob>")
    if expected.isdigit():
        await harness.wait_for_message()
        (call,) = harness.sim.calls()
        assert call.dst == expected
        assert expected not in said  # masked for everyone else
        return
    assert expected in said
    assert "call me maybe" not in said  # their profile's text is not repeated
    assert harness.sim.requests_by_action["call_connect"] == 0
    # Read only where allowed: a workspace that does not allow it never asks Slack.
    asked = [c for c in harness.slack.calls if c.method == "users.profile.get"]
    assert bool(asked) == allowed


async def test_a_saved_number_wins_over_the_profile(harness: Harness) -> None:
    await harness.start(policy=Policy(profile_phones=True))
    await harness.save_number()
    await harness.save_number(ALICE, ALICE_NUMBER)
    harness.slack.profiles[ALICE] = {"phone": "+1 416 555 0177"}
    await harness.command("/call", f"<@{ALICE}>")
    await harness.wait_for_message()
    (call,) = harness.sim.calls()
    assert call.dst == ALICE_NUMBER
    assert harness.slack.calls_to("users.profile.get") == []


@pytest.mark.parametrize("on", [True, False])
def test_the_settings_form_shows_the_profile_phones_checkbox(on: bool) -> None:
    view = settings_modal(Policy(admins=frozenset({"U1"}), profile_phones=on), None)
    (block,) = [b for b in view["blocks"] if b["block_id"] == "profile_phones"]
    assert block["element"]["type"] == "checkboxes"
    assert block["hint"]["text"].endswith("can be called by name.")  # whole, not clipped
    assert bool(block["element"].get("initial_options")) is on
