"""/price <numbers...>: per-minute price and validity of each number, and the total."""

from __future__ import annotations

from typing import Any

from ...blocks.replies import NUMBERS_HINT, help_text, price_blocks
from ...context import AppContext
from ...errors import UserError
from ...numbers_input import split_numbers
from ...store import Requester
from ..common import app_context, from_command, guarded


async def price_command(ack: Any, command: dict[str, Any], context: dict[str, Any]) -> None:
    text = command.get("text", "").strip()
    if not text or text.lower() == "help":
        await ack(text=help_text("/price"))
        return
    await ack()  # within milliseconds; the API call happens after
    ctx = app_context(context)
    req = from_command(command)
    await guarded(ctx, req, answer_prices(ctx, req, text))


async def answer_prices(ctx: AppContext, req: Requester, text: str) -> None:
    ws = await ctx.workspace(req.team_id)
    if not split_numbers(text):
        raise UserError(help_text("/price"))
    prices = await ws.planner.prices(text)
    if prices.pricing is None:
        raise UserError("\n".join([*prices.unreadable, NUMBERS_HINT]))
    reply, blocks = price_blocks(prices.pricing, ws.display.currency, prices.unreadable)
    await ws.gateway.tell(req.target, reply, blocks)
