"""The "Place a call" modal (global shortcut, or "Call this number" on a message)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks import ids
from ...context import AppContext
from ...errors import UserError
from ...service import ONCE_WINDOW
from ..common import guarded, team_of
from .inputs import conversation, metadata, number_errors, selected, submitter, value


def submitted(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def call_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        src = value(view, ids.INPUT_FROM)
        dst = selected(view, ids.INPUT_TO) or value(view, ids.INPUT_TO)
        ws = await ctx.workspace(team_of(body))
        errors = number_errors(
            {ids.INPUT_FROM: (src, False), ids.INPUT_TO: (dst, True)}, ws.service.normalise
        )
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        meta = metadata(view)
        req = submitter(body, view, conversation(view, ids.INPUT_STATUS_CHANNEL))

        async def dial() -> None:
            once = meta.get("once")
            key = f"shortcut:{req.user_id}:{once}:{ws.service.normalise(dst)}"
            if not once:
                plan = await ws.service.plan_pair(req, src, dst)
            elif await ctx.store.once(key, ws.service.now(), ONCE_WINDOW):
                plan = await ws.service.planned_once(key, ws.service.plan_pair(req, src, dst))
            else:
                raise UserError(
                    "You just called this number from that message; nothing more was dialled."
                )
            await ws.service.submit(req, plan)

        await guarded(ctx, req, dial())

    return call_submitted
