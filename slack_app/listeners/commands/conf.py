"""/conf [<from>] <to> <to> ...; with no arguments a modal asks for the participants."""

from __future__ import annotations

from typing import Any

from ...blocks.modals import conference_modal
from ...blocks.replies import help_text
from ...context import AppContext
from ...store import Requester
from ..common import app_context, dial_command, from_command, guarded


async def conf_command(ack: Any, command: dict[str, Any], context: dict[str, Any]) -> None:
    text = command.get("text", "").strip()
    if text.lower() == "help":
        await ack(text=help_text("/conf"))
        return
    ctx = app_context(context)
    req = from_command(command)
    if not text:
        await ack()
        # The trigger expires in 3 s: no queueing.
        await guarded(ctx, req, open_form(ctx, req, command), urgent=True)
        return
    await dial_command(ack, ctx, req, "/conf", lambda ws: ws.numbers.conference_numbers(req, text))


async def open_form(ctx: AppContext, req: Requester, command: dict[str, Any]) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.access.check_allowed(req)
    saved = await ctx.store.workspaces.saved_number(req.team_id, req.user_id)
    # The modal's submission has no channel: carry it (and where to answer).
    meta = {"channel": req.channel_id, "response_url": req.response_url}
    result = await ws.gateway.views_open(
        command["trigger_id"], conference_modal(saved_number=saved, meta=meta)
    )
    if not result.ok:
        await ws.gateway.tell(
            req.target,
            "I couldn't open the form; type the numbers instead: `/conf <from> <to>, <to>`.",
        )
