"""Message shortcut "Call this number": pick one of the message's numbers, see its price,
dial it like /call (same policy, same confirmation, status in that channel)."""

from __future__ import annotations

from typing import Any

from ...blocks.modals import call_modal, notice_modal
from ...context import AppContext
from ...store import Requester
from ..common import clicked


async def call_number_shortcut(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await clicked(ack, body, context, lambda ctx, req: offer_numbers(ctx, req, body), urgent=True)


async def offer_numbers(ctx: AppContext, req: Requester, body: dict[str, Any]) -> None:
    message = body.get("message") or {}
    ws = await ctx.workspace(req.team_id)
    await ws.access.check_allowed(req)
    choices = ws.numbers.offer(str(message.get("text") or ""))
    if not any(c.digits for c in choices):
        refused = "; ".join(f"{c.typed}: {c.note}" for c in choices[:5])
        await ws.gateway.tell(
            req.target,
            f":warning: None of the numbers in that message can be called ({refused})."
            if choices
            else "I found no phone number in that message.",
        )
        return
    saved = await ctx.store.workspaces.saved_number(req.team_id, req.user_id)
    meta = {
        "channel": req.channel_id,
        "response_url": req.response_url,
        "once": f"{req.channel_id}:{message.get('ts', '')}",
        # A message in a thread: the status joins that thread.
        "thread": message.get("thread_ts"),
    }
    # Open first (the trigger lasts 3 s), then show the prices.
    opened = await ws.gateway.views_open(
        body["trigger_id"], call_modal(saved_number=saved, meta=meta, choices=choices)
    )
    view_id = (opened.data.get("view") or {}).get("id")
    if not opened.ok or not view_id:
        await ws.gateway.tell(req.target, "I couldn't open the form; use `/call` instead.")
        return
    priced = await ws.planner.priced(choices)
    if any(c.digits for c in priced):
        view = call_modal(saved_number=saved, meta=meta, choices=priced)
    else:
        view = notice_modal(
            "Place a call", "Talkety cannot call any of the numbers in that message."
        )
    await ws.gateway.views_update(view_id, view)
