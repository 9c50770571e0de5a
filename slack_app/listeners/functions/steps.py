"""function_executed: a workflow ran *Place a call* or *Start a conference*.

The inputs come from whoever built the workflow, so they are read as strictly as a
command's text; what cannot be read fails the step with why, and nothing is dialled.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import UserError
from ...service.steps import StepFunction, StepOrder
from ...store import Requester
from ...workspaces.directory import NotConnected
from ..common import app_context, guarded

_USER = re.compile(r"[UW][A-Z0-9]{1,31}")
_CHANNEL = re.compile(r"[CGD][A-Z0-9]{1,31}")
_EXECUTION = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_NUMBERS_TEXT = 500
MAX_PEOPLE = 20


async def place_call_step(event: dict[str, Any], context: dict[str, Any], fail: Any) -> None:
    await _run(StepFunction.CALL, event, context, fail)


async def conference_step(event: dict[str, Any], context: dict[str, Any], fail: Any) -> None:
    await _run(StepFunction.CONFERENCE, event, context, fail)


async def _run(
    function: StepFunction, event: dict[str, Any], context: dict[str, Any], fail: Any
) -> None:
    ctx = app_context(context)
    team_id = str(context.get("team_id") or "")
    try:
        order = read_order(function, event)
        ws = await ctx.workspace(team_id)
    except UserError as err:
        await fail(str(err))
        return
    except NotConnected:
        await fail(
            "Talkety is not connected in this workspace yet: an admin connects it from "
            "the Talkety app's Home tab."
        )
        return
    req = Requester(team_id, order.caller, order.channel)
    await guarded(ctx, req, ws.steps.run(team_id, order))


def read_order(function: StepFunction, event: dict[str, Any]) -> StepOrder:
    """A step's inputs as an order, or UserError saying which input is wrong."""
    execution_id = str(event.get("function_execution_id") or "")
    if not _EXECUTION.fullmatch(execution_id):
        raise UserError("Slack sent this step without a usable execution id.")
    inputs = event.get("inputs")
    inputs = inputs if isinstance(inputs, dict) else {}
    caller = _one(inputs.get("caller"), _USER, "Caller", "a person")
    channel = _one(inputs.get("channel"), _CHANNEL, "Channel for the status", "a channel")
    people: tuple[str, ...]
    if function is StepFunction.CALL:
        person = inputs.get("person")
        people = (
            () if person in (None, "") else (_one(person, _USER, "Person to call", "a person"),)
        )
        numbers = _text(inputs.get("number"), "Number to call")
        if bool(people) == bool(numbers):
            raise UserError("Fill in either *Person to call* or *Number to call* (one of them).")
    else:
        listed = inputs.get("people") or []
        if not isinstance(listed, list) or len(listed) > MAX_PEOPLE:
            raise UserError(f"*People to call* takes a list of at most {MAX_PEOPLE} people.")
        people = tuple(_one(p, _USER, "People to call", "people") for p in listed)
        numbers = _text(inputs.get("numbers"), "Numbers to call")
        if not people and not numbers:
            raise UserError("Fill in *People to call*, *Numbers to call*, or both.")
    return StepOrder(execution_id, function, caller, channel, people, numbers)


def _one(value: Any, pattern: re.Pattern[str], name: str, what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise UserError(f"*{name}* must be {what} picked in Workflow Builder.")
    return value


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_NUMBERS_TEXT:
        raise UserError(f"*{name}* must be text of at most {MAX_NUMBERS_TEXT} characters.")
    # Only numbers here: people come from the people inputs, so no mention is read in it.
    return value.replace("<", " ").replace(">", " ").strip()
