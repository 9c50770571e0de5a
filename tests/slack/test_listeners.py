"""Listeners called the way Bolt calls them, as the Bolt starter template tests them: a
flat callback, Bolt's injected arguments, and the app's services in `context`."""

from __future__ import annotations

from typing import Any

from devtools.slack.fake_slack import TEAM_ID
from slack_app.listeners.commands.conf import conf_command
from slack_app.listeners.commands.hangup import hangup_command
from slack_app.listeners.commands.price import price_command
from slack_app.listeners.common import CONTEXT_KEY

from .conftest import DST, Harness


class Ack:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def __call__(self, **answer: Any) -> None:
        self.calls.append(answer)


def command(harness: Harness, name: str, text: str, **more: Any) -> dict[str, Any]:
    return {
        "command": name,
        "text": text,
        "team_id": TEAM_ID,
        "user_id": "U1",
        "channel_id": "C1",
        "response_url": harness.slack.response_url(f"direct-{name.strip('/')}"),
        **more,
    }


async def test_help_and_usage_mistakes_are_answered_in_the_ack(harness: Harness) -> None:
    await harness.start()
    context = {CONTEXT_KEY: harness.main.app.context}
    ack = Ack()
    await price_command(ack, command(harness, "/price", "help"), context)
    await hangup_command(ack, command(harness, "/hangup", "1 2"), context)
    await hangup_command(ack, command(harness, "/hangup", "conference 263 264"), context)
    first, second, third = (call["text"] for call in ack.calls)
    assert first.startswith("`/price <number>")
    assert second.startswith(":warning: One id at a time") and third == second
    assert sum(harness.sim.requests_by_action.values()) == 0  # nothing asked of Talkety


async def test_work_after_the_ack_uses_the_services_in_context(harness: Harness) -> None:
    await harness.start()
    context = {CONTEXT_KEY: harness.main.app.context}
    ack = Ack()
    await price_command(ack, command(harness, "/price", f"+{DST}"), context)
    assert ack.calls == [{}]  # acknowledged at once; the price follows
    await harness.wait_for_reply("/min")
    assert harness.sim.requests_by_action["pricing"] == 1


async def test_a_command_without_a_trigger_is_told_kindly(harness: Harness) -> None:
    await harness.start()
    await harness.save_number()
    context = {CONTEXT_KEY: harness.main.app.context}
    ack = Ack()
    await conf_command(ack, command(harness, "/conf", ""), context)  # no trigger_id
    assert ack.calls == [{}]
    await harness.wait_for_reply("Something went wrong on my side")
    assert harness.slack.calls_to("views.open") == []
