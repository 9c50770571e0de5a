"""The approvers' message for a dial that needs a second person, rebuilt from the request's
state each time it changes (waiting, approved, denied, expired), and what its requester
is told at each step."""

from __future__ import annotations

from ..formatting import format_duration, format_money, mask, people_or_numbers
from ..store import DialKind, PendingState
from ..store.approvals import Approval
from ..store.summary import country_of
from . import ids
from .call_message import Display
from .kit import Block, actions, button, confirm_dialog, context, section

_WHAT = {DialKind.CALL: "call", DialKind.CONFERENCE: "conference", DialKind.ADD: "participants"}


def approval_message(approval: Approval, display: Display, ttl: int) -> tuple[str, list[Block]]:
    pending = approval.pending
    plan, who = pending.plan, pending.requester.user_id
    what = _WHAT[plan.kind]
    price = format_money(plan.per_minute, display.currency)
    to = people_or_numbers(plan.dsts, plan.named, display.mask_visible)
    # The numbers are masked: where they ring is what an approver judges by.
    where = ", ".join(sorted({country_of(n) for n in plan.dsts}))
    text = (
        f":raised_hand: <@{who}> asks to place a {what} to {to} in {where} at "
        f"*{price}/min*: {approval.reason}."
    )
    blocks: list[Block] = [section(text)]
    state = approval.state
    if state is PendingState.PENDING:
        plain_to = ", ".join(mask(n, display.mask_visible, escaped=False) for n in plan.dsts)
        blocks.append(
            context(
                f"Expires in {format_duration(ttl)} if nobody answers. "
                "Anyone here but the caller may answer; the first answer counts."
            )
        )
        blocks.append(
            actions(
                button(
                    "Approve",
                    ids.APPROVE_DIAL,
                    pending.id,
                    label=f"Approve {who}'s {what} to {plain_to} at {price} a minute",
                    style="primary",
                    confirm=confirm_dialog(
                        "Approve this call?",
                        f"It is dialled at once, at {price} a minute, and billed to the account.",
                        "Approve and dial",
                    ),
                ),
                button("Deny", ids.DENY_DIAL, pending.id, label=f"Deny the {what} to {plain_to}"),
                block_id=f"approval:{pending.id}",
            )
        )
        return f"Approval needed: {what} at {price}/min", blocks
    outcome = {
        PendingState.USED: f":white_check_mark: Approved by <@{approval.decided_by}>: dialled.",
        PendingState.CANCELLED: f":no_entry: Denied by <@{approval.decided_by}>: not dialled.",
        PendingState.EXPIRED: ":hourglass: Nobody answered in time: not dialled.",
    }[state]
    blocks.append(context(outcome))
    return outcome, blocks


def asked_text(approval: Approval, ttl: int) -> str:
    """The requester's answer when their dial waits for an approver."""
    return (
        f":raised_hand: This needs an approver: {approval.reason}. I asked in "
        f"<#{approval.channel_id}>; you will hear here when someone answers (within "
        f"{format_duration(ttl)}, or it expires). Nothing is dialled until then."
    )


def decided_text(approval: Approval) -> str:
    """What the requester hears when their request is decided."""
    return {
        PendingState.USED: f":white_check_mark: <@{approval.decided_by}> approved your call: "
        "dialling now.",
        PendingState.CANCELLED: f":no_entry: <@{approval.decided_by}> denied your call; "
        "nothing was dialled.",
        PendingState.EXPIRED: ":hourglass: Nobody approved your call in time; nothing was "
        "dialled. Ask again if you still need it.",
        PendingState.PENDING: "",
    }[approval.state]
