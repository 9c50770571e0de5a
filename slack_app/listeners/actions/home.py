"""App Home buttons."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from ...blocks.modals import connect_modal, set_number_modal, settings_modal
from ...context import AppContext
from ...errors import UserError
from ...store import Requester
from ..common import clicked


async def set_number_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    await clicked(
        ack, body, context, lambda ctx, req: open_number_form(ctx, req, body), urgent=True
    )


async def open_number_form(ctx: AppContext, req: Requester, body: dict[str, Any]) -> None:
    ws = await ctx.workspace(req.team_id)
    saved = await ctx.store.workspaces.saved_number(req.team_id, req.user_id)
    await ws.gateway.views_open(body["trigger_id"], set_number_modal(saved_number=saved, meta={}))


async def connect_clicked(
    ack: Any, body: dict[str, Any], context: dict[str, Any], client: AsyncWebClient
) -> None:
    """Distributed mode: an admin opens the form for the workspace's Talkety account."""
    await clicked(
        ack, body, context, lambda ctx, req: open_connect_form(ctx, req, body, client), urgent=True
    )


async def open_connect_form(
    ctx: AppContext, req: Requester, body: dict[str, Any], client: AsyncWebClient
) -> None:
    installs = ctx.installs
    if installs is None:
        return
    if not await installs.is_admin(req.team_id, req.user_id):
        raise UserError("Only an admin of this app can connect a Talkety account.")
    current = await installs.store.workspaces.talkety_account(req.team_id)
    view = connect_modal(
        url=current.url if current else installs.settings.talkety.url,
        username=current.username if current else "",
    )
    # Bolt's client has this workspace's token, connected or not.
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def settings_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Distributed mode: an admin edits the workspace's own limits."""
    await clicked(
        ack, body, context, lambda ctx, req: open_settings_form(ctx, req, body), urgent=True
    )


async def open_settings_form(ctx: AppContext, req: Requester, body: dict[str, Any]) -> None:
    installs = ctx.installs
    ws = await ctx.workspace(req.team_id)
    if installs is None or not ws.policy.is_admin(req.user_id):
        raise UserError("Only an admin of this app can change its settings.")
    channel = await installs.report_channel(req.team_id)
    await ws.gateway.views_open(body["trigger_id"], settings_modal(ws.policy, channel))
