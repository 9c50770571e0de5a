"""The "Place a call" modal (global shortcut, or "Call this number" on a message)."""

from __future__ import annotations

from typing import Any

from ...blocks import ids
from ...context import AppContext
from ...errors import UserError
from ...service.planner import ONCE_WINDOW
from ...store import DialPlan, Requester
from ...workspaces.workspace import Workspace
from ..common import app_context, guarded, submit, team_of
from .inputs import (
    acked,
    conversation,
    mentions,
    metadata,
    number_errors,
    selected,
    submitter,
    users,
    value,
)


async def call_submitted(
    ack: Any, body: dict[str, Any], view: dict[str, Any], context: dict[str, Any]
) -> None:
    ctx = app_context(context)
    src = value(view, ids.INPUT_FROM)
    dst = selected(view, ids.INPUT_TO) or value(view, ids.INPUT_TO)
    person = users(view, ids.INPUT_PEOPLE)
    ws = await ctx.workspace(team_of(body))
    errors = number_errors(
        {ids.INPUT_FROM: (src, False), ids.INPUT_TO: (dst, not person)}, ws.numbers.normalise
    )
    if person and dst:
        errors[ids.INPUT_TO] = "A colleague or a number: not both."
    if not await acked(ack, errors):
        return
    req = submitter(body, view, conversation(view, ids.INPUT_STATUS_CHANNEL))
    if person:
        await guarded(ctx, req, dial_person(ws, req, src, person))
        return
    once = metadata(view).get("once")
    await guarded(ctx, req, dial(ctx, ws, req, src, dst, once))


async def dial_person(ws: Workspace, req: Requester, src: str, person: list[str]) -> None:
    """A colleague picked in the form: the same as `/call [from <src>] @them`."""
    text = f"from {src} to {mentions(person)}" if src else mentions(person)
    numbers = await ws.numbers.call_numbers(req, text)
    await submit(ws, req, await ws.planner.plan_numbers(req, numbers))


async def dial(
    ctx: AppContext, ws: Workspace, req: Requester, src: str, dst: str, once: str | None
) -> None:
    """A form from a message's shortcut dials once per message and number ("once")."""
    await submit(ws, req, await _plan(ctx, ws, req, src, dst, once))


async def _plan(
    ctx: AppContext, ws: Workspace, req: Requester, src: str, dst: str, once: str | None
) -> DialPlan:
    if not once:
        return await ws.planner.plan_pair(req, src, dst)
    key = f"shortcut:{req.user_id}:{once}:{ws.numbers.normalise(dst)}"
    if not await ctx.store.once_keys.once(key, ws.now(), ONCE_WINDOW):
        raise UserError("You just called this number from that message; nothing more was dialled.")
    return await ws.planner.planned_once(key, ws.planner.plan_pair(req, src, dst))
