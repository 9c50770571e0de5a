"""The "Add participant" modal (from a conference message's button)."""

from __future__ import annotations

from typing import Any

from ...blocks import ids
from ...store import Requester
from ...workspaces.workspace import Workspace
from ..common import app_context, guarded, submit, team_of
from .inputs import acked, metadata, number_errors, submitter, value


async def add_submitted(
    ack: Any, body: dict[str, Any], view: dict[str, Any], context: dict[str, Any]
) -> None:
    ctx = app_context(context)
    numbers = value(view, ids.INPUT_PARTICIPANTS)
    ws = await ctx.workspace(team_of(body))
    errors = number_errors({ids.INPUT_PARTICIPANTS: (numbers, True)}, ws.numbers.normalise)
    if not await acked(ack, errors):
        return
    req = submitter(body, view)
    key = str(metadata(view).get("key", ""))
    await guarded(ctx, req, add(ws, req, key, numbers))


async def add(ws: Workspace, req: Requester, key: str, numbers: str) -> None:
    await submit(ws, req, await ws.planner.plan_add(req, key, numbers))
