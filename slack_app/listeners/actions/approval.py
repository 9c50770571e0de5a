"""Approve / Deny on an approval request in the approvers' channel (the first answer
counts, on any instance; a later one is told it came too late)."""

from __future__ import annotations

from typing import Any

from ...context import AppContext
from ...store import Requester
from ..common import action_value, clicked


async def approve_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await _decided(ack, body, context, approve=True)


async def deny_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await _decided(ack, body, context, approve=False)


async def _decided(
    ack: Any, body: dict[str, Any], context: dict[str, Any], *, approve: bool
) -> None:
    await clicked(
        ack, body, context, lambda ctx, req: decide(ctx, req, action_value(body), approve=approve)
    )


async def decide(ctx: AppContext, req: Requester, approval_id: str, *, approve: bool) -> None:
    ws = await ctx.workspace(req.team_id)
    approved = await ws.approvals.decide(req, approval_id, approve=approve)
    if approved is not None:
        where, plan = approved
        await ws.dialler.place(where, plan, confirmed=True, approved_by=req.user_id)
