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
from .inputs import acked, conversation, metadata, number_errors, selected, submitter, value


async def call_submitted(
    ack: Any, body: dict[str, Any], view: dict[str, Any], context: dict[str, Any]
) -> None:
    ctx = app_context(context)
    src = value(view, ids.INPUT_FROM)
    dst = selected(view, ids.INPUT_TO) or value(view, ids.INPUT_TO)
    ws = await ctx.workspace(team_of(body))
    errors = number_errors(
        {ids.INPUT_FROM: (src, False), ids.INPUT_TO: (dst, True)}, ws.numbers.normalise
    )
    if not await acked(ack, errors):
        return
    req = submitter(body, view, conversation(view, ids.INPUT_STATUS_CHANNEL))
    once = metadata(view).get("once")
    await guarded(ctx, req, dial(ctx, ws, req, src, dst, once))


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
