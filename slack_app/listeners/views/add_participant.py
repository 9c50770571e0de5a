"""The "Add participant" modal (from a conference message's button)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks import ids
from ...context import AppContext
from ...service import Requester
from ..common import from_interaction, guarded
from .inputs import metadata, number_errors, value


def submitted(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def add_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        numbers = value(view, ids.INPUT_PARTICIPANTS)
        errors = number_errors({ids.INPUT_PARTICIPANTS: (numbers, True)}, ctx.service.normalise)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        meta = metadata(view)
        who = from_interaction(body)
        req = Requester(
            who.team_id, who.user_id, meta.get("channel") or who.user_id, meta.get("response_url")
        )

        async def add() -> None:
            plan = await ctx.service.plan_add(req, str(meta.get("key", "")), numbers)
            await ctx.service.submit(req, plan)

        await guarded(ctx, req.target, add())

    return add_submitted
