"""App Home buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from ...blocks.modals import connect_modal, set_number_modal, settings_modal
from ...context import AppContext
from ...errors import UserError
from ..common import from_interaction, guarded


def set_number(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def set_number_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            saved = await ctx.store.saved_number(req.team_id, req.user_id)
            view = set_number_modal(saved_number=saved, meta={})
            await ws.gateway.views_open(body["trigger_id"], view)

        await guarded(ctx, req, work(), urgent=True)  # a trigger lasts 3 s

    return set_number_clicked


def connect_talkety(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    """Distributed mode: an admin opens the form for the workspace's Talkety account."""

    async def connect_clicked(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        req = from_interaction(body)
        installs = ctx.installs

        async def work() -> None:
            if installs is None:
                return
            if not await installs.is_admin(req.team_id, req.user_id):
                raise UserError("Only an admin of this app can connect a Talkety account.")
            current = await installs.store.talkety_account(req.team_id)
            view = connect_modal(
                url=current.url if current else installs.settings.talkety.url,
                username=current.username if current else "",
            )
            # Bolt's client has this workspace's token, connected or not.
            await client.views_open(trigger_id=body["trigger_id"], view=view)

        await guarded(ctx, req, work(), urgent=True)

    return connect_clicked


def open_settings(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    """Distributed mode: an admin edits the workspace's own limits."""

    async def settings_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)
        installs = ctx.installs

        async def work() -> None:
            ws = await ctx.workspace(req.team_id)
            if installs is None or not ws.policy.is_admin(req.user_id):
                raise UserError("Only an admin of this app can change its settings.")
            channel = await installs.report_channel(req.team_id)
            await ws.gateway.views_open(body["trigger_id"], settings_modal(ws.policy, channel))

        await guarded(ctx, req, work(), urgent=True)

    return settings_clicked
