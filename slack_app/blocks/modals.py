"""Modals: a new conference, adding a participant, saving your number."""

from __future__ import annotations

import json
from typing import Any

from . import ids
from .kit import MAX_PRIVATE_METADATA, clip, plain


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
        "title": plain(clip(title, 24)),
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
            _input(
                ids.INPUT_PARTICIPANTS,
                "Participants",
                multiline=True,
                placeholder="One number per line",
                hint="Type numbers as you like: +1 123 456 7890, 0049 30 1234567, ...",
            ),
        ],
        meta,
    )


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
            )
        ],
        meta,
    )
