"""app_home_opened: publish the user's home tab (or, in a workspace without a Talkety
account, how to connect one)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from ...blocks.home import connect_home_view
from ...workspaces.directory import NotConnected
from ..common import app_context

_LOGGER = logging.getLogger(__name__)


async def app_home_opened(
    event: dict[str, Any], context: dict[str, Any], client: AsyncWebClient
) -> None:
    if event.get("tab") not in (None, "home"):
        return
    ctx = app_context(context)
    team_id = context.get("team_id") or event.get("view", {}).get("team_id", "")
    user_id = event["user"]
    try:
        try:
            ws = await ctx.workspace(team_id)
        except NotConnected:
            is_admin = ctx.installs is not None and await ctx.installs.is_admin(team_id, user_id)
            # Bolt's client carries this workspace's token: we have no Workspace for it.
            await client.views_publish(user_id=user_id, view=connect_home_view(is_admin=is_admin))
            return
        view = await ws.home_view(team_id, user_id)
    except Exception:  # a home tab must not turn into an error banner
        _LOGGER.exception("Building the App Home failed")
        return
    await ws.gateway.views_publish(user_id, view)
