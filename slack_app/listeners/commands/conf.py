"""/conf [<from>] <to> <to> ...; with no arguments a modal asks for the participants."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks.modals import conference_modal
from ...blocks.replies import help_text
from ...context import AppContext
from ..common import dial_command, from_command, guarded


def handler(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def conf_command(ack: Any, command: dict[str, Any]) -> None:
        text = command.get("text", "").strip()
        if text.lower() == "help":
            await ack(text=help_text("/conf"))
            return
        req = from_command(command)
        if not text:
            await ack()

        async def open_modal() -> None:
            ws = await ctx.workspace(req.team_id)
            await ws.service.check_allowed(req)
            saved = await ctx.store.saved_number(req.team_id, req.user_id)
            # The modal's submission has no channel: carry it (and where to answer).
            meta = {"channel": req.channel_id, "response_url": req.response_url}
            view = conference_modal(saved_number=saved, meta=meta)
            result = await ws.gateway.views_open(command["trigger_id"], view)
            if not result.ok:
                await ws.gateway.tell(
                    req.target,
                    "I couldn't open the form; type the numbers instead: "
                    "`/conf <from> <to>, <to>`.",
                )

        if not text:  # the trigger expires in 3 s: no queueing
            await guarded(ctx, req, open_modal(), urgent=True)
            return
        await dial_command(
            ack, ctx, req, "/conf", lambda ws: ws.service.conference_numbers(req, text)
        )

    return conf_command
