"""Call / Cancel on a confirmation (a double click finds it already answered)."""

from __future__ import annotations

from typing import Any

from ...context import AppContext
from ...store import Requester
from ..common import action_value, clicked


async def confirm_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await _answered(ack, body, context, accept=True)


async def cancel_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await _answered(ack, body, context, accept=False)


async def _answered(
    ack: Any, body: dict[str, Any], context: dict[str, Any], *, accept: bool
) -> None:
    await clicked(
        ack, body, context, lambda ctx, req: answer(ctx, req, action_value(body), accept=accept)
    )


async def answer(ctx: AppContext, req: Requester, pending_id: str, *, accept: bool) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.dialler.confirm(req, pending_id, accept=accept)
