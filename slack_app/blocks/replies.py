"""Ephemeral answers: help, prices, confirmations, the /hangup list, errors."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from talkety_core import Pricing

from ..formatting import code, format_duration, format_money, mask
from ..store.lifecycle import DialKind
from ..store.records import CallRecord, PendingDial
from . import ids
from .call_message import Display
from .kit import Block, actions, button, clip, confirm_dialog, context, section

MAX_LISTED_CALLS = 40

HELP = {
    "/price": "`/price <number> [<number> ...]` — price per minute and validity of each "
    "number, and the total.",
    "/call": "`/call [<from>] <to>` — call `<to>`; you are rung first on `<from>` (or your "
    "saved number). `/call set-number <number>` saves your number. Admins: "
    "`/call report [today|week|month] [csv]` shows spend.",
    "/conf": "`/conf [from <from>] <to>, <to>, ...` — a conference; with no arguments a form "
    "opens.",
    "/hangup": "`/hangup [<id>]` — end a call or conference; with no id, lists your calls.",
}
NUMBERS_HINT = (
    "Type numbers as you like (`+1 123 456 7890`, `0049 30 1234567`, `030 1234567`); "
    "separate several with commas."
)


def help_text(command: str | None = None) -> str:
    lines = [HELP[command]] if command in HELP else list(HELP.values())
    return "\n".join([*lines, NUMBERS_HINT])


def error_blocks(message: str) -> list[Block]:
    return [section(f":warning: {message}")]


def price_blocks(
    pricing: Pricing, currency: str, unreadable: Sequence[str] = ()
) -> tuple[str, list[Block]]:
    lines = [f":x: {reason}" for reason in unreadable]
    for number in pricing.numbers:
        if number.valid and number.cost is not None:
            lines.append(
                f":white_check_mark: {code('+' + number.number)} "
                f"{format_money(number.cost, currency)}/min"
            )
        else:
            lines.append(f":x: {code('+' + number.number)} is not a number Talkety can dial")
    lines = [clip(line, 300) for line in lines]
    total = format_money(pricing.total_costs, currency)
    summary = f"*Total: {total}/min* for the valid numbers together"
    if len(pricing.numbers) == 2 and pricing.all_valid:
        summary += " (what a call between these two costs per minute)"
    text = "\n".join(lines)
    return f"Prices: {total}/min in total", [section(text), context(summary)]


def confirm_blocks(
    pending: PendingDial, per_minute: Decimal, threshold: Decimal, display: Display
) -> tuple[str, list[Block]]:
    what = {
        DialKind.CALL: "call",
        DialKind.CONFERENCE: "conference",
        DialKind.ADD: "new participant",
    }[pending.kind]
    price = format_money(per_minute, display.currency)
    numbers = ", ".join(code(f"+{n}") for n in pending.dsts)
    text = (
        f":money_with_wings: This {what} costs *{price}/min* — a number on it is above the "
        f"{format_money(threshold, display.currency)}/min that needs a confirmation.\n"
        f"From {code('+' + pending.src)} to {numbers}. Place it?"
    )
    block = actions(
        button(f"Call ({price}/min)", ids.CONFIRM_DIAL, pending.id, style="primary"),
        button("Cancel", ids.CANCEL_DIAL, pending.id),
        block_id=f"pending:{pending.id}",
    )
    return f"Confirm: {price}/min", [section(text), block]


def hangup_list_blocks(calls: Sequence[CallRecord], display: Display) -> tuple[str, list[Block]]:
    if not calls:
        return "You have no active calls", [section("You have no active calls.")]
    blocks: list[Block] = [section("*Your active calls*")]
    for record in calls[:MAX_LISTED_CALLS]:
        blocks.append(call_line(record, display))
    if len(calls) > MAX_LISTED_CALLS:
        blocks.append(context(f"…and {len(calls) - MAX_LISTED_CALLS} more"))
    return f"You have {len(calls)} active calls", blocks


def call_line(record: CallRecord, display: Display) -> Block:
    what = "Conference" if record.is_conference else "Call"
    to = ", ".join(mask(n, display.mask_visible) for n in record.dsts[:5])
    if len(record.dsts) > 5:
        to += f" +{len(record.dsts) - 5}"
    ident = record.subject_id or "?"
    text = (
        f"*{what} {ident}* to {to} · {record.status} · {format_duration(record.duration)} · "
        f"{format_money(record.last_cost, display.currency)}"
    )
    accessory = None
    if record.subject_id:
        accessory = button(
            "Hang up",
            ids.HANG_UP,
            record.key,
            style="danger",
            confirm=confirm_dialog(f"Hang up {what.lower()} {ident}?", "This ends it.", "Hang up"),
        )
    return section(text, block_id=f"list:{record.key}", accessory=accessory)
