"""The message updater alone: budget, priorities, coalescing, against the fake Slack."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from devtools.slack.fake_slack import FakeSlack
from slack_app.blocks.call_message import Rendered
from slack_app.live import updater as updater_module
from slack_app.live.budget import SlidingWindow, UpdateBudget
from slack_app.live.updater import MessageUpdater, Priority, Snapshot
from slack_app.slack_gateway import SlackGateway


class Source:
    """Messages whose content is a version number per key."""

    def __init__(self) -> None:
        self.version: dict[str, int] = {}
        self.where: dict[str, tuple[str, str]] = {}
        self.final: set[str] = set()
        self.finished: list[str] = []
        self.in_flight: set[str] = set()
        self.overlap = False

    def snapshot(self, key: str) -> Snapshot | None:
        channel, ts = self.where.get(key, (None, None))
        version = self.version.get(key, 0)
        return Snapshot(
            channel=channel,
            ts=ts,
            origin_channel="C1",
            origin_thread=None,
            user_id="U1",
            version=(version, key in self.final),
            final=key in self.final,
            render=lambda: Rendered(
                f"{key} v{version}",
                [{"type": "section", "text": {"type": "mrkdwn", "text": f"{key} v{version}"}}],
            ),
            look=lambda: (version, key in self.final),
        )

    def may_write(self, key: str) -> bool:
        return True

    async def posted(self, key: str, channel: str, ts: str) -> None:
        self.where[key] = (channel, ts)

    async def undeliverable(self, key: str, error: str) -> None:
        pass

    async def final_written(self, key: str) -> None:
        self.finished.append(key)


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack(
        token="xoxb-u", enforce_limits=True, update_limit=10, update_window=1.0, post_spacing=0.0
    )
    await fake.start()
    yield fake
    await fake.stop()


async def make(slack: FakeSlack, keys: int, **kw: Any) -> tuple[MessageUpdater, Source]:
    source = Source()
    gateway = SlackGateway(AsyncWebClient(token="xoxb-u", base_url=slack.api_url), post_spacing=0)
    for i in range(keys):
        result = await gateway.post_message("C1", "x", [])
        source.where[f"k{i}"] = ("C1", str(result.ts))
    updater = MessageUpdater(gateway, source, budget_window=1.0, **kw)
    return updater, source


async def test_many_messages_never_exceed_the_budget(slack: FakeSlack) -> None:
    updater, source = await make(slack, 12, budget_per_minute=9, progress_interval=0.2)
    try:
        for round_ in range(3):
            for i in range(12):
                source.version[f"k{i}"] = round_ + 1
                updater.mark(f"k{i}", "T1", Priority.STATUS if round_ == 0 else Priority.PROGRESS)
            await asyncio.sleep(0.3)
        for i in range(12):
            source.final.add(f"k{i}")
            updater.mark(f"k{i}", "T1", Priority.FINAL)
        for _ in range(400):
            if len(source.finished) == 12:
                break
            await asyncio.sleep(0.05)
    finally:
        await updater.stop()
    assert slack.rate_limited == 0
    assert sorted(source.finished) == sorted(f"k{i}" for i in range(12))
    for i in range(12):  # every message ends showing its final state
        message = slack.message("C1", source.where[f"k{i}"][1])
        assert message.text == f"k{i} v3"


async def test_final_and_status_go_before_cost_ticks(slack: FakeSlack) -> None:
    updater, source = await make(slack, 6, budget_per_minute=2, progress_interval=0.0)
    sent: list[str] = []
    updater.on_sent.append(lambda key, _since, _priority: sent.append(key))
    try:
        for i in range(4):
            source.version[f"k{i}"] = 1
            updater.mark(f"k{i}", "T1", Priority.PROGRESS)
        source.version["k4"] = 1
        updater.mark("k4", "T1", Priority.STATUS)
        source.version["k5"] = 1
        source.final.add("k5")
        updater.mark("k5", "T1", Priority.FINAL)
        for _ in range(200):
            if len(sent) == 6:
                break
            await asyncio.sleep(0.02)
    finally:
        await updater.stop()
    assert sent[:2] == ["k5", "k4"]


async def test_unchanged_messages_are_not_rewritten(slack: FakeSlack) -> None:
    updater, source = await make(slack, 1, budget_per_minute=100, progress_interval=0.0)
    try:
        source.version["k0"] = 1
        for _ in range(5):
            updater.mark("k0", "T1", Priority.STATUS)
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)
    finally:
        await updater.stop()
    assert len(slack.calls_to("chat.update")) == 1
    assert updater.stats.skipped >= 1


async def test_transport_errors_are_retried(slack: FakeSlack) -> None:
    updater, source = await make(slack, 1, budget_per_minute=100, progress_interval=0.0)
    await slack.stop()  # Slack unreachable
    try:
        source.version["k0"] = 1
        updater.mark("k0", "T1", Priority.STATUS)
        for _ in range(500):
            if updater.stats.transport_errors:
                break
            await asyncio.sleep(0.02)
        assert updater.stats.transport_errors == 1
        assert updater.pending() == 1  # still dirty, to be retried
    finally:
        await updater.stop()


def test_sliding_window() -> None:
    window = SlidingWindow(2, 10.0)
    assert window.next_allowed(0.0) == 0.0
    window.record(0.0)
    window.record(1.0)
    assert window.next_allowed(2.0) == 10.0
    assert window.next_allowed(10.5) == 10.5
    with pytest.raises(ValueError, match="limit"):
        SlidingWindow(0, 1.0)


def test_budget_spreads_and_pauses() -> None:
    budget = UpdateBudget(10, burst=2, window=60.0)
    budget.record(0.0)
    budget.record(0.0)
    assert budget.next_allowed(0.0) == pytest.approx(12.0)  # 2 per 12 s
    budget.pause(0.0, 30.0)
    assert budget.next_allowed(0.0) == 30.0


async def _until(condition: Any, what: str) -> None:
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - the updater's own task moves it on
            await asyncio.sleep(0.01)


async def test_a_first_post_refused_for_the_channel_rate_waits_and_posts(
    slack: FakeSlack,
) -> None:
    updater, source = await make(slack, 0, budget_per_minute=100, progress_interval=0.0)
    slack.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=0.1)
    try:
        updater.mark("new", "T1", Priority.STATUS)
        await _until(lambda: "new" in source.where, "the post after the pause")
    finally:
        await updater.stop()
    assert updater.stats.rate_limited == 1 and updater.stats.posted == 1
    assert [c.status for c in slack.calls if c.method == "chat.postMessage"] == [429, 200]


class Failing(Source):
    """A source that breaks on one key, and whose undeliverable() raises."""

    def __init__(self) -> None:
        super().__init__()
        self.undelivered: list[tuple[str, str]] = []

    def snapshot(self, key: str) -> Snapshot | None:
        if key == "gone":
            return None
        if key == "broken":
            raise RuntimeError("cannot render")
        return super().snapshot(key)

    async def undeliverable(self, key: str, error: str) -> None:
        self.undelivered.append((key, error))
        raise RuntimeError("the database is down")


async def test_one_broken_message_does_not_stop_the_others(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    updater, _ = await make(slack, 0, budget_per_minute=100, progress_interval=0.0)
    updater.source = source = Failing()
    source.where["k0"] = ("C1", str((await updater.gateway.post_message("C1", "x", [])).ts))
    source.version["k0"] = 1
    try:
        for key in ("gone", "broken", "k0"):
            updater.mark(key, "T1", Priority.STATUS)
        await _until(lambda: updater.stats.sent == 1, "k0's update")
    finally:
        await updater.stop()
    assert updater.stats.errors == 1  # the broken one, logged, and retried a minute later
    assert "Updating the Slack message of broken failed" in caplog.text
    assert slack.message(*source.where["k0"]).text == "k0 v1"
    assert updater.pending() == 1  # "broken" waits for its retry; "gone" is forgotten


async def test_refusals_slack_gives_for_a_message(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    updater, _ = await make(slack, 0, budget_per_minute=100, progress_interval=0.0)
    updater.source = source = Failing()
    for key in ("odd", "lost"):
        source.where[key] = ("C1", str((await updater.gateway.post_message("C1", "x", [])).ts))
        source.version[key] = 1
    # An error this app does not know: counted, logged and tried again after a pause.
    slack.fail_next("chat.update", "some_new_error")
    try:
        updater.mark("odd", "T1", Priority.STATUS)
        await _until(lambda: updater.stats.errors == 1, "the refusal")
        await _until(lambda: updater.stats.sent == 1, "the retry")
        # The channel is gone: moved to a DM; when that goes too, it is undeliverable.
        slack.fail_next("chat.update", "channel_not_found", times=2)
        updater.mark("lost", "T1", Priority.STATUS)
        await _until(lambda: source.undelivered, "the message given up")
        await _until(lambda: "Slack message task failed" in caplog.text, "the logged failure")
    finally:
        await updater.stop()
    assert "Slack failed the message of odd (some_new_error); retry 1 in 2s" in caplog.text
    assert slack.message(*source.where["odd"]).text == "odd v1"
    assert source.undelivered == [("lost", "channel_not_found")]
    assert source.where["lost"][0].startswith("D")  # it had moved to the owner's DM
    assert updater.pending() == 0


async def test_once_slack_takes_a_write_the_failed_ones_go_at_once(
    slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(updater_module, "RETRY_BACKOFF", (3600.0,))
    updater, _ = await make(slack, 0, budget_per_minute=100, progress_interval=0.0)
    updater.source = source = Failing()
    for key in ("failed", "fine"):
        source.where[key] = ("C1", str((await updater.gateway.post_message("C1", "x", [])).ts))
        source.version[key] = 1
    slack.fail_next("chat.update", "internal_error", status=500)
    try:
        updater.mark("failed", "T1", Priority.STATUS)
        await _until(lambda: updater.stats.transport_errors == 1, "the failure")
        updater.mark("fine", "T1", Priority.STATUS)  # goes through: Slack is back
        await _until(lambda: updater.stats.sent == 2, "both written, without the hour's wait")
    finally:
        await updater.stop()
    assert slack.message(*source.where["failed"]).text == "failed v1"
