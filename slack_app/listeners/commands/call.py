"""/call [<from>] <to>; /call set-number <number>; /call report [period] [csv] and
/call budget [#channel] [amount|off] (admins)."""

from __future__ import annotations

from typing import Any

from ...blocks.replies import help_text
from ...context import AppContext
from ...store import Requester
from ..common import app_context, dial_command, from_command, guarded

SET_NUMBER_WORDS = {"set-number", "setnumber", "set"}


async def call_command(ack: Any, command: dict[str, Any], context: dict[str, Any]) -> None:
    text = command.get("text", "").strip()
    if not text or text.lower() == "help":
        await ack(text=help_text("/call"))
        return
    ctx = app_context(context)
    req = from_command(command)
    word, _, rest = text.partition(" ")
    if word.lower() == "report":
        await ack()
        await guarded(ctx, req, answer_report(ctx, req, rest))
    elif word.lower() == "budget":
        await ack()
        await guarded(ctx, req, set_budget(ctx, req, rest))
    elif word.lower() in SET_NUMBER_WORDS:
        await ack()
        await guarded(ctx, req, save_number(ctx, req, rest))
    else:
        await dial_command(ack, ctx, req, "/call", lambda ws: ws.numbers.call_numbers(req, text))


async def answer_report(ctx: AppContext, req: Requester, rest: str) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.reports.answer(req.user_id, req.target, rest.lower().split())


async def save_number(ctx: AppContext, req: Requester, typed: str) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.gateway.tell(req.target, await ws.saved_numbers.save(req, typed))


async def set_budget(ctx: AppContext, req: Requester, rest: str) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.gateway.tell(req.target, await ws.budgets.answer(req, rest))
