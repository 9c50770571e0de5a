"""/hangup [<id>]: end a call; with no id, list the user's calls with a button each.
`/hangup call <id>` or `/hangup conference <id>` says which, where one id is both."""

from __future__ import annotations

from typing import Any

from ...blocks.replies import hangup_list_blocks, help_text
from ...context import AppContext
from ...service.hangups import KINDS
from ...store import Requester
from ..common import app_context, from_command, guarded


async def hangup_command(ack: Any, command: dict[str, Any], context: dict[str, Any]) -> None:
    text = command.get("text", "").strip()
    if text.lower() == "help":
        await ack(text=help_text("/hangup"))
        return
    words = text.split()
    kind = words[0].lower() if len(words) == 2 and words[0].lower() in KINDS else None
    if len(words) > 1 and kind is None:
        await ack(text=f":warning: One id at a time, please.\n{help_text('/hangup')}")
        return
    await ack()
    ctx = app_context(context)
    req = from_command(command)
    if words:
        await guarded(ctx, req, hang_up_id(ctx, req, words[-1], kind))
    else:
        await guarded(ctx, req, list_calls(ctx, req))


async def hang_up_id(ctx: AppContext, req: Requester, subject_id: str, kind: str | None) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.gateway.tell(req.target, await ws.hangups.hang_up_by_id(req, subject_id, kind))


async def list_calls(ctx: AppContext, req: Requester) -> None:
    ws = await ctx.workspace(req.team_id)
    calls = await ws.hangups.my_live_calls(req)
    reply, blocks = hangup_list_blocks(calls, ws.display)
    await ws.gateway.tell(req.target, reply, blocks)
