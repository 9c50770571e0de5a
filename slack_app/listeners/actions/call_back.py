"""Call back, on a call's final summary: the same pair again, through the policy
(and its confirmation) again; a double click dials once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...context import AppContext
from ..common import action_value, from_interaction, guarded


def clicked(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def call_back_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            await ws.service.call_back(req, action_value(body))

        await guarded(ctx, req, work())

    return call_back_clicked
