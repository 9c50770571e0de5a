"""Ephemeral answers: help, prices, confirmations, the /hangup list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal

from talkety_core import CallStatus, Pricing

from ..formatting import (
    code,
    format_duration,
    format_money,
    mask,
    people_or_numbers,
    person_or_number,
    status_label,
)
from ..store.lifecycle import DialKind
from ..store.records import CallRecord, PendingDial
from . import ids
from .call_message import Display
from .kit import Block, actions, button, clip, confirm_dialog, context, section

MAX_LISTED_CALLS = 40

HELP = {
    "/price": "`/price <number> [<number> ...]` — price per minute and validity of each "
    "number, and the total.",
    "/call": "`/call [<from>] <to>` — call `<to>`, a number or a colleague (`/call @alice`: "
    "the number they saved); you are rung first on `<from>` (or your saved number). "
    "`/call set-number <number>` saves your number. Admins: "
    "`/call report [today|week|month] [csv]` shows spend; "
    "`/call budget [#channel] <amount|off>` sets a channel's monthly budget.",
    "/conf": "`/conf [from <from>] <to>, <to>, ...` — a conference with numbers and "
    "colleagues (`/conf @alice @bob +44 20 7946 0000`); with no arguments a form opens.",
    "/hangup": (
        "`/hangup [<id>]` — end a call or conference; with no id, lists your calls "
        "(`/hangup call <id>` or `/hangup conference <id>` where an id is both)."
    ),
}
NUMBERS_HINT = (
    "Type numbers as you like (`+1 123 456 7890`, `0049 30 1234567`, `030 1234567`); "
    "separate several with commas."
)


def help_text(command: str | None = None) -> str:
    lines = [HELP[command]] if command in HELP else list(HELP.values())
    return "\n".join([*lines, NUMBERS_HINT])


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
    }[pending.plan.kind]
    price = format_money(per_minute, display.currency)
    # The requester's own numbers in full (to check them); a person's only masked.
    named = pending.plan.named
    numbers = ", ".join(
        person_or_number(n, named, display.mask_visible) if n in named else code(f"+{n}")
        for n in pending.plan.dsts
    )
    text = (
        f":money_with_wings: This {what} costs *{price}/min* — a number on it is above the "
        f"{format_money(threshold, display.currency)}/min that needs a confirmation.\n"
        f"From {code('+' + pending.plan.src)} to {numbers}. Place it?"
    )
    block = actions(
        button(
            f"Call ({price}/min)",
            ids.CONFIRM_DIAL,
            pending.id,
            label=f"Place the {what} to {_plain_numbers(pending, display)} at {price} a minute",
            style="primary",
        ),
        button("Cancel", ids.CANCEL_DIAL, pending.id, label=f"Do not place the {what}"),
        block_id=f"pending:{pending.id}",
    )
    return f"Confirm: {price}/min", [section(text), block]


def intent_text(
    kind: DialKind,
    src: str,
    dsts: Sequence[str],
    yours: bool,
    display: Display,
    people: Mapping[str, str],
) -> str:
    """What a command is about to do, said the moment it is typed (before any price is
    known or anything dialled)."""
    first = (
        f"you on {mask(src, display.mask_visible)}" if yours else mask(src, display.mask_visible)
    )
    others = people_or_numbers(dsts[:5], people, display.mask_visible)
    if len(dsts) > 5:
        others += f" and {len(dsts) - 5} more"
    if kind is DialKind.CONFERENCE:
        return f":telephone_receiver: Starting a conference: ringing {first}, then {others}…"
    return f":telephone_receiver: Ringing {first}, then {others}…"


def repeat_blocks(
    pending: PendingDial, per_minute: Decimal, ago: timedelta, display: Display
) -> tuple[str, list[Block]]:
    """The same call asked for again soon after: placed again only if the user says so."""
    what = "conference" if pending.plan.kind is DialKind.CONFERENCE else "call"
    seconds = max(0, int(ago.total_seconds()))
    named = pending.plan.named
    numbers = ", ".join(
        person_or_number(n, named, display.mask_visible)
        if n in named
        else code(mask(n, display.mask_visible))
        for n in pending.plan.dsts
    )
    price = format_money(per_minute, display.currency)
    text = (
        f":repeat: You placed this {what} {format_duration(seconds)} ago "
        f"(to {numbers}, {price}/min). Place it again?"
    )
    block = actions(
        button(
            "Place it again",
            ids.CONFIRM_DIAL,
            pending.id,
            style="primary",
            label=f"Place the {what} to {_plain_numbers(pending, display)} again",
        ),
        button("Cancel", ids.CANCEL_DIAL, pending.id, label=f"Do not place the {what} again"),
        block_id=f"pending:{pending.id}",
    )
    return f"You placed this {what} {format_duration(seconds)} ago", [section(text), block]


def _plain_numbers(pending: PendingDial, display: Display) -> str:
    return ", ".join(mask(n, display.mask_visible, escaped=False) for n in pending.plan.dsts[:3])


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
    to = people_or_numbers(record.dsts[:5], record.named, display.mask_visible)
    if len(record.dsts) > 5:
        to += f" +{len(record.dsts) - 5}"
    ident = record.subject_id or "?"
    status = status_label(CallStatus(record.status), record.status)
    text = (
        f"*{what} {code(ident)}* to {to} · {status} · {format_duration(record.duration)} · "
        f"{format_money(record.last_cost, display.currency)}"
    )
    accessory = None
    if record.subject_id:
        plain_to = ", ".join(mask(n, display.mask_visible, escaped=False) for n in record.dsts[:3])
        accessory = button(
            "Hang up",
            ids.HANG_UP,
            record.key,
            label=f"Hang up the {what.lower()} to {plain_to}",
            style="danger",
            confirm=confirm_dialog(f"Hang up {what.lower()} {ident}?", "This ends it.", "Hang up"),
        )
    return section(text, block_id=f"list:{record.key}", accessory=accessory)
