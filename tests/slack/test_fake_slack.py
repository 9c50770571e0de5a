"""The fake Slack refuses what the real one refuses, and the app copes with each refusal."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from devtools.slack.fake_slack import (
    MAX_ACTIONS_ELEMENTS,
    MAX_BLOCK_TEXT,
    MAX_MESSAGE_BLOCKS,
    FakeSlack,
    block_error,
)

from .conftest import BOT_TOKEN, DST, Harness


def _section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_block_limits() -> None:
    assert block_error([_section("x")] * MAX_MESSAGE_BLOCKS, MAX_MESSAGE_BLOCKS) is None
    too_many = [_section("x")] * (MAX_MESSAGE_BLOCKS + 1)
    assert block_error(too_many, MAX_MESSAGE_BLOCKS) == "invalid_blocks"
    assert block_error([_section("x" * MAX_BLOCK_TEXT)], 50) is None
    assert block_error([_section("x" * (MAX_BLOCK_TEXT + 1))], 50) == "invalid_blocks"
    button = {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a"}
    actions = {"type": "actions", "elements": [button] * (MAX_ACTIONS_ELEMENTS + 1)}
    assert block_error([actions], 50) == "invalid_blocks"


async def _web(harness: Harness) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=harness.slack.api_url)


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
async def test_unknown_methods_and_refused_messages(harness: Harness) -> None:
    web = await _web(harness)
    with pytest.raises(SlackApiError) as err:
        await web.api_call("chat.scheduleMessage", json={"channel": "C1", "text": "hi"})
    assert err.value.response["error"] == "unknown_method"
    for args, error in (
        ({"channel": "C1"}, "no_text"),
        ({"channel": "", "text": "hi"}, "channel_not_found"),
        ({"channel": "C1", "text": "x", "blocks": [_section("x")] * 51}, "invalid_blocks"),
    ):
        with pytest.raises(SlackApiError) as err:
            await web.chat_postMessage(**args)
        assert err.value.response["error"] == error


async def test_a_trigger_opens_one_view_within_three_seconds(harness: Harness) -> None:
    slack: FakeSlack = harness.slack
    web = await _web(harness)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "t"}, "blocks": []}
    for trigger_id, error in (
        ("never-issued", "invalid_trigger_id"),
        ("", "invalid_trigger_id"),
    ):
        with pytest.raises(SlackApiError) as err:
            await web.views_open(trigger_id=trigger_id, view=view)
        assert err.value.response["error"] == error
    trigger = slack.issue_trigger()
    assert (await web.views_open(trigger_id=trigger, view=view))["ok"]
    with pytest.raises(SlackApiError) as err:
        await web.views_open(trigger_id=trigger, view=view)
    assert err.value.response["error"] == "trigger_exchanged"
    late = slack.issue_trigger()
    slack.age_triggers(3.5)
    with pytest.raises(SlackApiError) as err:
        await web.views_open(trigger_id=late, view=view)
    assert err.value.response["error"] == "expired_trigger_id"


async def test_an_expired_trigger_is_answered_in_words(harness: Harness) -> None:
    """/conf opens a form; when Slack refuses it (the trigger expired), the user is told
    to type the numbers instead."""
    await harness.start()
    harness.slack.age_triggers(10)  # the next command's trigger must still work ...
    await harness.command("/conf")
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the form")
    # ... and one that expired is told, not silently dropped.
    original = harness.slack.issue_trigger

    def expired() -> str:
        trigger = original()
        harness.slack.age_triggers(5)
        return trigger

    harness.slack.issue_trigger = expired  # type: ignore[method-assign]
    await harness.command("/conf")
    await harness.wait_for_reply("I couldn't open the form")


async def test_a_failed_response_url_falls_back_to_an_ephemeral_message(
    harness: Harness,
) -> None:
    await harness.start()
    harness.slack.fail_responses(1)
    await harness.command("/price", DST)
    await harness.wait_for(
        lambda: any("/min" in t for t in harness.slack.ephemeral_texts()), "the price"
    )
    [ephemeral] = harness.slack.calls_to("chat.postEphemeral")
    assert ephemeral.args["user"] == "U1"
    assert harness.slack.failing_responses == 0  # the response_url was tried first
