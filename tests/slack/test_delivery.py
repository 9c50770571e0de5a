"""A status may be late, never wrong for good: Slack's passing failures are retried until
the message lands, messages that can no longer be edited are replaced, and whatever an
instance left undone (it died between the dial and the post, or before the final
summary) is found and delivered by the next one. /healthz says how far behind it is."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from devtools.slack.fake_slack import button_value
from slack_app.blocks import ids
from slack_app.live import updater

from .conftest import DST, LEASE_TTL, SAVED, Harness, text_of


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The production schedule (2 s, 4 s, ... 60 s), a hundred times faster."""
    monkeypatch.setattr(updater, "RETRY_BACKOFF", tuple(s / 100 for s in updater.RETRY_BACKOFF))


async def _connected_call(harness: Harness, **settings: Any) -> Any:
    await harness.start(**settings)
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "Connected")
    return message


async def _hang_up(harness: Harness, message: Any) -> None:
    await harness.click(ids.HANG_UP, button_value(message.blocks, ids.HANG_UP))


async def _caught_up(harness: Harness) -> None:
    """Until /healthz shows nothing behind (the record follows the message it was for)."""
    for _ in range(200):
        health = await _health(harness)
        if health["messages_behind"] == 0 and health["writes_waiting"] == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"still behind: {health}")


async def _health(harness: Harness) -> dict[str, Any]:
    url = harness.main.server.url.replace("/slack/events", "/healthz")
    async with harness.session.get(url) as response:
        assert response.status == 200
        health: dict[str, Any] = await response.json()
        return health


@pytest.mark.parametrize(
    ("error", "status", "times"),
    [
        ("internal_error", 200, 1),
        ("fatal_error", 500, 3),
        ("service_unavailable", 503, 8),  # past the schedule's end: it repeats
        ("request_timeout", 200, 2),
    ],
)
async def test_a_final_summary_slack_fails_passingly_lands_in_the_end(
    harness: Harness, error: str, status: int, times: int
) -> None:
    message = await _connected_call(harness)
    harness.slack.fail_next("chat.update", error, status=status, times=times)
    await _hang_up(harness, message)
    await harness.wait_for(lambda: "has ended" in text_of(message), "the final summary", within=30)
    assert ids.HANG_UP not in str(message.blocks)
    await _caught_up(harness)


@pytest.mark.parametrize("error", ["cant_update_message", "edit_window_closed"])
async def test_a_message_that_cannot_be_edited_is_replaced_and_points_on(
    harness: Harness, error: str
) -> None:
    message = await _connected_call(harness)
    harness.slack.fail_next("chat.update", error, times=1)
    await _hang_up(harness, message)
    await harness.wait_for(lambda: len(harness.call_messages()) >= 2, "a fresh message")
    fresh = harness.call_messages()[-1]
    await harness.wait_for(lambda: "has ended" in text_of(fresh), "the summary in it")
    await harness.wait_for(lambda: harness.slack.replies_to(message), "the pointer")
    (reply,) = harness.slack.replies_to(message)
    assert "goes on in a newer message" in reply.text


async def test_a_first_post_slack_fails_passingly_is_posted_later(harness: Harness) -> None:
    await harness.start()
    harness.slack.fail_next("chat.postMessage", "internal_error", status=500, times=2)
    await harness.command("/call", f"{SAVED} {DST}")
    message = await harness.wait_for_message()
    assert "started by <@U1>" in text_of(message)
    assert "can't post" not in harness.slack.all_response_text()


async def test_an_instance_that_died_before_the_first_post_leaves_it_to_the_next(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(updater, "RETRY_BACKOFF", (3600.0,))  # it would retry, but dies first
    first = await harness.start(instance_id="A")
    # The post when dialled, and the updater's first try after it.
    harness.slack.fail_next("chat.postMessage", "internal_error", status=500, times=2)
    await harness.command("/call", f"{SAVED} {DST}")
    await harness.wait_for(
        lambda: len([c for c in harness.slack.calls if c.error == "internal_error"]) == 2,
        "the failed posts",
    )
    behind = await _health(harness)
    assert behind["messages_behind"] == 1 and behind["writes_waiting"] == 1
    await first.stop(release=False, grace=0)  # a crash

    await harness.start(instance_id="B")
    harness.clock.advance(LEASE_TTL + 1)
    message = await harness.wait_for_message(within=15)
    assert "started by <@U1>" in text_of(message)
    assert len(harness.sim.calls()) == 1  # posted, never dialled again
    await harness.wait_for(
        lambda: harness.main.app.tracker.updater.behind() == (0, 0.0), "nothing waiting"
    )


async def test_a_final_summary_left_undone_by_a_dead_instance_is_written_by_the_next(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = await _connected_call(harness, instance_id="A")
    monkeypatch.setattr(updater, "RETRY_BACKOFF", (3600.0,))
    harness.slack.fail_next("chat.update", "internal_error", status=500)
    await _hang_up(harness, message)
    await harness.wait_for(
        lambda: [c for c in harness.slack.calls if c.method == "chat.update" and c.error],
        "the failed summary",
    )
    assert "has ended" not in text_of(message)
    health = await _health(harness)
    assert health["messages_behind"] == 1
    await harness.main.stop(release=False, grace=0)  # a crash before the retry

    await harness.start(instance_id="B")
    harness.clock.advance(LEASE_TTL + 1)
    await harness.wait_for(lambda: "has ended" in text_of(message), "the summary", within=15)
    await _caught_up(harness)


async def test_health_reports_the_backlog_through_an_outage_of_chat_update(
    harness: Harness,
) -> None:
    message = await _connected_call(harness)
    harness.slack.fail_next("chat.update", "service_unavailable", status=503, times=10_000)
    await _hang_up(harness, message)
    await harness.wait_for(
        lambda: len([c for c in harness.slack.calls if c.error == "service_unavailable"]) >= 3,
        "the outage",
    )
    harness.clock.advance(90)
    during = await _health(harness)
    assert during["messages_behind"] == 1 and during["oldest_lag_seconds"] >= 90
    assert during["writes_waiting"] == 1
    harness.slack.script["chat.update"].clear()  # Slack recovers
    await harness.wait_for(lambda: "has ended" in text_of(message), "the summary", within=30)
    await _caught_up(harness)
