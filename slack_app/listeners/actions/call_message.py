"""Buttons on a call's message. Every click is checked again against the database:
the button's value is only a key, never a permission."""

from __future__ import annotations

import contextlib
from typing import Any

from ...blocks.modals import add_participant_modal
from ...context import AppContext
from ...store import RecordState, Requester
from ...workspaces.directory import NotConnected
from ..common import action_value, app_context, clicked, from_interaction, guarded, team_of


async def hang_up_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await clicked(ack, body, context, lambda ctx, req: hang_up(ctx, req, action_value(body), body))


async def hang_up(ctx: AppContext, req: Requester, key: str, body: dict[str, Any]) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.gateway.tell(req.target, await ws.hangups.hang_up(req, key))
    if body.get("view", {}).get("type") == "home":
        await ws.gateway.views_publish(req.user_id, await ws.home_view(req.team_id, req.user_id))


async def refresh_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await ack()
    # The lease holder (maybe another instance) rewrites the message; a
    # double click only marks it dirty twice, which costs one update.
    with contextlib.suppress(NotConnected):
        ws = await app_context(context).workspace(team_of(body))
        ws.tracker.refresh(action_value(body))


async def add_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await clicked(ack, body, context, lambda ctx, req: open_add_form(ctx, req, body), urgent=True)


async def open_add_form(ctx: AppContext, req: Requester, body: dict[str, Any]) -> None:
    key = action_value(body)
    ws = await ctx.workspace(req.team_id)
    record = await ws.access.controlled(req, key, "add participants to")
    if record.state is not RecordState.LIVE:
        await ws.gateway.tell(req.target, "That conference has already ended.")
        return
    meta = {"key": key, "channel": req.channel_id, "response_url": req.response_url}
    await ws.gateway.views_open(body["trigger_id"], add_participant_modal(meta=meta))


async def leg_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await ack()
    ctx = app_context(context)
    req = from_interaction(body)
    key, _, leg_id = action_value(body).partition(":")
    await guarded(ctx, req, hang_up_leg(ctx, req, key, leg_id))


async def hang_up_leg(ctx: AppContext, req: Requester, key: str, leg_id: str) -> None:
    ws = await ctx.workspace(req.team_id)
    await ws.gateway.tell(req.target, await ws.hangups.hang_up_leg(req, key, leg_id))
