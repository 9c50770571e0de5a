"""End to end under Slack's real limits: the fake enforces them (chat.update ~50 a
minute per workspace, chat.postMessage ~1 a second per channel), the app runs with its
production budget (45 updates a minute), cost-tick interval (15 s) and post spacing."""

from __future__ import annotations

from itertools import pairwise

from devtools.slack.fake_slack import FakeSlack

from .conftest import DST, SAVED, Harness, text_of

NUMBERS = [DST, "14165550100", "19876543211", "19876543212"]


async def test_several_calls_in_one_channel_under_slacks_limits(harness: Harness) -> None:
    """Four calls dialled at once in one channel: their messages are posted a second
    apart, every status change and final summary arrives, Slack never answers 429."""
    await harness.start(real_limits=True)
    for number in NUMBERS:
        await harness.command("/call", f"{SAVED} {number}")
    await harness.wait_for(lambda: len(harness.call_messages()) == 4, "4 messages", within=15)
    messages = harness.call_messages()
    posts = harness.slack.calls_to("chat.postMessage")
    assert all(b.at - a.at >= harness.slack.post_spacing for a, b in pairwise(posts))
    harness.clock.advance(6)
    for message in messages:
        await harness.wait_for(lambda m=message: "Connected" in text_of(m), "Connected")
    for call in harness.sim.calls():
        await harness.command("/hangup", str(call.id))
    for message in messages:
        await harness.wait_for(lambda m=message: "has ended" in text_of(m), "the summary")
    assert harness.slack.rate_limited == 0
    assert all(c.status != 429 for c in harness.slack.calls)


async def test_the_fakes_update_window_follows_the_test_clock() -> None:
    """Slack's chat.update window, counted on the clock the test moves."""
    now = [0.0]
    slack = FakeSlack(enforce_limits=True, update_limit=2, clock=lambda: now[0])
    await slack.start()
    try:
        from slack_sdk.errors import SlackApiError  # noqa: PLC0415
        from slack_sdk.web.async_client import AsyncWebClient  # noqa: PLC0415

        web = AsyncWebClient(token=slack.token, base_url=slack.api_url)
        posted = await web.chat_postMessage(channel="C1", text="v0")
        for version in (1, 2):
            await web.chat_update(channel="C1", ts=posted["ts"], text=f"v{version}")
        try:
            await web.chat_update(channel="C1", ts=posted["ts"], text="v3")
            raise AssertionError("a third update within the window went through")
        except SlackApiError as err:
            assert err.response.status_code == 429
            assert err.response.headers["Retry-After"] == "60"
        now[0] += 60.0  # a minute later, by the test's clock: the window has moved
        await web.chat_update(channel="C1", ts=posted["ts"], text="v3")
        assert slack.message("C1", posted["ts"]).text == "v3"
    finally:
        await slack.stop()
