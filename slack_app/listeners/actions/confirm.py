"""Call / Cancel on the price confirmation (a double click finds it already used)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...context import AppContext
from ..common import action_value, from_interaction, guarded


def answer(ctx: AppContext, *, accept: bool) -> Callable[..., Awaitable[None]]:
    async def confirmation_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            await ws.service.confirm(req, action_value(body), accept=accept)

        await guarded(ctx, req, work())

    return confirmation_clicked
