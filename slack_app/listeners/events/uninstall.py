"""app_uninstalled / tokens_revoked. Distributed mode: forget that workspace's tokens and
stop its live updates (its call records stay, for the audit). Single-workspace mode: the
operator's SLACK_BOT_TOKEN no longer works, which only they can mend: said in the log,
once, and acknowledged (unanswered, Slack would keep resending the event)."""

from __future__ import annotations

import logging
from typing import Any

from ..common import app_context

_LOGGER = logging.getLogger(__name__)


async def app_uninstalled(context: dict[str, Any]) -> None:
    installs = app_context(context).installs
    team_id = str(context.get("team_id") or "")
    if installs is None:
        _LOGGER.error(
            "Talkety was uninstalled from workspace %s: SLACK_BOT_TOKEN no longer works. "
            "Install the app again and set its new token.",
            team_id or "?",
        )
        return
    if not team_id:
        return
    _LOGGER.info("Talkety was uninstalled from workspace %s", team_id)
    await installs.uninstalled(team_id)


async def tokens_revoked(event: dict[str, Any], context: dict[str, Any]) -> None:
    installs = app_context(context).installs
    team_id = str(context.get("team_id") or "")
    bots = (event.get("tokens") or {}).get("bot") or []
    if not bots:
        return  # only user tokens (we keep none)
    if installs is None:
        _LOGGER.error(
            "The bot token of workspace %s was revoked: set a new SLACK_BOT_TOKEN.", team_id or "?"
        )
        return
    if not team_id:
        return
    _LOGGER.info("The bot token of workspace %s was revoked", team_id)
    await installs.tokens_revoked(team_id)
