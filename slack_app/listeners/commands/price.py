"""/price <numbers...>: per-minute price and validity of each number, and the total."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks.replies import help_text
from ...context import AppContext
from ..common import from_command, guarded


def handler(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def price_command(ack: Any, command: dict[str, Any]) -> None:
        text = command.get("text", "").strip()
        if not text or text.lower() == "help":
            await ack(text=help_text("/price"))
            return
        await ack()  # within milliseconds; the API call happens after
        req = from_command(command)

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            reply, blocks = await ws.service.price(text)
            await ws.gateway.tell(req.target, reply, blocks)

        await guarded(ctx, req, work())

    return price_command
