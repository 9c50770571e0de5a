"""A tripwire's alert for admins, rebuilt from the alert and what is in force now: what it
saw, what admins did (and who), and one-click *Block this prefix*, *Pause this user*,
*Hang up their calls*, each undoable where it can be."""

from __future__ import annotations

from ..store.guards import Alert
from ..tripwires import TITLES
from . import ids
from .kit import Block, actions, button, confirm_dialog, context, section

SHOWN_ACTIONS = 10  # the latest; the audit log keeps them all
DONE = {
    "blocked": "blocked +{prefix}",
    "unblocked": "unblocked +{prefix}",
    "paused": "paused <@{user}>",
    "resumed": "resumed <@{user}>'s calls",
    "hung_up": "hung up <@{user}>'s running calls",
}


def alert_message(alert: Alert, *, blocked: bool, paused: bool) -> tuple[str, list[Block]]:
    title = TITLES.get(alert.pattern, alert.pattern)  # a pattern this version does not know
    text = f":rotating_light: Possible toll fraud: {title}"
    blocks: list[Block] = [section(f"*{text}*\n{alert.summary}")]
    done = [
        DONE.get(action, action).format(prefix=alert.prefix, user=alert.user_id) + f" by <@{by}>"
        for action, by in alert.actions[-SHOWN_ACTIONS:]
    ]
    if done:
        blocks.append(context(":white_check_mark: " + "; ".join(done)))
    blocks.append(context(f"Alert {alert.id} · {alert.created_at:%Y-%m-%d %H:%M} UTC"))
    who = f"<@{alert.user_id}>"
    block_button = (
        button(
            f"Unblock +{alert.prefix}",
            ids.TRIP_UNBLOCK,
            alert.id,
            label=f"Allow calls to numbers starting with +{alert.prefix} again",
        )
        if blocked
        else button(
            f"Block +{alert.prefix}",
            ids.TRIP_BLOCK,
            alert.id,
            label=f"Refuse calls to numbers starting with +{alert.prefix}",
            style="danger",
            confirm=confirm_dialog(
                "Block this prefix?",
                f"Nobody in the workspace can call numbers starting with +{alert.prefix} "
                "until it is unblocked.",
                "Block",
            ),
        )
    )
    pause_button = (
        button("Resume their calls", ids.TRIP_RESUME, alert.id, label="Let them call again")
        if paused
        else button(
            "Pause this user",
            ids.TRIP_PAUSE,
            alert.id,
            label="Refuse this user's calls until resumed",
            style="danger",
        )
    )
    hang_up = button(
        "Hang up their calls",
        ids.TRIP_HANG_UP,
        alert.id,
        label="Hang up every call this user has running",
        confirm=confirm_dialog(
            "Hang up their calls?", "Every call this user has running ends now.", "Hang up"
        ),
    )
    blocks.append(actions(block_button, pause_button, hang_up, block_id=f"alert:{alert.id}"))
    return f"{text} ({who})", blocks
