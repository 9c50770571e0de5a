"""The buttons on a tripwire alert (admins only): block or unblock the prefix, pause or
resume the user, hang up their calls. The clicked alert is rebuilt to show what was done."""

from __future__ import annotations

from typing import Any

from ...blocks import ids
from ...context import AppContext
from ...store import Requester
from ..common import action_value, clicked

# action_id -> what the click does (as the alert and the audit name it)
ACTIONS = {
    ids.TRIP_BLOCK: "blocked",
    ids.TRIP_UNBLOCK: "unblocked",
    ids.TRIP_PAUSE: "paused",
    ids.TRIP_RESUME: "resumed",
    ids.TRIP_HANG_UP: "hung_up",
}


async def alert_clicked(ack: Any, body: dict[str, Any], context: dict[str, Any]) -> None:
    action_id = str((body.get("actions") or [{}])[0].get("action_id", ""))
    await clicked(
        ack, body, context, lambda ctx, req: act(ctx, req, action_value(body), ACTIONS[action_id])
    )


async def act(ctx: AppContext, req: Requester, alert_id: str, action: str) -> None:
    ws = await ctx.workspace(req.team_id)
    text, blocks = await ws.tripwires.act(req, alert_id, action)
    if req.response_url:
        await ws.gateway.respond(req.response_url, text, blocks, replace_original=True)
