"""Spend that admins can see: /call report, the CSV export, the digest, the App Home."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from devtools.slack.fake_slack import TEAM_ID, button_value
from slack_app.blocks import ids
from slack_app.blocks.call_message import Display
from slack_app.policy import Policy
from slack_app.reports.csv_export import export_csv, safe_cell
from slack_app.reports.reporting import Reports
from slack_app.store import Store

from .conftest import DST, SAVED, Harness, stored_call, text_of

ADMIN = "UADMIN"
OTHER = "4930901820"  # a German number, for the countries


async def ended_call(
    store: Store, now: datetime, *, user: str, call_id: str, status: str, cost: Decimal
) -> None:
    """A call of `user` to DST, placed as `call_id` and ended at `now` after 60 s."""
    record = await stored_call(
        store,
        now,
        team_id=TEAM_ID,
        user_id=user,
        per_minute=Decimal("0.01"),
        holder="x",
        lease_until=now,
    )
    await store.calls.set_placed(record.key, call_id)
    await store.calls.finish(record.key, status=status, cost=cost, duration=60, now=now)


async def two_ended_calls(harness: Harness) -> None:
    """U1 calls the US for 60 s, U2 calls Germany for 30 s; both end."""
    await harness.save_number("U1")
    await harness.save_number("U2")
    await harness.command("/call", DST, user="U1")
    first = await harness.wait_for_message("C1")
    await harness.command("/call", f"+{OTHER}", user="U2")
    second = await harness.wait_for_message("C1", count=2)
    harness.clock.advance(35)
    for message in (second, first):
        await harness.click(ids.HANG_UP, button_value(message.blocks, ids.HANG_UP), user=ADMIN)
        await harness.wait_for(lambda m=message: "has ended" in text_of(m), "the summary")
    # A hang-up is audited after the call has ended (the summary may show first);
    # its reply comes after the audit, and reports read the audit.
    await harness.wait_for(
        lambda: sum("Hung up call" in t for t in harness.slack.ephemeral_texts()) == 2,
        "both hang-ups answered",
    )


async def test_report_is_for_admins_and_adds_up_per_user_and_country(harness: Harness) -> None:
    await harness.start(policy=Policy(admins=frozenset({ADMIN})))
    await two_ended_calls(harness)
    await harness.command("/call", "report today", user="U1")
    await harness.wait_for_reply("Spend reports are for the app's admins")

    await harness.command("/call", "report today", user=ADMIN)
    report = await harness.wait_for_reply("Talkety spend")
    records = await harness.main.app.store.history.calls_between(
        None, harness.clock.now() - timedelta(days=1), harness.clock.now()
    )
    costs = {r.user_id: r.final_cost for r in records}
    assert all(cost and cost > 0 for cost in costs.values())
    total = sum(costs.values(), Decimal(0))
    assert f"${total.quantize(Decimal('0.0001'))}".rstrip("0") in report
    assert "<@U1>" in report and "<@U2>" in report
    assert "• United States:" in report and "• Germany:" in report  # names, not codes
    assert "Longest calls" in report

    await harness.command("/call", "report fortnight", user=ADMIN)
    await harness.wait_for_reply("I don't know `fortnight` here")


async def test_csv_export_is_uploaded_masked_unless_asked_in_full(harness: Harness) -> None:
    await harness.start(policy=Policy(admins=frozenset({ADMIN})))
    await two_ended_calls(harness)
    await harness.command("/call", "report month csv", user=ADMIN)
    await harness.wait_for_reply("is in our direct messages")
    (upload,) = harness.slack.uploads.values()
    assert upload.channel == "DADMIN" and upload.filename.endswith(".csv")
    assert "numbers masked" in upload.comment
    rows = list(csv.DictReader(io.StringIO(upload.content.decode())))
    assert sorted(r["slack_user"] for r in rows) == ["U1", "U2"]  # dialled in one instant
    assert {r["to"][-4:] for r in rows} == {"3210", "1820"} and DST not in upload.content.decode()
    assert all(r["cost"] and r["call_id"] and r["outcome"] == "disconnected" for r in rows)
    assert all("hung up from Slack" in r["policy"] for r in rows)

    await harness.command("/call", "report month csv full", user=ADMIN)
    # Shared once complete (its URL is asked for first, its bytes sent after that).
    await harness.wait_for(
        lambda: (
            len(harness.slack.uploads) == 2
            and list(harness.slack.uploads.values())[-1].channel is not None
        ),
        "the second CSV",
    )
    full = list(harness.slack.uploads.values())[-1].content.decode()
    assert DST in full and SAVED in full

    harness.slack.refuse_uploads = True
    await harness.command("/call", "report week csv", user=ADMIN)
    await harness.wait_for_reply("Slack did not take the CSV")
    harness.slack.fail_next("files.getUploadURLExternal", "invalid_arguments")
    harness.slack.refuse_uploads = False
    await harness.command("/call", "report week csv", user=ADMIN)
    await harness.wait_for_reply("Slack did not take the CSV (invalid_arguments)")


async def test_csv_cells_cannot_run_as_formulas(store: Store, harness: Harness) -> None:
    assert [safe_cell(v) for v in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "ok", 3)] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "ok",
        "3",
    ]
    now = harness.clock.now()
    await ended_call(
        store,
        now,
        user="@evil",
        call_id="=HYPERLINK(1)",
        status="=cmd|' /C calc'!A0",
        cost=Decimal("-1"),
    )
    (ended,) = await store.history.calls_between(
        None, now - timedelta(seconds=1), now + timedelta(seconds=1)
    )
    content = export_csv([ended], {}, currency="USD", mask_visible=4).decode()
    row = next(csv.DictReader(io.StringIO(content)))
    assert row["slack_user"] == "'@evil"
    assert row["call_id"] == "'=HYPERLINK(1)"
    assert row["outcome"].startswith("'=cmd")
    assert row["cost"] == "'-1"
    assert not row["from"].startswith(("+", "'"))  # numbers are written without the +


async def test_daily_digest_posts_yesterday_once(harness: Harness) -> None:
    instance = await harness.start(
        policy=Policy(admins=frozenset({ADMIN})), report_channel="CREPORT"
    )
    await two_ended_calls(harness)
    harness.clock.advance(24 * 3600)
    assert await instance.app.digest.post_all() == 1
    (digest,) = harness.call_messages("CREPORT")
    text = text_of(digest)
    assert "Talkety daily digest" in text and "<@U1>" in text and "<@U2>" in text
    second = await harness.start(policy=Policy(admins=frozenset({ADMIN})), report_channel="CREPORT")
    assert await second.app.digest.post_all() == 0  # another instance already posted it
    assert len(harness.call_messages("CREPORT")) == 1


async def test_app_home_shows_recent_calls_and_admins_the_workspace_spend(
    harness: Harness,
) -> None:
    await harness.start(policy=Policy(admins=frozenset({ADMIN})))
    await two_ended_calls(harness)
    published = len(harness.slack.calls_to("views.publish"))
    await harness.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    await harness.event({"type": "app_home_opened", "user": ADMIN, "tab": "home"})
    await harness.wait_for(
        lambda: (
            {"U1", ADMIN}
            <= {c.args["user_id"] for c in harness.slack.calls_to("views.publish")[published:]}
        ),
        "both homes",
    )
    homes = {c.args["user_id"]: c.args["view"] for c in harness.slack.calls_to("views.publish")}
    mine = text_of_view(homes["U1"])
    assert "Your recent calls" in mine and "disconnected" in mine and "Workspace spend" not in mine
    admin = text_of_view(homes[ADMIN])
    assert "Workspace spend" in admin and "2 calls" in admin and "<@U1>" in admin


def text_of_view(view: dict[str, object]) -> str:
    from devtools.slack.fake_slack import response_text  # noqa: PLC0415

    return response_text({"text": "", "blocks": view["blocks"]})


async def test_admins_home_reads_the_month_once_and_counts_today_within_it(
    store: Store,
) -> None:
    now = datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
    for when, user in ((now - timedelta(days=1), "U1"), (now - timedelta(hours=1), "U2")):
        await ended_call(
            store,
            when,
            user=user,
            call_id=f"id-{user}",
            status="disconnected",
            cost=Decimal("0.25"),
        )
    reports = Reports(
        store=store,
        gateway=None,  # type: ignore[arg-type]  # reading only
        policy=Policy(),
        display=Display(),
        team_id=None,
        now=lambda: now,
    )
    today, month = await reports.today_and_month()
    assert (today.calls, today.total, [u for u, _, _ in today.by_user]) == (
        1,
        Decimal("0.25"),
        ["U2"],
    )
    assert (month.calls, month.total) == (2, Decimal("0.50"))
    assert today == await reports.summary("today") and month == await reports.summary("month")
