"""The App Home tab: your active calls, today's spend, your saved number."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..formatting import format_money
from ..store.records import CallRecord
from . import ids
from .call_message import Display
from .kit import MAX_BLOCKS_VIEW, button, context, divider, section
from .replies import call_line, help_text

MAX_HOME_CALLS = 40


def home_view(
    *,
    saved_number: str | None,
    spent_today: Decimal,
    daily_cap: Decimal | None,
    calls: Sequence[CallRecord],
    display: Display,
) -> dict[str, Any]:
    number = f"`+{saved_number}`" if saved_number else "_not set_"
    spend = format_money(spent_today, display.currency)
    if daily_cap is not None:
        spend += f" of your {format_money(daily_cap, display.currency)} daily limit"
    blocks = [
        section(
            f"*Your number:* {number}\nCalls ring you here first.",
            accessory=button("Set number", ids.SET_NUMBER, "set"),
        ),
        section(f"*Spent today (UTC):* {spend}"),
        divider(),
    ]
    if calls:
        blocks.append(section(f"*Your active calls ({len(calls)})*"))
        blocks.extend(call_line(r, display) for r in calls[:MAX_HOME_CALLS])
    else:
        blocks.append(section("You have no active calls."))
    blocks.append(divider())
    blocks.append(context(help_text()))
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS_VIEW]}
