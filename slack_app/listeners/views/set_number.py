"""The "Your number" modal (from the App Home)."""

from __future__ import annotations

from typing import Any

from ...blocks import ids
from ...store import Requester
from ...workspaces.workspace import Workspace
from ..common import app_context, from_interaction, guarded, team_of
from .inputs import acked, number_errors, value


async def set_number_submitted(
    ack: Any, body: dict[str, Any], view: dict[str, Any], context: dict[str, Any]
) -> None:
    ctx = app_context(context)
    number = value(view, ids.INPUT_NUMBER)
    ws = await ctx.workspace(team_of(body))
    errors = number_errors({ids.INPUT_NUMBER: (number, True)}, ws.numbers.normalise)
    if not await acked(ack, errors):
        return
    req = from_interaction(body)
    await guarded(ctx, req, save(ws, req, number))


async def save(ws: Workspace, req: Requester, number: str) -> None:
    message = await ws.saved_numbers.save(req, number)
    await ws.gateway.views_publish(req.user_id, await ws.home_view(req.team_id, req.user_id))
    await ws.gateway.post_message(req.user_id, message, [])
