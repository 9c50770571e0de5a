"""/hangup [<id>]: end a call; with no id, list the user's calls with a button each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks.replies import hangup_list_blocks, help_text
from ...context import AppContext
from ..common import from_command, guarded


def handler(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def hangup_command(ack: Any, command: dict[str, Any]) -> None:
        text = command.get("text", "").strip()
        if text.lower() == "help":
            await ack(text=help_text("/hangup"))
            return
        if len(text.split()) > 1:
            await ack(text=f":warning: One id at a time, please.\n{help_text('/hangup')}")
            return
        await ack()
        req = from_command(command)

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            if text:
                await ws.gateway.tell(req.target, await ws.service.hang_up_by_id(req, text))
                return
            calls = await ws.service.my_live_calls(req)
            reply, blocks = hangup_list_blocks(calls, ws.display)
            await ws.gateway.tell(req.target, reply, blocks)

        await guarded(ctx, req, work())

    return hangup_command
