"""Call back, on a call's final summary: the same pair again, through the policy
(and its confirmation) again; a double click dials once."""

from __future__ import annotations

from typing import Any

from ...context import AppContext
from ...store import Requester
from ..common import action_value, clicked, submit


async def call_back_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await clicked(ack, body, context, lambda ctx, req: call_back(ctx, req, action_value(body)))


async def call_back(ctx: AppContext, req: Requester, key: str) -> None:
    ws = await ctx.workspace(req.team_id)
    where, plan = await ws.planner.plan_call_back(req, key)
    # Calling back the call that just ended is the point: not asked as a repeat.
    await submit(ws, where, plan, ask_if_repeated=False)
