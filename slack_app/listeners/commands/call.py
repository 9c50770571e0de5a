"""/call [<from>] <to>, and /call set-number <number>."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks.replies import help_text
from ...context import AppContext
from ..common import from_command, guarded


def handler(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def call_command(ack: Any, command: dict[str, Any]) -> None:
        text = command.get("text", "").strip()
        if not text or text.lower() == "help":
            await ack(text=help_text("/call"))
            return
        await ack()
        req = from_command(command)
        word, _, rest = text.partition(" ")
        if word.lower() in {"set-number", "setnumber", "set"}:

            async def save() -> None:
                await ctx.gateway.tell(req.target, await ctx.service.save_number(req, rest))

            await guarded(ctx, req.target, save())
            return

        async def dial() -> None:
            plan = await ctx.service.plan_call(req, text)
            await ctx.service.submit(req, plan)

        await guarded(ctx, req.target, dial())

    return call_command
