"""The App Home tab: your number, spend, active and recent calls; for admins the
workspace's spend (and, in distributed mode, its Talkety account and settings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..formatting import code, format_duration, format_money, people_or_numbers
from ..store.records import CallRecord
from ..store.summary import Summary
from . import ids
from .call_message import Display
from .kit import MAX_BLOCKS_VIEW, Block, actions, button, context, divider, fields, section
from .replies import call_line, help_text

MAX_HOME_CALLS = 30
RECENT_CALLS = 10


@dataclass(frozen=True, slots=True)
class AdminPanel:
    today: Summary
    month: Summary
    # Distributed mode: the workspace's Talkety login; None in single-workspace mode.
    talkety_login: str | None = None


def home_view(
    *,
    saved_number: str | None,
    spent_today: Decimal,
    daily_cap: Decimal | None,
    calls: Sequence[CallRecord],
    display: Display,
    recent: Sequence[CallRecord] = (),
    admin: AdminPanel | None = None,
) -> dict[str, Any]:
    number = code(f"+{saved_number}") if saved_number else "_not set_"
    spend = format_money(spent_today, display.currency)
    if daily_cap is not None:
        spend += f" of your {format_money(daily_cap, display.currency)} daily limit"
    blocks = [
        section(
            f"*Your number:* {number}\nCalls ring you here first.",
            accessory=button("Set number", ids.SET_NUMBER, "set", label="Set your number"),
        ),
        section(f"*Spent today (UTC):* {spend}"),
        divider(),
    ]
    if calls:
        blocks.append(section(f"*Your active calls ({len(calls)})*"))
        blocks.extend(call_line(r, display) for r in calls[:MAX_HOME_CALLS])
    else:
        blocks.append(section("You have no active calls."))
    if recent:
        blocks.append(section("*Your recent calls*"))
        blocks.append(context(*[_recent_line(r, display) for r in recent[:RECENT_CALLS]]))
    if admin is not None:
        blocks.append(divider())
        blocks.extend(_admin_blocks(admin, display))
    blocks.append(divider())
    blocks.append(context(help_text()))
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS_VIEW]}


def _recent_line(record: CallRecord, display: Display) -> str:
    to = people_or_numbers(record.dsts[:3], record.named, display.mask_visible)
    # Slack shows the date token in the reader's own time zone.
    fallback = record.created_at.strftime("%b %d %H:%M UTC")
    when = f"<!date^{int(record.created_at.timestamp())}^{{date_short}} {{time}}|{fallback}>"
    outcome = record.status if record.state.value == "ended" else record.state.value
    return (
        f"{when} · to {to} · {outcome.replace('_', ' ')} · "
        f"{format_duration(record.duration)} · {format_money(record.cost, display.currency)}"
    )


def _admin_blocks(admin: AdminPanel, display: Display) -> list[Block]:
    money = display.currency
    blocks: list[Block] = [
        section("*Workspace spend* (you are an admin)"),
        fields(
            (
                "Today (UTC)",
                f"{format_money(admin.today.total, money)} · {admin.today.calls} calls",
            ),
            ("This month", f"{format_money(admin.month.total, money)} · {admin.month.calls} calls"),
        ),
    ]
    top = admin.month.by_user[:3]
    if top:
        lines = ", ".join(f"<@{user}> {format_money(spend, money)}" for user, spend, _ in top)
        blocks.append(context(f"Top this month: {lines}. `/call report month` for more."))
    if admin.talkety_login is not None:
        blocks.append(section(f"*Talkety account:* {admin.talkety_login}"))
        blocks.append(
            actions(
                button(
                    "Settings", ids.OPEN_SETTINGS, "settings", label="This workspace's settings"
                ),
                button(
                    "Change Talkety account",
                    ids.CONNECT_TALKETY,
                    "connect",
                    label="Change this workspace's Talkety account",
                ),
            )
        )
    return blocks


def connect_home_view(*, is_admin: bool) -> dict[str, Any]:
    """The App Home of a workspace that has not connected a Talkety account yet."""
    if is_admin:
        blocks = [
            section(
                "*Welcome to Talkety.* Calls from this workspace are placed and paid with a "
                "Talkety account. Connect yours to start: I check it with Talkety before "
                "saving, and store the password and app key encrypted.",
                accessory=button(
                    "Connect Talkety",
                    ids.CONNECT_TALKETY,
                    "connect",
                    label="Connect this workspace's Talkety account",
                    style="primary",
                ),
            )
        ]
    else:
        blocks = [
            section(
                "*Talkety is not set up here yet.* An admin of the app (whoever installed it) "
                "connects the workspace's Talkety account in this tab; then `/call` works."
            )
        ]
    return {"type": "home", "blocks": blocks}
