"""The App Home tab: active calls, today's spend, the saved number and its modal."""

from __future__ import annotations

from typing import Any

from slack_app.blocks import ids

from .conftest import DST, SAVED, Harness, text_of
from .fake_slack import block_texts, button_value


def published(harness: Harness) -> dict[str, Any]:
    view: dict[str, Any] = harness.slack.calls_to("views.publish")[-1].args["view"]
    return view


async def test_home_shows_calls_spend_and_number(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    await harness.command("/call", DST)
    message = await harness.wait_for_message()
    harness.clock.advance(66)
    await harness.wait_for(lambda: "1m 01s" in text_of(message), "a minute")
    await harness.main.app.tracker._guard_tick()  # persist the running cost now

    status, _ = await harness.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    assert status == 200
    await harness.wait_for(lambda: harness.slack.calls_to("views.publish"), "the home tab")
    view = published(harness)
    text = "\n".join(block_texts(view["blocks"]))
    assert f"+{SAVED}" in text
    assert "Your active calls (1)" in text
    assert "$0.0223" in text  # 61 s at 0.0219/min, today so far

    # Hanging up from the home tab republishes it.
    key = button_value(view["blocks"], ids.HANG_UP)
    await harness.click(ids.HANG_UP, key, channel=None, view={"id": "VH", "type": "home"})
    await harness.wait_for(lambda: "has ended" in text_of(message), "ended")
    await harness.wait_for(lambda: len(harness.slack.calls_to("views.publish")) == 2, "republish")


async def test_set_number_from_home(harness: Harness) -> None:
    await harness.start()
    await harness.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    await harness.wait_for(lambda: harness.slack.calls_to("views.publish"), "the home tab")
    assert "_not set_" in "\n".join(block_texts(published(harness)["blocks"]))

    await harness.click(ids.SET_NUMBER, "set", channel=None, view={"id": "VH", "type": "home"})
    await harness.wait_for(lambda: harness.slack.calls_to("views.open"), "the modal")
    view = harness.slack.calls_to("views.open")[-1].args["view"]
    status, body = await harness.submit(view, {ids.INPUT_NUMBER: "no digits"})
    assert '"response_action":"errors"' in body.replace(" ", "")
    status, body = await harness.submit(view, {ids.INPUT_NUMBER: "+1 (123) 456-7890"})
    assert (status, body) == (200, "")
    await harness.wait_for(lambda: len(harness.slack.calls_to("views.publish")) == 2, "republish")
    assert f"+{SAVED}" in "\n".join(block_texts(published(harness)["blocks"]))
    assert await harness.main.app.store.saved_number("T0TEST", "U1") == SAVED
    dm = await harness.wait_for_message(channel="D1")
    assert "Saved" in dm.text


async def test_messages_tab_is_ignored(harness: Harness) -> None:
    await harness.start()
    status, _ = await harness.event({"type": "app_home_opened", "user": "U1", "tab": "messages"})
    assert status == 200
    assert harness.slack.calls_to("views.publish") == []
