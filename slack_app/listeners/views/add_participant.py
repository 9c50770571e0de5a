"""The "Add participant" modal (from a conference message's button)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks import ids
from ...context import AppContext
from ..common import guarded, team_of
from .inputs import metadata, number_errors, submitter, value


def submitted(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def add_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        numbers = value(view, ids.INPUT_PARTICIPANTS)
        ws = await ctx.workspace(team_of(body))
        errors = number_errors({ids.INPUT_PARTICIPANTS: (numbers, True)}, ws.service.normalise)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        req = submitter(body, view)

        async def add() -> None:
            key = str(metadata(view).get("key", ""))
            plan = await ws.service.plan_add(req, key, numbers)
            await ws.service.submit(req, plan)

        await guarded(ctx, req, add())

    return add_submitted
