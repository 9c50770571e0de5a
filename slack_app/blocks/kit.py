"""Small constructors for Block Kit objects that keep within Slack's limits."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]

# Slack's documented limits (api.slack.com/reference/block-kit).
MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_MODAL_TITLE = 24
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
MAX_MESSAGE_TEXT = 4000
MAX_PRIVATE_METADATA = 3000
MAX_ACCESSIBILITY_LABEL = 75


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def plain(text: str, limit: int = MAX_BUTTON_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def section(text: str, *, block_id: str | None = None, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = clip(block_id, MAX_BLOCK_ID)
    if accessory:
        block["accessory"] = accessory
    return block


def fields(*pairs: tuple[str, str]) -> Block:
    return {
        "type": "section",
        "fields": [mrkdwn(f"*{k}*\n{v}", MAX_FIELD_TEXT) for k, v in pairs[:MAX_FIELDS]],
    }


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:MAX_CONTEXT_ELEMENTS]]}


def divider() -> Block:
    return {"type": "divider"}


def confirm_dialog(title: str, text: str, yes: str, no: str = "Cancel") -> Block:
    # Slack's reference: a confirmation dialog's text is plain_text.
    return {
        "title": plain(title, MAX_CONFIRM_TITLE),
        "text": plain(text, MAX_CONFIRM_TEXT),
        "confirm": plain(yes, MAX_CONFIRM_BUTTON),
        "deny": plain(no, MAX_CONFIRM_BUTTON),
        "style": "danger",
    }


def button(
    text: str,
    action_id: str,
    value: str,
    *,
    label: str,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    """`label`: what a screen reader says, naming what the button acts on (a list of
    "Hang up" buttons must tell one call from another)."""
    if len(value) > MAX_BUTTON_VALUE:
        raise ValueError("button value too long")  # a bug, never user input
    element: Block = {
        "type": "button",
        "text": plain(text),
        "action_id": action_id[:MAX_ACTION_ID],
        "value": value,
        "accessibility_label": clip(label, MAX_ACCESSIBILITY_LABEL),
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements[:MAX_ACTIONS_ELEMENTS])}
    if block_id:
        block["block_id"] = block_id
    return block
