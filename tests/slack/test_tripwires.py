"""Tripwires: each pattern alerts the admins once (their channel and DMs), and each
one-click action works, is shown on the alert and is audited."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from devtools.slack.fake_slack import TEAM_ID, Message, action_ids, block_error, button_value
from slack_app.blocks import ids
from slack_app.blocks.alert import alert_message
from slack_app.policy import Policy
from slack_app.store import AuditAction
from slack_app.store.guards import Alert
from slack_app.tripwires import (
    PastCall,
    Pattern,
    range_prefix,
    short_calls,
    spend_spike,
    unusual_hour,
)

from .conftest import DST, SAVED, Harness, stored_call, text_of

ALERTS = "C8"
WATCHED = Policy(admins=frozenset({"U9"}), alerts_channel=ALERTS, rate_limit=(0, 60))
UK = "+44 20 7946 0000"


async def ended_call(harness: Harness, at: datetime, dst: str = DST) -> None:
    """A call from U1 that ended long ago (history the tripwires read)."""
    store = harness.main.app.store
    record = await stored_call(store, at, team_id=TEAM_ID, dsts=(dst,))
    await store.calls.set_placed(record.key, f"old-{record.key}")
    await store.calls.finish(
        record.key, status="disconnected", cost=Decimal("0.02"), duration=60, now=at
    )


async def alerts(harness: Harness, count: int = 1) -> list[Message]:
    await harness.wait_for_message(ALERTS, count)
    return harness.call_messages(ALERTS)


async def tripwire_entries(harness: Harness) -> list[dict[str, Any]]:
    audit = await harness.main.app.store.audit.latest()
    return [json.loads(str(a["detail"])) for a in audit if a["action"] == AuditAction.TRIPWIRE]


async def click_alert(harness: Harness, alert: Message, action: str, user: str = "U9") -> None:
    """Click `action` on the alert (every button carries the alert's id)."""
    alert_id = button_value(alert.blocks, ids.TRIP_BLOCK)
    await harness.click(action, alert_id, user=user, channel=ALERTS)


def replaced_alert(harness: Harness) -> dict[str, Any]:
    """The alert as the last click left it ({} before any)."""
    replaced = [r for r in harness.slack.responses if r.get("replace_original")]
    return replaced[-1] if replaced else {"blocks": []}


async def test_a_first_call_abroad_alerts_once_in_the_channel_and_each_admins_dm(
    harness: Harness,
) -> None:
    await harness.start(policy=WATCHED)
    await harness.save_number("U1", SAVED)
    await harness.command("/call", DST)  # home country: no alert
    await harness.wait_for_message()
    await harness.command("/call", UK)
    await harness.wait_for_message(count=2)
    (alert,) = await alerts(harness)
    assert "first call to a country" in text_of(alert)
    assert "<@U1> placed this workspace's first call to GB (+44)" in text_of(alert)
    assert set(action_ids(alert.blocks)) == {ids.TRIP_BLOCK, ids.TRIP_PAUSE, ids.TRIP_HANG_UP}
    dm = await harness.wait_for_message("D9")  # the admin's DM too
    assert dm.blocks == alert.blocks
    await harness.command("/call", "+44 20 7946 0001")  # the country is seen now
    await harness.wait_for_message(count=3)
    await asyncio.sleep(0.3)
    assert len(harness.call_messages(ALERTS)) == len(harness.call_messages("D9")) == 1
    (entry,) = await tripwire_entries(harness)
    assert (entry["pattern"], entry["prefix"]) == (Pattern.NEW_COUNTRY, "44")


async def test_countries_called_before_tripwires_existed_are_not_new(harness: Harness) -> None:
    await harness.start(policy=WATCHED)
    await ended_call(harness, harness.clock.now() - timedelta(days=40), "442079460000")
    await harness.save_number("U1", SAVED)
    await harness.command("/call", UK)
    await harness.wait_for_message()
    await asyncio.sleep(0.3)
    assert harness.call_messages(ALERTS) == []


async def test_block_this_prefix_refuses_calls_until_unblocked(harness: Harness) -> None:
    await harness.start(policy=WATCHED)
    await harness.save_number("U1", SAVED)
    await harness.command("/call", UK)
    (alert,) = await alerts(harness)
    await click_alert(harness, alert, ids.TRIP_BLOCK, user="U1")  # not an admin
    await harness.wait_for_reply("Only the app's admins can act on fraud alerts")

    await click_alert(harness, alert, ids.TRIP_BLOCK)
    await harness.wait_for(lambda: any(r.get("replace_original") for r in harness.slack.responses))
    shown = replaced_alert(harness)
    assert "blocked +44 by <@U9>" in json.dumps(shown["blocks"])
    assert ids.TRIP_UNBLOCK in action_ids(shown["blocks"])
    await harness.command("/call", "+44 20 7946 0002")
    await harness.wait_for_reply("numbers starting with +44 are blocked")
    assert harness.sim.requests_by_action["call_connect"] == 1

    await click_alert(harness, alert, ids.TRIP_UNBLOCK)
    await harness.wait_for(lambda: "unblocked +44" in json.dumps(replaced_alert(harness)["blocks"]))
    await harness.command("/call", "+44 20 7946 0003")
    await harness.wait_for_message(count=2)
    audit = await harness.main.app.store.audit.latest()
    done = [json.loads(str(a["detail"]))["did"] for a in audit if a["action"] == AuditAction.GUARD]
    assert done[::-1] == ["blocked", "unblocked"]


async def test_pause_this_user_and_hang_up_their_calls(harness: Harness) -> None:
    await harness.start(policy=WATCHED)
    await harness.save_number("U1", SAVED)
    await harness.command("/call", UK)
    call = await harness.wait_for_message()
    (alert,) = await alerts(harness)
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(call), "connected")

    await click_alert(harness, alert, ids.TRIP_HANG_UP)
    await harness.wait_for(lambda: "has ended" in text_of(call), "hung up")
    assert harness.sim.requests_by_action["call_disconnect"] == 1
    await click_alert(harness, alert, ids.TRIP_PAUSE)
    await harness.wait_for(
        lambda: "paused <@U1> by <@U9>" in json.dumps(replaced_alert(harness)["blocks"])
    )
    shown = json.dumps(replaced_alert(harness)["blocks"])
    assert "hung up <@U1>'s running calls by <@U9>" in shown
    await harness.command("/call", DST)
    await harness.wait_for_reply("An admin paused your calls after a fraud alert")
    assert harness.sim.requests_by_action["call_connect"] == 1

    await click_alert(harness, alert, ids.TRIP_RESUME)
    await harness.wait_for(
        lambda: "resumed <@U1>'s calls" in json.dumps(replaced_alert(harness)["blocks"])
    )
    await harness.command("/call", DST)
    await harness.wait_for_message(count=2)


async def test_many_short_calls_to_one_prefix_alert_once(harness: Harness) -> None:
    await harness.start(policy=WATCHED)
    await harness.save_number("U1", SAVED)
    for n in range(6):  # busy numbers (they end in 486): over at once, 0 s each
        await harness.command("/call", f"+1 416 555 {n}486")
        await harness.wait_for_message(count=n + 1)
    harness.clock.advance(10)
    found = await alerts(harness)
    await asyncio.sleep(0.4)  # more sweeps: still one
    (alert,) = harness.call_messages(ALERTS)
    assert found == [alert]
    # It fires as soon as five have ended (the sixth may have too).
    assert re.search(r"[56] calls to \+1416… in the last hour each ended within 30", text_of(alert))
    assert button_value(alert.blocks, ids.TRIP_BLOCK)
    assert "Block +1416" in json.dumps(alert.blocks)


async def test_spend_far_above_usual_alerts_once(harness: Harness) -> None:
    policy = Policy(
        admins=frozenset({"U9"}), alerts_channel=ALERTS, spend_alert_floor=Decimal("0.01")
    )
    await harness.start(policy=policy)
    await harness.save_number("U1", SAVED)
    await harness.command("/call", DST)
    call = await harness.wait_for_message()
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(call), "connected")
    harness.clock.advance(60)  # 0.0219 spent: above the floor, and no usual spend at all
    (alert,) = await alerts(harness)
    assert "<@U1> spent $0.0" in text_of(alert) and "their usual is $0.00 an hour" in text_of(alert)
    await asyncio.sleep(0.4)
    assert len(harness.call_messages(ALERTS)) == 1


async def test_a_call_at_an_hour_the_user_never_calls_alerts(harness: Harness) -> None:
    await harness.start(policy=WATCHED)
    now = harness.clock.now()
    usual = (now - timedelta(days=1)).replace(hour=(now.hour + 12) % 24)
    for day in range(10):
        await ended_call(harness, usual - timedelta(days=day))
    await harness.save_number("U1", SAVED)
    await harness.command("/call", DST)
    (alert,) = await alerts(harness)
    assert "in 10 calls over 30 days they never called within an hour" in text_of(alert)


# --- the rules on their own -----------------------------------------------------------

T = datetime(2026, 12, 7, 10, tzinfo=UTC)


def call(
    at: datetime, cost: str = "0", duration: int = 0, dst: str = DST, user: str = "U1"
) -> PastCall:
    return PastCall(user, (dst,), at, Decimal(cost), duration, True)


def test_spend_is_far_above_usual_only_past_the_factor_and_the_floor() -> None:
    usual = [call(T - timedelta(days=d), "1") for d in range(1, 5)]  # 1.00 an hour
    hour = [call(T, "4.99"), call(T, "0.02")]
    spike = spend_spike("U1", hour, usual, factor=5, floor=Decimal("5"), currency="USD")
    assert spike is not None and spike.prefix == range_prefix(DST)
    assert spend_spike("U1", hour, usual, factor=6, floor=Decimal("5"), currency="USD") is None
    assert spend_spike("U1", hour, usual, factor=5, floor=Decimal("6"), currency="USD") is None
    assert spend_spike("U1", hour, usual, factor=0, floor=Decimal("0"), currency="USD") is None


def test_short_calls_count_per_prefix_and_only_short_ended_ones() -> None:
    short = [call(T, dst=f"4420794600{n:02d}") for n in range(5)]
    long = [call(T, duration=300, dst="442079460099")]
    (trip,) = short_calls([*short, *long], threshold=5)
    assert trip.prefix == "44207" and trip.pattern is Pattern.SHORT_CALLS
    assert short_calls(short[:4], threshold=5) == []
    assert short_calls(short, threshold=0) == []


def test_unusual_hours_need_a_history_and_allow_an_hour_either_side() -> None:
    history = [call(T - timedelta(days=d)) for d in range(1, 11)]  # always at 10:00
    for ok in (9, 10, 11):
        assert unusual_hour("U1", DST, T.replace(hour=ok), history, history=10) is None
    assert unusual_hour("U1", DST, T.replace(hour=3), history, history=10) is not None
    assert unusual_hour("U1", DST, T.replace(hour=3), history[:9], history=10) is None
    midnight = [call(T.replace(hour=23) - timedelta(days=d)) for d in range(1, 11)]
    assert unusual_hour("U1", DST, T.replace(hour=0), midnight, history=10) is None


def test_an_alert_reads_with_a_pattern_it_does_not_know_and_many_clicks() -> None:
    clicks = tuple(("blocked" if n % 2 else "unblocked", "U9") for n in range(200))
    alert = Alert("a1", "T", "from_a_newer_version", "U1", "44", "Seen.", T, clicks)
    text, blocks = alert_message(alert, blocked=False, paused=True)
    assert "from_a_newer_version" in text
    assert block_error(blocks, 50) is None  # Slack takes it
