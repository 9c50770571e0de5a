"""Reading modal inputs and answering with field errors (pure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ...numbers_input import NumberInputError, split_numbers
from ...store import Requester
from ..common import from_interaction

try:
    from talkety_core.numbers import PhoneNumberError
except ImportError:  # pragma: no cover
    PhoneNumberError = ValueError  # type: ignore[misc,assignment]


async def acked(ack: Any, errors: dict[str, str]) -> bool:
    """Answer a submitted form: with its field errors (it stays open for the user to fix
    them), or closing it. True if it closed."""
    if errors:
        await ack(response_action="errors", errors=errors)
        return False
    await ack()
    return True


def value(view: dict[str, Any], block_id: str) -> str:
    block = view.get("state", {}).get("values", {}).get(block_id, {})
    return str((block.get(block_id) or {}).get("value") or "").strip()


def _element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = view.get("state", {}).get("values", {}).get(block_id, {})
    return block.get(block_id) or {}


def selected(view: dict[str, Any], block_id: str) -> str:
    """A static select's chosen value ("" if none)."""
    option = _element(view, block_id).get("selected_option") or {}
    return str(option.get("value") or "")


def conversation(view: dict[str, Any], block_id: str) -> str:
    return str(_element(view, block_id).get("selected_conversation") or "")


def users(view: dict[str, Any], block_id: str) -> list[str]:
    """A users select's choice, or a multi-users select's."""
    element = _element(view, block_id)
    chosen = element.get("selected_users") or [element.get("selected_user")]
    return [str(u) for u in chosen if u]


def ticked(view: dict[str, Any], block_id: str) -> list[str]:
    """A checkboxes element's ticked options' values."""
    options = _element(view, block_id).get("selected_options") or []
    return [str(option.get("value")) for option in options if isinstance(option, dict)]


def mentions(user_ids: list[str]) -> str:
    """People picked in a form, written as a command would name them."""
    return " ".join(f"<@{user_id}>" for user_id in user_ids)


def submitter(body: dict[str, Any], view: dict[str, Any], channel: str = "") -> Requester:
    """Who submitted a modal, answered where it was opened from: a submission carries no
    channel or response_url, so the modal's metadata does (else `channel`, else a DM)."""
    meta = metadata(view)
    who = from_interaction(body)
    where = meta.get("channel") or channel or who.user_id
    thread = meta.get("thread") if where == meta.get("channel") else None
    return Requester(who.team_id, who.user_id, where, meta.get("response_url"), thread)


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def number_errors(
    fields: dict[str, tuple[str, bool]], normalise: Callable[[str], str]
) -> dict[str, str]:
    """Field errors for inputs that do not read as phone numbers (checked before the ack,
    so the user can fix them in the still-open modal). fields: block_id -> (text, required)."""
    errors = {}
    for block_id, (text, required) in fields.items():
        typed = split_numbers(text)
        if required and not typed:
            errors[block_id] = "Enter at least one phone number."
        for number in typed:
            try:
                normalise(number)
            except (NumberInputError, PhoneNumberError) as err:
                errors[block_id] = str(err)[:150]
                break
    return errors
