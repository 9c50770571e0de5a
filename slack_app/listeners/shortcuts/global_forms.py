"""Global shortcuts "Place a call" and "Start a conference": the forms /call and /conf
take, opened from the shortcuts menu (where there is no channel to answer in)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks.modals import call_modal, conference_modal
from ...context import AppContext
from ...service import Requester
from ..common import from_interaction, guarded

BuildForm = Callable[[Requester, str | None], dict[str, Any]]


def place_call(req: Requester, saved: str | None) -> dict[str, Any]:
    # The caller picks where the status goes (default: where they are).
    return call_modal(saved_number=saved, meta={}, ask_channel=True)


def start_conference(req: Requester, saved: str | None) -> dict[str, Any]:
    return conference_modal(saved_number=saved, meta={"channel": req.user_id})


def opens(ctx: AppContext, build: BuildForm) -> Callable[..., Awaitable[None]]:
    async def global_shortcut(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            await ws.service.check_allowed(req)  # no form for someone who may not call
            saved = await ctx.store.saved_number(req.team_id, req.user_id)
            await ws.gateway.views_open(body["trigger_id"], build(req, saved))

        await guarded(ctx, req, work(), urgent=True)  # a trigger lasts 3 s

    return global_shortcut
