"""Buttons on a call's message. Every click is checked again against the database:
the button's value is only a key, never a permission."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from ...blocks.modals import add_participant_modal
from ...context import AppContext
from ...store import RecordState
from ...workspaces.directory import NotConnected
from ..common import action_value, from_interaction, guarded, team_of

Listener = Callable[..., Awaitable[None]]


def hang_up(ctx: AppContext) -> Listener:
    async def hang_up_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            message = await ws.service.hang_up(req, action_value(body))
            await ws.gateway.tell(req.target, message)
            if body.get("view", {}).get("type") == "home":
                await ws.gateway.views_publish(
                    req.user_id, await ws.home_view(req.team_id, req.user_id)
                )

        await guarded(ctx, req, work())

    return hang_up_clicked


def refresh(ctx: AppContext) -> Listener:
    async def refresh_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        # The lease holder (maybe another instance) rewrites the message; a
        # double click only marks it dirty twice, which costs one update.
        with contextlib.suppress(NotConnected):
            ws = await ctx.workspace(team_of(body))
            ws.tracker.refresh(action_value(body))

    return refresh_clicked


def add_participant(ctx: AppContext) -> Listener:
    async def add_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)
        key = action_value(body)

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            record = await ws.service.controlled(req, key, "add participants to")
            if record.state is not RecordState.LIVE:
                await ws.gateway.tell(req.target, "That conference has already ended.")
                return
            meta = {"key": key, "channel": req.channel_id, "response_url": req.response_url}
            await ws.gateway.views_open(body["trigger_id"], add_participant_modal(meta=meta))

        await guarded(ctx, req, work(), urgent=True)  # a trigger lasts 3 s

    return add_clicked


def leg_hang_up(ctx: AppContext) -> Listener:
    async def leg_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)
        key, _, leg_id = action_value(body).partition(":")

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            await ws.gateway.tell(req.target, await ws.service.hang_up_leg(req, key, leg_id))

        await guarded(ctx, req, work())

    return leg_clicked
