"""Distributed mode: the Connect Talkety form and the workspace settings form."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...blocks import ids
from ...context import AppContext
from ...formatting import code
from ...policy_fields import EDITABLE, Kind, PolicyField, read_form
from ...store import Requester
from ...workspaces.installs import AccountForm, Installs
from ..common import app_context, from_interaction, guarded, tell
from .inputs import acked, conversation, ticked, users, value


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
    errors = {}
    if not form.url.startswith(("https://", "http://")):
        errors[ids.INPUT_TALKETY_URL] = "Give the API's full URL, starting with https://"
    if not await acked(ack, errors):
        return
    req = from_interaction(body)
    await guarded(ctx, req, connect(ctx, installs, req, form))


async def connect(ctx: AppContext, installs: Installs, req: Requester, form: AccountForm) -> None:
    await installs.connect(req.team_id, req.user_id, form, installs.clocks.now())
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
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in EDITABLE:
        typed = _typed(view, field)
        changes[field.name], error = read_form(field, typed)
        if error:
            errors[field.input_id] = error
    if not await acked(ack, errors) or installs is None:
        return
    channel = conversation(view, ids.INPUT_REPORT_CHANNEL) or None
    await guarded(ctx, req, save_settings(ctx, installs, req, changes, channel))


def _typed(view: dict[str, Any], field: PolicyField) -> str | list[str]:
    if field.kind is Kind.USERS:
        return users(view, field.input_id)
    if field.kind is Kind.FLAG:
        return ticked(view, field.input_id)
    if field.kind is Kind.CHANNEL:
        return conversation(view, field.input_id)
    return value(view, field.input_id)


async def save_settings(
    ctx: AppContext,
    installs: Installs,
    req: Requester,
    changes: dict[str, Any],
    channel: str | None,
) -> None:
    """The form's values over the workspace's policy (its other rules stay)."""
    ws = await ctx.workspace(req.team_id)
    policy = replace(ws.policy, **changes)
    await installs.save_policy(
        req.team_id, req.user_id, policy, installs.clocks.now(), report_channel=channel
    )
    await tell(ctx, req, ":white_check_mark: Settings saved; they apply to the next call.")
