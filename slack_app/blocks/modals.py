"""Modals: a call, a new conference, adding a participant, saving your number, and
(distributed mode) connecting Talkety and a workspace's settings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..policy import Policy
from ..policy_fields import EDITABLE, FLAG_OPTIONS, Kind, PolicyField, form_text
from . import ids
from .kit import (
    MAX_MODAL_TITLE,
    MAX_PRIVATE_METADATA,
    MAX_SECTION_TEXT,
    clip,
    context,
    plain,
    section,
)


def _input(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    initial: str | None = None,
    placeholder: str | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": block_id,
        "multiline": multiline,
    }
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _modal(
    callback_id: str, title: str, submit: str, blocks: list[Any], meta: dict[str, Any]
) -> dict[str, Any]:
    metadata = json.dumps(meta, separators=(",", ":"))
    if len(metadata) > MAX_PRIVATE_METADATA:
        raise ValueError("private_metadata too long")  # a bug, never user input
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(clip(title, MAX_MODAL_TITLE)),
        "submit": plain(clip(submit, 24)),
        "close": plain("Cancel"),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def conference_modal(*, saved_number: str | None, meta: dict[str, Any]) -> dict[str, Any]:
    return _modal(
        ids.VIEW_CONFERENCE,
        "New conference",
        "Start",
        [
            _input(
                ids.INPUT_FROM,
                "Your number (rung first)",
                optional=bool(saved_number),
                initial=f"+{saved_number}" if saved_number else None,
                placeholder="+1 123 456 7890",
            ),
            _people(ids.INPUT_PEOPLE, "Colleagues", multiple=True),
            _input(
                ids.INPUT_PARTICIPANTS,
                "Numbers",
                multiline=True,
                optional=True,
                placeholder="One number per line",
                hint="Type numbers as you like: +1 123 456 7890, 0049 30 1234567, ...",
            ),
        ],
        meta,
    )


def _people(block_id: str, label: str, *, multiple: bool) -> dict[str, Any]:
    """Colleagues to call by name: each is rung on the number they saved themselves."""
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label),
        "hint": plain("Each is rung on the number they saved with /call set-number.", 2000),
        "element": {
            "type": "multi_users_select" if multiple else "users_select",
            "action_id": block_id,
        },
    }


def add_participant_modal(*, meta: dict[str, Any]) -> dict[str, Any]:
    return _modal(
        ids.VIEW_ADD,
        "Add participant",
        "Call",
        [_input(ids.INPUT_PARTICIPANTS, "Numbers to add", multiline=True)],
        meta,
    )


def set_number_modal(*, saved_number: str | None, meta: dict[str, Any]) -> dict[str, Any]:
    return _modal(
        ids.VIEW_SET_NUMBER,
        "Your number",
        "Save",
        [
            _input(
                ids.INPUT_NUMBER,
                "The number calls ring first",
                initial=f"+{saved_number}" if saved_number else None,
                placeholder="+1 123 456 7890",
                # Saving it is also the consent to be rung by colleagues.
                hint="Colleagues can also call you on it with /call @you; "
                "they see only its last digits.",
            )
        ],
        meta,
    )


@dataclass(frozen=True, slots=True)
class Choice:
    """A number found in a message: offered to call, or shown with why it is not."""

    typed: str
    digits: str | None  # None: not callable
    note: str = ""  # its price per minute, or the reason


def call_modal(
    *,
    saved_number: str | None,
    meta: dict[str, Any],
    choices: Sequence[Choice] | None = None,
    ask_channel: bool = False,
) -> dict[str, Any]:
    """ "Place a call": a number to type (global shortcut), or one of those found in a
    message (message shortcut), each with its price once known."""
    blocks: list[dict[str, Any]] = [
        _input(
            ids.INPUT_FROM,
            "Your number (rung first)",
            optional=bool(saved_number),
            initial=f"+{saved_number}" if saved_number else None,
            placeholder="+1 123 456 7890",
        )
    ]
    if choices is None:
        blocks.append(_people(ids.INPUT_PEOPLE, "Colleague to call", multiple=False))
        blocks.append(
            _input(
                ids.INPUT_TO,
                "Or a number to call",
                optional=True,
                placeholder="+1 987 654 3210",
            )
        )
    else:
        callable_ = [c for c in choices if c.digits][:MAX_CHOICES]
        blocks.append(_select(ids.INPUT_TO, "Number to call", callable_))
        refused = [c for c in choices if not c.digits]
        if refused:
            lines = "\n".join(f"• {c.typed}: {c.note}" for c in refused[:10])
            blocks.append(context(clip(f"Not offered:\n{lines}", MAX_SECTION_TEXT)))
        if len([c for c in choices if c.digits]) > MAX_CHOICES:
            blocks.append(
                context(f"The message has more numbers; the first {MAX_CHOICES} are offered.")
            )
    if ask_channel:
        blocks.append(
            {
                "type": "input",
                "block_id": ids.INPUT_STATUS_CHANNEL,
                "optional": True,
                "label": plain("Show the call's status in"),
                "hint": plain("Empty: in our direct messages."),
                "element": {
                    "type": "conversations_select",
                    "action_id": ids.INPUT_STATUS_CHANNEL,
                    "default_to_current_conversation": True,
                    "filter": {"include": ["public", "private"], "exclude_bot_users": True},
                },
            }
        )
    return _modal(ids.VIEW_CALL, "Place a call", "Call", blocks, meta)


MAX_CHOICES = 10


def _select(block_id: str, label: str, choices: Sequence[Choice]) -> dict[str, Any]:
    options = [
        {
            "text": plain(clip(f"{c.typed}  {c.note}".strip(), 75)),
            "value": c.digits,
        }
        for c in choices
    ]
    element: dict[str, Any] = {"type": "static_select", "action_id": block_id, "options": options}
    if len(options) == 1:
        element["initial_option"] = options[0]
    return {"type": "input", "block_id": block_id, "label": plain(label), "element": element}


def connect_modal(*, url: str, username: str) -> dict[str, Any]:
    """A workspace admin connects its Talkety account; secrets are never shown again."""
    return _modal(
        ids.VIEW_CONNECT,
        "Connect Talkety",
        "Check and save",
        [
            section(
                "Calls from this workspace are placed and paid with this Talkety account. "
                "I check the details with Talkety before saving them; the password and app "
                "key are stored encrypted and never shown again."
            ),
            _input(ids.INPUT_TALKETY_URL, "Talkety API URL", initial=url),
            _input(ids.INPUT_TALKETY_USERNAME, "Login", initial=username or None),
            _input(ids.INPUT_TALKETY_PASSWORD, "Password"),
            _input(ids.INPUT_TALKETY_APP_KEY, "App key"),
        ],
        {},
    )


def settings_modal(policy: Policy, report_channel: str | None) -> dict[str, Any]:
    """A workspace's own limits (distributed mode); empty fields mean no limit."""
    return _modal(
        ids.VIEW_SETTINGS,
        "Talkety settings",
        "Save",
        [
            *(_setting(field, policy) for field in EDITABLE),
            _conversation(ids.INPUT_REPORT_CHANNEL, "Daily spend digest in", report_channel),
        ],
        {},
    )


def _setting(field: PolicyField, policy: Policy) -> dict[str, Any]:
    if field.kind is Kind.USERS:
        users = getattr(policy, field.name)
        return _users(field.input_id, field.label, users, optional=not field.required)
    if field.kind is Kind.FLAG:
        return _flag(field, on=bool(getattr(policy, field.name)))
    if field.kind is Kind.CHANNEL:
        return _conversation(field.input_id, field.label, getattr(policy, field.name), field.hint)
    return _input(
        field.input_id,
        field.label,
        optional=not field.required,
        initial=form_text(field, policy),
        hint=field.hint or None,
    )


def _conversation(block_id: str, label: str, initial: str | None, hint: str = "") -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label),
        "element": {
            "type": "conversations_select",
            "action_id": block_id,
            **({"initial_conversation": initial} if initial else {}),
        },
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _flag(field: PolicyField, *, on: bool) -> dict[str, Any]:
    option = {"text": plain(FLAG_OPTIONS[field.name]), "value": "on"}
    element: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": field.input_id,
        "options": [option],
    }
    if on:
        element["initial_options"] = [option]
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.input_id,
        "optional": True,
        "label": plain(field.label),
        "element": element,
    }
    if field.hint:
        block["hint"] = plain(field.hint, 2000)
    return block


def _users(
    block_id: str, label: str, users: frozenset[str], *, optional: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "multi_users_select", "action_id": block_id}
    if users:
        element["initial_users"] = sorted(users)
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": optional,
        "element": element,
    }


def notice_modal(title: str, text: str) -> dict[str, Any]:
    """What replaces a form that has nothing left to submit."""
    return {
        "type": "modal",
        "title": plain(clip(title, MAX_MODAL_TITLE)),
        "close": plain("Close"),
        "blocks": [section(text)],
    }
