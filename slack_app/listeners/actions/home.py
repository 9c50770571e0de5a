"""App Home buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks.modals import set_number_modal
from ...context import AppContext
from ..common import from_interaction, guarded


def set_number(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def set_number_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)

        async def work() -> None:
            saved = await ctx.store.saved_number(req.team_id, req.user_id)
            view = set_number_modal(saved_number=saved, meta={})
            await ctx.gateway.views_open(body["trigger_id"], view)

        await guarded(ctx, req.target, work(), urgent=True)  # a trigger lasts 3 s

    return set_number_clicked
