"""Global shortcuts "Place a call" and "Start a conference": the forms /call and /conf
take, opened from the shortcuts menu (where there is no channel to answer in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...blocks.modals import call_modal, conference_modal
from ...context import AppContext
from ...store import Requester
from ..common import clicked

BuildForm = Callable[[Requester, str | None], dict[str, Any]]


def call_form(req: Requester, saved: str | None) -> dict[str, Any]:
    # The caller picks where the status goes (default: where they are).
    return call_modal(saved_number=saved, meta={}, ask_channel=True)


def conference_form(req: Requester, saved: str | None) -> dict[str, Any]:
    return conference_modal(saved_number=saved, meta={"channel": req.user_id})


async def place_call_shortcut(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await _opened(ack, body, context, call_form)


async def start_conference_shortcut(
    ack: Any, body: dict[str, Any], context: dict[str, Any]
) -> None:
    await _opened(ack, body, context, conference_form)


async def _opened(
    ack: Any, body: dict[str, Any], context: dict[str, Any], build: BuildForm
) -> None:
    await clicked(
        ack, body, context, lambda ctx, req: open_form(ctx, req, body, build), urgent=True
    )


async def open_form(
    ctx: AppContext, req: Requester, body: dict[str, Any], build: BuildForm
) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.access.check_allowed(req)  # no form for someone who may not call
    saved = await ctx.store.workspaces.saved_number(req.team_id, req.user_id)
    await ws.gateway.views_open(body["trigger_id"], build(req, saved))
