"""The "Your number" modal (from the App Home)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks import ids
from ...context import AppContext
from ..common import from_interaction, guarded, team_of
from .inputs import number_errors, value


def submitted(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def set_number_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        number = value(view, ids.INPUT_NUMBER)
        ws = await ctx.workspace(team_of(body))
        errors = number_errors({ids.INPUT_NUMBER: (number, True)}, ws.service.normalise)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        req = from_interaction(body)

        async def save() -> None:
            message = await ws.service.save_number(req, number)
            await ws.gateway.views_publish(
                req.user_id, await ws.home_view(req.team_id, req.user_id)
            )
            await ws.gateway.post_message(req.user_id, message, [])

        await guarded(ctx, req, save())

    return set_number_submitted
