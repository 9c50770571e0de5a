"""The App Home tab: active calls, today's spend, the saved number and its modal."""

from __future__ import annotations

import asyncio
from typing import Any

from devtools.slack.fake_slack import block_texts, button_value
from slack_app.blocks import ids
from slack_app.live.home import HomeRefresher
from slack_app.slack_gateway import SlackResult

from .conftest import DST, SAVED, Harness, text_of


def published(harness: Harness) -> dict[str, Any]:
    view: dict[str, Any] = harness.slack.calls_to("views.publish")[-1].args["view"]
    return view


def home_text(harness: Harness, user: str = "U1") -> str:
    """The last home tab published for `user` ("" if none)."""
    calls = [c for c in harness.slack.calls_to("views.publish") if c.args["user_id"] == user]
    return "\n".join(block_texts(calls[-1].args["view"]["blocks"])) if calls else ""


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
    # 61 s at 0.0219/min, today so far (the publish when the call was placed showed $0).
    await harness.wait_for(lambda: "$0.0223" in home_text(harness), "the home tab")
    view = published(harness)
    text = "\n".join(block_texts(view["blocks"]))
    assert f"+{SAVED}" in text
    assert "Your active calls (1)" in text

    # Hanging up from the home tab republishes it.
    key = button_value(view["blocks"], ids.HANG_UP)
    await harness.click(ids.HANG_UP, key, channel=None, view={"id": "VH", "type": "home"})
    await harness.wait_for(lambda: "has ended" in text_of(message), "ended")
    await harness.wait_for(lambda: "no active calls" in home_text(harness), "republish")


async def test_home_follows_calls_placed_and_ended(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    await harness.command("/call", DST)
    message = await harness.wait_for_message()
    # Placing the call publishes the home tab without it being opened.
    await harness.wait_for(lambda: "Your active calls (1)" in home_text(harness), "placed")
    harness.clock.advance(66)
    await harness.wait_for(lambda: "1m 01s" in text_of(message), "a minute")

    await harness.click(
        ids.HANG_UP, button_value(message.blocks, ids.HANG_UP), message_ts=message.ts
    )
    await harness.wait_for(lambda: "has ended" in text_of(message), "ended")
    await harness.wait_for(lambda: "no active calls" in home_text(harness), "republish")
    text = home_text(harness)
    assert "$0.0223" in text  # the final spend
    assert "Your active calls" not in text
    assert len(harness.slack.calls_to("views.publish")) <= 3  # coalesced, no storm


async def test_home_refresh_failure_does_not_stop_live_updates(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    harness.slack.fail_next("views.publish", "internal_error", times=5)

    def refused() -> list[str]:
        return [c.error for c in harness.slack.calls if c.method == "views.publish" and c.error]

    await harness.command("/call", DST)
    message = await harness.wait_for_message()
    await harness.wait_for(refused, "the home tab's refresh to be refused")
    assert set(refused()) == {"internal_error"}
    harness.clock.advance(66)  # after the failure, the call's message still goes on
    await harness.wait_for(lambda: "1m 01s" in text_of(message), "live updates go on")


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
    assert await harness.main.app.store.workspaces.saved_number("T0TEST", "U1") == SAVED
    dm = await harness.wait_for_message(channel="D1")
    assert "Saved" in dm.text


async def test_messages_tab_is_ignored(harness: Harness) -> None:
    await harness.start()
    status, _ = await harness.event({"type": "app_home_opened", "user": "U1", "tab": "messages"})
    assert status == 200
    assert harness.slack.calls_to("views.publish") == []


class RecordingGateway:
    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []

    async def views_publish(self, user_id: str, view: dict[str, Any]) -> SlackResult:
        self.published.append((user_id, view))
        return SlackResult(ok=True)


async def test_home_refreshes_are_coalesced_and_failures_ignored() -> None:
    gateway = RecordingGateway()
    builds: list[str] = []
    gate = asyncio.Event()

    async def build(team_id: str, user_id: str) -> dict[str, Any]:
        builds.append(user_id)
        if user_id == "UBAD":
            raise RuntimeError("the store is down")
        await gate.wait()
        return {"type": "home", "n": len(builds)}

    home = HomeRefresher(gateway, build, spacing=0.0)  # type: ignore[arg-type]
    for _ in range(3):  # a burst before the first publish: one publish
        home.request("T", "U1")
    home.request("T", "UBAD")
    await asyncio.sleep(0)
    home.request("T", "U1")  # while building: one more publish, with the newer state
    gate.set()
    await asyncio.wait_for(asyncio.gather(*home._tasks.values()), 5)
    assert [user for user, _ in gateway.published] == ["U1", "U1"]
    assert builds.count("U1") == 2 and builds.count("UBAD") == 1
    await home.stop()
