"""/call [<from>] <to>; /call set-number <number>; /call report [period] [csv] (admins)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks.replies import help_text
from ...context import AppContext
from ..common import dial_command, from_command, guarded


def handler(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def call_command(ack: Any, command: dict[str, Any]) -> None:
        text = command.get("text", "").strip()
        if not text or text.lower() == "help":
            await ack(text=help_text("/call"))
            return
        req = from_command(command)
        word, _, rest = text.partition(" ")
        if word.lower() in {"report", "set-number", "setnumber", "set"}:
            await ack()
        if word.lower() == "report":

            async def report() -> None:
                ws = await ctx.workspace(req.team_id)
                await ws.reports.answer(req.user_id, req.target, rest.lower().split())

            await guarded(ctx, req, report())
            return
        if word.lower() in {"set-number", "setnumber", "set"}:

            async def save() -> None:
                ws = await ctx.workspace(req.team_id)
                await ws.gateway.tell(req.target, await ws.service.save_number(req, rest))

            await guarded(ctx, req, save())
            return

        await dial_command(ack, ctx, req, "/call", lambda ws: ws.service.call_numbers(req, text))

    return call_command
