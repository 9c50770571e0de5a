"""What every listener shares: who is asking, and failures told kindly."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from talkety_core import TalketyError
from talkety_core.numbers import PhoneNumberError

from ..blocks.replies import intent_text
from ..context import AppContext
from ..errors import UserError, friendly
from ..numbers_input import NumberInputError
from ..policy import PolicyError
from ..request_guard import is_replay
from ..service import Numbers, Requester
from ..workspaces.workspace import Workspace

_LOGGER = logging.getLogger(__name__)

USER_ERRORS = (UserError, PolicyError, NumberInputError, PhoneNumberError)


async def guarded(
    ctx: AppContext, req: Requester, work: Awaitable[Any], *, urgent: bool = False
) -> Any:
    """Run `work` (after the ack, a few at a time: see InFlight.run); tell the user
    privately if it fails. A replayed request's work is not run at all."""
    if await is_replay():
        if inspect.iscoroutine(work):
            work.close()
        return None
    try:
        return await ctx.in_flight.run(work, urgent=urgent)
    except USER_ERRORS as err:
        await tell(ctx, req, f":warning: {err}")
    except TalketyError as err:
        _LOGGER.info("Talkety refused a Slack request: %s", err)
        await tell(ctx, req, f":warning: {friendly(err)}")
    except Exception:
        _LOGGER.exception("A Slack request failed")
        await tell(
            ctx,
            req,
            ":warning: Something went wrong on my side. `/hangup` lists your active calls; "
            "check it before trying again.",
        )
    return None


async def ack_intent(
    ack: Any,
    ctx: AppContext,
    req: Requester,
    command: str,
    read: Callable[[Workspace], Awaitable[Numbers]],
) -> tuple[Workspace, Numbers] | None:
    """Acknowledge a dialling command at once with what it is about to do, or with why it
    cannot (then None): nothing shows otherwise until the channel message, and people
    type the command again."""
    try:
        ws = await ctx.workspace(req.team_id)
        numbers = await read(ws)
    except USER_ERRORS as err:
        await ack(text=f":warning: {err} (`{command} help` shows how.)")
        return None
    except Exception:
        _LOGGER.exception("Reading a %s command failed", command)
        await ack(text=":warning: Something went wrong on my side; nothing was dialled.")
        return None
    display = ws.service.display
    await ack(text=intent_text(numbers.kind, numbers.src, numbers.dsts, numbers.yours, display))
    return ws, numbers


async def dial_command(
    ack: Any,
    ctx: AppContext,
    req: Requester,
    command: str,
    read: Callable[[Workspace], Awaitable[Numbers]],
) -> None:
    """`/call` or `/conf`: acknowledged with its intent, then priced, checked and dialled
    after the ack."""
    acknowledged = await ack_intent(ack, ctx, req, command, read)
    if acknowledged is None:
        return
    ws, numbers = acknowledged

    async def dial() -> None:
        await ws.service.submit(req, await ws.service.plan_numbers(req, numbers))

    await guarded(ctx, req, dial())


async def tell(ctx: AppContext, req: Requester, text: str) -> None:
    """A private answer, in a workspace with Talkety connected or not."""
    try:
        gateway = await ctx.gateway(req.team_id)
    except Exception:  # the database is down: the log is all that is left
        _LOGGER.exception("No way to tell %s: %s", req.user_id, text)
        return
    if gateway is not None:
        await gateway.tell(req.target, text)


def from_command(command: dict[str, Any]) -> Requester:
    return Requester(
        team_id=command.get("team_id", ""),
        user_id=command["user_id"],
        channel_id=command.get("channel_id", ""),
        response_url=command.get("response_url"),
    )


def from_interaction(body: dict[str, Any], channel_id: str | None = None) -> Requester:
    """The clicker of a button or the submitter of a modal."""
    user = body.get("user") or {}
    channel = body.get("channel") or {}
    response_url = body.get("response_url")
    if not response_url:
        urls = body.get("response_urls") or []
        response_url = urls[0].get("response_url") if urls else None
    return Requester(
        team_id=team_of(body),
        user_id=user["id"],
        channel_id=channel_id or channel.get("id") or user["id"],
        response_url=response_url,
    )


def team_of(body: dict[str, Any]) -> str:
    """The workspace an interaction (click, submission, shortcut) came from."""
    team = body.get("team") or {}
    user = body.get("user") or {}
    return str(team.get("id") or user.get("team_id") or "")


def action_value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value", ""))
