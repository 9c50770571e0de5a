"""The channel message that shows one call or conference, live and then final."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from talkety_core import Call, CallStatus, Conference

from ..formatting import (
    code,
    format_duration,
    format_moment,
    format_money,
    format_time,
    mask,
    person_or_number,
    status_label,
)
from ..store.lifecycle import RecordState
from ..store.records import CallRecord
from . import ids
from .kit import (
    MAX_BLOCKS_MESSAGE,
    MAX_MESSAGE_TEXT,
    Block,
    actions,
    button,
    clip,
    confirm_dialog,
    context,
    fields,
    section,
)

# Legs shown one block each (with a hang-up button); the rest are summarised,
# so that even a huge conference stays under Slack's 50 blocks.
MAX_LEG_BLOCKS = 40


@dataclass(frozen=True, slots=True)
class Display:
    currency: str = "USD"
    mask_visible: int = 4


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str  # notification / fallback text
    blocks: list[Block]


@dataclass(frozen=True, slots=True)
class ChannelStanding:
    """Where the call's channel stands against its monthly budget (the last guard's look)."""

    channel_id: str
    spent: Decimal
    monthly: Decimal


def render_call_message(
    record: CallRecord,
    state: Call | Conference | None,
    display: Display,
    now: datetime,
    budget: ChannelStanding | None = None,
) -> Rendered:
    """The whole message for `record` given the latest known `state`; `budget`: its
    channel's, if it has one."""
    if record.state is RecordState.UNKNOWN and state is None:
        return _unknown(record, display)
    if record.state is RecordState.NOT_PLACED:
        return _not_placed(record, display)
    status = state.status if state else CallStatus(record.status)
    raw = state.status_raw if state else record.status
    # The record decides when it is over (the monitor's last state may lag).
    active = not record.state.is_final and (state is None or state.is_active)
    cost = state.total_costs if state else record.cost
    duration = state.duration if state else record.duration
    money = format_money(cost, display.currency)
    what = "Conference" if record.is_conference else "Call"
    icon = ":busts_in_silhouette:" if record.is_conference else ":telephone_receiver:"
    label = status_label(status, raw)
    if status is CallStatus.CONNECTING and active:
        # "Calling the caller" reads oddly to the caller: say which phone rings.
        label = f":hourglass_flowing_sand: Ringing {mask(record.src, display.mask_visible)} first…"
    who = f"<@{record.user_id}>"

    blocks: list[Block] = []
    if active:
        blocks.append(section(f"{icon} *{what}* started by {who}"))
    else:
        blocks.append(section(f"{icon} *{what}* started by {who} has ended"))
    pairs = [("From", mask(record.src, display.mask_visible))]
    if not record.is_conference:
        dst = state.dst if isinstance(state, Call) else record.dsts[0]
        pairs.append(("To", person_or_number(dst, record.named, display.mask_visible)))
    pairs += [
        ("Status" if active else "Outcome", label),
        ("Duration", format_duration(duration)),
        ("Cost so far" if active else "Total cost", money),
        # Both legs are billed (the first number's and the others'): /price shows each.
        ("Price, all legs", f"{format_money(record.price_per_minute, display.currency)}/min"),
    ]
    blocks.append(fields(*pairs))
    if isinstance(state, Conference):
        blocks.extend(_legs(record, state, display, active))
    notes = []
    if record.auto_hangup:
        notes.append(f":octagonal_sign: Hung up automatically: {record.auto_hangup}.")
    if budget is not None:
        spent = format_money(budget.spent, display.currency)
        monthly = format_money(budget.monthly, display.currency)
        notes.append(f":moneybag: <#{budget.channel_id}>: {spent} of its {monthly} this month")
    subject = f"Talkety id {code(record.subject_id)}" if record.subject_id else "no Talkety id yet"
    if active or record.ended_at is None:
        notes.append(f"{subject} · updated {format_time(now)}")
    else:  # read days later too: the date, not just the time
        notes.append(f"{subject} · ended {format_moment(record.ended_at)}")
    blocks.append(context(*notes))
    if active and record.subject_id:
        blocks.append(_buttons(record, display))
    elif not record.is_conference and record.state is RecordState.ENDED:
        blocks.append(
            actions(
                button(
                    "Call back",
                    ids.CALL_BACK,
                    record.key,
                    label=f"Call {mask(record.dsts[0], display.mask_visible, escaped=False)} again",
                ),
                block_id=f"ended:{record.key}",
            )
        )
    assert len(blocks) <= MAX_BLOCKS_MESSAGE
    text = f"{what} by {who}: {label.split(' ', 1)[1]}, {format_duration(duration)}, {money}"
    return Rendered(clip(text, MAX_MESSAGE_TEXT), blocks)


def _legs(
    record: CallRecord, conference: Conference, display: Display, active: bool
) -> list[Block]:
    legs = sorted(conference.legs, key=_leg_order)
    blocks = []
    named = record.named
    for leg in legs[:MAX_LEG_BLOCKS]:
        line = (
            f"{'*Owner* ' if leg.owner else ''}"
            f"{person_or_number(leg.dst, named, display.mask_visible)} — "
            f"{status_label(leg.status, leg.status_raw)} · {format_duration(leg.duration)} · "
            f"{format_money(leg.total_costs, display.currency)}"
        )
        accessory = None
        if active and leg.is_active and not leg.owner:
            number = mask(leg.dst, display.mask_visible, escaped=False)
            accessory = button(
                "Hang up",
                ids.LEG_HANG_UP,
                f"{record.key}:{leg.id}",
                label=f"Hang up participant {number}",
                confirm=confirm_dialog(
                    "Hang up this participant?", f"{number} leaves the conference.", "Hang up"
                ),
            )
        blocks.append(section(line, block_id=f"leg:{leg.id}", accessory=accessory))
    hidden = legs[MAX_LEG_BLOCKS:]
    if hidden:
        still = sum(1 for leg in hidden if leg.is_active)
        blocks.append(section(f"…and {len(hidden)} more participants ({still} still connected)"))
    return blocks


def _leg_order(leg: Call) -> tuple[bool, float, str]:
    # Owner first, then in the order people joined.
    return (not leg.owner, leg.start.timestamp() if leg.start else 0.0, leg.id)


def _buttons(record: CallRecord, display: Display) -> Block:
    what = "conference" if record.is_conference else "call"
    to = ", ".join(mask(n, display.mask_visible, escaped=False) for n in record.dsts[:3])
    elements = [
        button(
            "Hang up",
            ids.HANG_UP,
            record.key,
            label=f"Hang up the {what} to {to}",
            style="danger",
            confirm=confirm_dialog(
                f"Hang up the {what}?",
                f"This ends the {what} for everyone on it.",
                "Hang up",
            ),
        ),
        button("Refresh", ids.REFRESH, record.key, label=f"Refresh the {what} to {to}"),
    ]
    if record.is_conference:
        elements.append(
            button(
                "Add participant",
                ids.ADD_PARTICIPANT,
                record.key,
                label=f"Add a participant to the conference to {to}",
            )
        )
    return actions(*elements, block_id=f"call:{record.key}")


def _unknown(record: CallRecord, display: Display) -> Rendered:
    what = "conference" if record.is_conference else "call"
    text = (
        f":warning: <@{record.user_id}>'s {what} from {mask(record.src, display.mask_visible)} "
        "*may or may not have been placed*: Talkety did not answer clearly. I did not dial "
        "again, and I am checking Talkety's call list; this message will show the call if it "
        "exists. Please don't dial again until then."
    )
    return Rendered(f"The {what} may or may not have been placed", [section(text)])


def _not_placed(record: CallRecord, display: Display) -> Rendered:
    what = "conference" if record.is_conference else "call"
    reason = record.auto_hangup or "Talkety refused it"
    text = (
        f":x: <@{record.user_id}>'s {what} from {mask(record.src, display.mask_visible)} "
        f"was not placed: {reason}."
    )
    return Rendered(f"The {what} was not placed", [section(text)])
