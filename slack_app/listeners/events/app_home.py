"""app_home_opened: publish the user's home tab (active calls, spend, saved number)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from ...context import AppContext

_LOGGER = logging.getLogger(__name__)


def opened(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    async def app_home_opened(event: dict[str, Any], context: dict[str, Any]) -> None:
        if event.get("tab") not in (None, "home"):
            return
        team_id = context.get("team_id") or event.get("view", {}).get("team_id", "")
        try:
            view = await ctx.service.home(team_id, event["user"])
        except Exception:  # a home tab must not turn into an error banner
            _LOGGER.exception("Building the App Home failed")
            return
        await ctx.gateway.views_publish(event["user"], view)

    return app_home_opened
