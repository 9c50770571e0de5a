"""Distributed mode: the Connect Talkety form and the workspace settings form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from ...blocks import ids
from ...context import AppContext
from ...formatting import code
from ...numbers_input import split_numbers
from ...policy import Policy
from ...store import Requester
from ...workspaces.installs import AccountForm, Installs
from ..common import app_context, from_interaction, guarded, tell
from .inputs import conversation, users, value


async def connect_talkety_submitted(
    ack: Any, body: dict[str, Any], view: dict[str, Any], context: dict[str, Any]
) -> None:
    ctx = app_context(context)
    installs = ctx.installs
    if installs is None:
        await ack()
        return
    form = AccountForm(
        url=value(view, ids.INPUT_TALKETY_URL),
        username=value(view, ids.INPUT_TALKETY_USERNAME),
        password=value(view, ids.INPUT_TALKETY_PASSWORD),
        app_key=value(view, ids.INPUT_TALKETY_APP_KEY),
    )
    if not form.url.startswith(("https://", "http://")):
        await ack(
            response_action="errors",
            errors={ids.INPUT_TALKETY_URL: "Give the API's full URL, starting with https://"},
        )
        return
    await ack()
    req = from_interaction(body)
    await guarded(ctx, req, connect(ctx, installs, req, form))


async def connect(ctx: AppContext, installs: Installs, req: Requester, form: AccountForm) -> None:
    await installs.connect(req.team_id, req.user_id, form, installs.tuning.now())
    ws = await ctx.workspace(req.team_id)
    await tell(
        ctx,
        req,
        f":white_check_mark: Talkety account {code(form.username)} connected: "
        "`/call` works in this workspace now.",
    )
    await ws.gateway.views_publish(req.user_id, await ws.home_view(req.team_id, req.user_id))


async def workspace_settings_submitted(
    ack: Any, body: dict[str, Any], view: dict[str, Any], context: dict[str, Any]
) -> None:
    ctx = app_context(context)
    installs = ctx.installs
    req = from_interaction(body)
    amounts, errors = _amounts(view)
    minutes = value(view, ids.INPUT_MAX_MINUTES)
    if minutes and not (minutes.isdigit() and int(minutes) > 0):
        errors[ids.INPUT_MAX_MINUTES] = "A whole number of minutes, or empty for no limit."
    admins = users(view, ids.INPUT_ADMINS)
    if not admins:
        errors[ids.INPUT_ADMINS] = "Keep at least one admin."
    prefixes = [
        p.lstrip("+").replace(" ", "")
        for p in split_numbers(value(view, ids.INPUT_BLOCKED_PREFIXES))
    ]
    if any(not p.isdigit() for p in prefixes):
        errors[ids.INPUT_BLOCKED_PREFIXES] = "Prefixes are digits with a country code: +1900, +449"
    if errors or installs is None:
        await ack(response_action="errors", errors=errors) if errors else await ack()
        return
    await ack()

    def edited(policy: Policy) -> Policy:
        return replace(
            policy,
            admins=frozenset(admins),
            allowed_users=frozenset(users(view, ids.INPUT_ALLOWED_USERS)),
            max_call_seconds=int(minutes) * 60 if minutes else None,
            blocked_prefixes=tuple(sorted(set(prefixes))),
            confirm_above=amounts[ids.INPUT_CONFIRM_ABOVE],
            daily_cap=amounts[ids.INPUT_DAILY_CAP],
            max_call_cost=amounts[ids.INPUT_MAX_CALL_COST],
        )

    channel = conversation(view, ids.INPUT_REPORT_CHANNEL) or None
    await guarded(ctx, req, save_settings(ctx, installs, req, edited, channel))


async def save_settings(
    ctx: AppContext,
    installs: Installs,
    req: Requester,
    edited: Callable[[Policy], Policy],
    channel: str | None,
) -> None:
    ws = await ctx.workspace(req.team_id)
    await installs.save_policy(
        req.team_id, req.user_id, edited(ws.policy), installs.tuning.now(), report_channel=channel
    )
    await tell(ctx, req, ":white_check_mark: Settings saved; they apply to the next call.")


def _amounts(view: dict[str, Any]) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    amounts: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    for block_id in (ids.INPUT_CONFIRM_ABOVE, ids.INPUT_DAILY_CAP, ids.INPUT_MAX_CALL_COST):
        typed = value(view, block_id)
        try:
            amount = Decimal(typed) if typed else None
        except InvalidOperation:
            amount = Decimal(-1)
        if amount is not None and (not amount.is_finite() or amount < 0):
            errors[block_id] = "An amount like 0.50, or empty for no limit."
        amounts[block_id] = amount
    return amounts, errors
