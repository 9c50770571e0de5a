"""The "New conference" modal (opened by /conf with no arguments)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks import ids
from ...context import AppContext
from ..common import guarded, team_of
from .inputs import number_errors, submitter, value


def submitted(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def conference_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        src = value(view, ids.INPUT_FROM)
        participants = value(view, ids.INPUT_PARTICIPANTS)
        ws = await ctx.workspace(team_of(body))
        errors = number_errors(
            {ids.INPUT_FROM: (src, False), ids.INPUT_PARTICIPANTS: (participants, True)},
            ws.service.normalise,
        )
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()  # closes the modal; pricing and dialling follow
        req = submitter(body, view)

        async def dial() -> None:
            plan = await ws.service.plan_conference(req, participants, src_text=src or None)
            await ws.service.submit(req, plan)

        await guarded(ctx, req, dial())

    return conference_submitted
