"""What a user is told when a request cannot be done as asked, and that nothing was
dialled or ended because of it: typos, stale buttons, calls ended elsewhere, admins
ending calls placed outside Slack, and a status message Slack will not take anywhere."""

from __future__ import annotations

from devtools.slack.fake_slack import button_value
from slack_app.blocks import ids
from slack_app.policy import Policy
from talkety_core import TalketyClient

from .conftest import DST, SAVED, SIM_APP_KEY, SIM_PASSWORD, SIM_USER, Harness, text_of

OTHER = "14165550100"
ADMIN = "UADMIN"


def _api(harness: Harness) -> TalketyClient:
    return TalketyClient(SIM_APP_KEY, SIM_USER, SIM_PASSWORD, base_url=harness.sim_server.base_url)


async def test_typing_mistakes_are_answered_and_nothing_is_dialled(harness: Harness) -> None:
    await harness.start()
    status, body = await harness.command("/price", "")
    assert status == 200 and body.startswith("`/price <number>")  # its help, at once
    many = " ".join(f"+1 416 555 {i:04d}" for i in range(51))
    await harness.command("/price", many)
    await harness.wait_for_reply("I can price at most 50 numbers at once.")
    await harness.command("/call", f"{SAVED} {SAVED}")
    await harness.wait_for_reply("You can't call the number you are calling from.")
    await harness.command("/call", f"set-number {SAVED} {DST}")
    await harness.wait_for_reply("Give me exactly one number")
    assert harness.sim.requests_by_action["call_connect"] == 0
    assert harness.sim.requests_by_action["pricing"] == 0


async def test_stale_or_forged_buttons_change_nothing(harness: Harness) -> None:
    await harness.start()
    await harness.click(ids.HANG_UP, "no-such-call")
    await harness.wait_for_reply("I don't know that call.")
    await harness.click(ids.CONFIRM_DIAL, "no-such-confirmation")
    await harness.wait_for_reply("That confirmation is no longer valid.")
    await harness.command("/call", f"{SAVED} {DST}")  # a call, not a conference
    message = await harness.wait_for_message()
    key = button_value(message.blocks, ids.HANG_UP)
    await harness.click(ids.LEG_HANG_UP, f"{key}:1")
    await harness.wait_for_reply("That conference has already ended.")
    assert harness.sim.requests_by_action["call_disconnect"] == 0
    assert "Traceback" not in harness.slack.all_response_text()


async def test_refresh_rewrites_the_message_from_talkety(harness: Harness) -> None:
    await harness.start()
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    key = button_value(message.blocks, ids.REFRESH)
    # Followed once polled: a click before that finds nothing to refresh yet.
    await harness.wait_for(lambda: harness.main.app.tracker.state_of(key), "the first poll")
    writes = len(harness.slack.calls_to("chat.update"))
    assert writes == 0  # the first poll changed nothing shown: no rewrite
    await harness.click(ids.REFRESH, key)
    await harness.wait_for(
        lambda: len(harness.slack.calls_to("chat.update")) > writes, "the refreshed message"
    )


async def test_conference_buttons_after_the_conference_or_its_leg_ended(
    harness: Harness,
) -> None:
    await harness.start()
    await harness.command("/conf", f"{SAVED} {DST}, {OTHER}")
    message = await harness.wait_for_message()
    harness.clock.advance(10)
    await harness.wait_for(lambda: text_of(message).count("Connected") >= 3, "all legs up")
    key = button_value(message.blocks, ids.HANG_UP)
    leg_value = button_value(message.blocks, ids.LEG_HANG_UP)
    await harness.click(ids.LEG_HANG_UP, f"{key}:999999")
    await harness.wait_for_reply("That participant is not in this conference.")

    # The participant hangs up (on their phone) before the button is clicked.
    async with _api(harness) as api:
        await api.call_disconnect(leg_value.partition(":")[2])
    await harness.click(ids.LEG_HANG_UP, leg_value)
    await harness.wait_for_reply("That participant has already left.")

    # The conference ends elsewhere; its buttons then say so.
    record = await harness.main.app.store.calls.get_call(key)
    assert record is not None and record.subject_id is not None
    async with _api(harness) as api:
        await api.conference_disconnect(record.subject_id)
    await harness.wait_for(lambda: "has ended" in text_of(message), "final")
    await harness.click(ids.ADD_PARTICIPANT, key)
    await harness.wait_for_reply("That conference has already ended.")
    await harness.click(ids.LEG_HANG_UP, leg_value)
    await harness.wait_for_reply("That conference has already ended.")
    assert harness.sim.requests_by_action["conference_add"] == 0
    assert harness.slack.calls_to("views.open") == []


async def test_admins_end_calls_and_conferences_placed_outside_slack(harness: Harness) -> None:
    await harness.start(policy=Policy(admins=frozenset({ADMIN})))
    async with _api(harness) as api:
        call_id = await api.call_connect(SAVED, DST)
        conference_id = await api.conference_connect(SAVED, [OTHER])
        await harness.command("/hangup", call_id, user="U2")
        await harness.wait_for_reply(f"I don't know a call `{call_id}` started from Slack")
        assert (await api.call_status(call_id)).is_active  # not an admin: nothing ended
        await harness.command("/hangup", call_id, user=ADMIN)
        await harness.wait_for_reply(f"Hung up `{call_id}`.")
        await harness.command("/hangup", conference_id, user=ADMIN)
        await harness.wait_for_reply(f"Hung up `{conference_id}`.")
        assert not (await api.call_status(call_id)).is_active
        assert not (await api.conference_status(conference_id)).is_active
    log = await harness.main.app.store.audit.latest()
    hangups = {e["subject_id"] for e in log if e["action"] == "hangup"}
    assert hangups == {call_id, conference_id}  # every paid-for action attributable


async def test_an_id_that_is_both_a_call_and_a_conference_is_never_guessed(
    harness: Harness,
) -> None:
    """Talkety numbers calls and conferences separately: one id can name both. An admin's
    /hangup of such an id ends neither until they say which."""
    await harness.start(policy=Policy(admins=frozenset({ADMIN})))
    async with _api(harness) as api:
        conference_id = await api.conference_connect(SAVED, [OTHER])
        while (call_id := await api.call_connect(SAVED, DST)) != conference_id:
            await api.call_disconnect(call_id)  # until the call ids reach the conference's
        await harness.command("/hangup", call_id, user=ADMIN)
        await harness.wait_for_reply(f"`{call_id}` is both a call and a conference")
        assert (await api.call_status(call_id)).is_active
        assert (await api.conference_status(conference_id)).is_active
        await harness.command("/hangup", f"conference {conference_id}", user=ADMIN)
        await harness.wait_for_reply(f"Hung up `{conference_id}`.")
        assert not (await api.conference_status(conference_id)).is_active
        assert (await api.call_status(call_id)).is_active
        await harness.command("/hangup", call_id, user=ADMIN)  # only the call is live now
        await harness.wait_for(
            lambda: harness.slack.all_response_text().count(f"Hung up `{call_id}`.") == 2,
            "the call hung up",
        )
        assert not (await api.call_status(call_id)).is_active


async def test_a_status_message_slack_takes_nowhere_is_said_and_the_call_still_listed(
    harness: Harness,
) -> None:
    await harness.start()
    harness.slack.fail_next("chat.postMessage", "channel_not_found")
    harness.slack.fail_next("chat.postMessage", "cannot_dm_bot")  # nor in a DM
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for_reply("I can't post its status anywhere (cannot_dm_bot)")
    (call,) = harness.sim.calls()
    await harness.command("/hangup", "")
    await harness.wait_for_reply("Your active calls")  # still listed, so still endable
    await harness.command("/hangup", str(call.id))
    await harness.wait_for_reply(f"Hung up call `{call.id}`")
    assert harness.call_messages() == []


async def test_a_call_and_a_conference_under_one_id_are_both_followed(harness: Harness) -> None:
    """Talkety numbers calls and conferences separately. A call from Slack that gets the
    id of a conference from Slack is recorded and followed on its own; ending one leaves
    the other, and /hangup of the id asks which while both are live."""
    await harness.start()
    await harness.save_number()
    await harness.command("/conf", f"{DST}, {OTHER}")
    conference = await harness.wait_for_message()
    [placed] = await harness.main.app.store.calls.live_calls()
    conference_id = placed.subject_id
    assert conference_id is not None
    async with _api(harness) as api:
        while int(call_id := await api.call_connect(SAVED, DST)) < int(conference_id) - 1:
            await api.call_disconnect(call_id)
        await api.call_disconnect(call_id)
    await harness.command("/call", OTHER)
    call = await harness.wait_for_message(count=2)
    harness.clock.advance(10)
    await harness.wait_for(lambda: f"`{conference_id}`" in text_of(call), "the call, live")
    await harness.command("/hangup", conference_id)
    await harness.wait_for_reply(f"`{conference_id}` is both a call and a conference")
    await harness.command("/hangup", f"call {conference_id}")
    await harness.wait_for_reply(f"Hung up call `{conference_id}`")
    await harness.wait_for(lambda: "has ended" in text_of(call), "the call's summary")
    harness.clock.advance(5)
    await harness.wait_for(lambda: "Connected" in text_of(conference), "the conference, live")
    assert "has ended" not in text_of(conference)
    await harness.command("/hangup", conference_id)  # only the conference is live now
    await harness.wait_for_reply(f"Hung up conference `{conference_id}`")
    await harness.wait_for(lambda: "has ended" in text_of(conference), "its summary")
