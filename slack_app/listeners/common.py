"""What every listener shares: the app's services, who is asking, failures told kindly,
and a dial's answer."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from talkety_core import TalketyError

from ..blocks.replies import confirm_blocks, intent_text, repeat_blocks
from ..context import AppContext
from ..errors import USER_ERRORS, friendly
from ..request_guard import is_replay
from ..service.numbers import Numbers
from ..store import DialPlan, Requester
from ..workspaces.workspace import Workspace

_LOGGER = logging.getLogger(__name__)

# Where a middleware puts the app's services in Bolt's context, for every listener.
CONTEXT_KEY = "talkety"


def provide(ctx: AppContext) -> Callable[..., Awaitable[None]]:
    """Bolt middleware: every listener finds the app's services in its `context`."""

    async def provide_services(
        context: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> None:
        context[CONTEXT_KEY] = ctx
        await next()

    return provide_services


def app_context(context: dict[str, Any]) -> AppContext:
    """The app's services, as the middleware left them in Bolt's `context`."""
    ctx: AppContext = context[CONTEXT_KEY]
    return ctx


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


async def clicked(
    ack: Any,
    body: dict[str, Any],
    context: dict[str, Any],
    work: Callable[[AppContext, Requester], Awaitable[Any]],
    *,
    urgent: bool = False,
) -> None:
    """A button or shortcut: acked at once (Slack waits 3 s), `work` after the ack, a
    failure told to whoever clicked, privately. `urgent`: the work opens a modal, whose
    trigger lasts 3 s, so it is never queued behind other work."""
    await ack()
    ctx = app_context(context)
    req = from_interaction(body)
    await guarded(ctx, req, work(ctx, req), urgent=urgent)


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
    await ack(
        text=intent_text(
            numbers.kind,
            numbers.src,
            numbers.dsts,
            numbers.yours,
            ws.display,
            dict(numbers.people),
        )
    )
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
    await guarded(ctx, req, _dial_numbers(ws, req, numbers))


async def _dial_numbers(ws: Workspace, req: Requester, numbers: Numbers) -> None:
    await submit(ws, req, await ws.planner.plan_numbers(req, numbers))


async def submit(
    ws: Workspace, req: Requester, plan: DialPlan, *, ask_if_repeated: bool = True
) -> None:
    """Dial `plan`, or ask its requester first (a repeat, or a number above the price
    that needs a confirmation)."""
    question = await ws.dialler.submit(req, plan, ask_if_repeated=ask_if_repeated)
    if question is None:
        return
    pending, per_minute = question.pending, question.pending.plan.per_minute
    if question.repeated is not None:
        text, blocks = repeat_blocks(pending, per_minute, question.repeated, ws.display)
    else:
        assert question.threshold is not None
        text, blocks = confirm_blocks(pending, per_minute, question.threshold, ws.display)
    await ws.gateway.tell(req.target, text, blocks)


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
