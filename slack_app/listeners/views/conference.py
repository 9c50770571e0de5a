"""The "New conference" modal (opened by /conf with no arguments)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks import ids
from ...context import AppContext
from ...service import Requester
from ..common import from_interaction, guarded
from .inputs import metadata, number_errors, value


def submitted(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def conference_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        src = value(view, ids.INPUT_FROM)
        participants = value(view, ids.INPUT_PARTICIPANTS)
        errors = number_errors(
            {ids.INPUT_FROM: (src, False), ids.INPUT_PARTICIPANTS: (participants, True)},
            ctx.service.normalise,
        )
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()  # closes the modal; pricing and dialling follow
        meta = metadata(view)
        who = from_interaction(body)
        req = Requester(
            who.team_id, who.user_id, meta.get("channel") or who.user_id, meta.get("response_url")
        )

        async def dial() -> None:
            plan = await ctx.service.plan_conference(req, participants, src_text=src or None)
            await ctx.service.submit(req, plan)

        await guarded(ctx, req.target, dial())

    return conference_submitted
