"""The "New conference" modal (opened by /conf with no arguments)."""

from __future__ import annotations

from typing import Any

from ...blocks import ids
from ...store import Requester
from ...workspaces.workspace import Workspace
from ..common import app_context, guarded, submit, team_of
from .inputs import acked, mentions, number_errors, submitter, users, value


async def conference_submitted(
    ack: Any, body: dict[str, Any], view: dict[str, Any], context: dict[str, Any]
) -> None:
    ctx = app_context(context)
    src = value(view, ids.INPUT_FROM)
    participants = value(view, ids.INPUT_PARTICIPANTS)
    people = users(view, ids.INPUT_PEOPLE)
    ws = await ctx.workspace(team_of(body))
    errors = number_errors(
        {ids.INPUT_FROM: (src, False), ids.INPUT_PARTICIPANTS: (participants, not people)},
        ws.numbers.normalise,
    )
    if not await acked(ack, errors):  # closes the modal; pricing and dialling follow
        return
    req = submitter(body, view)
    # Colleagues as /conf names them: the same reading, consent and refusals.
    typed = f"{mentions(people)}, {participants}" if people else participants
    await guarded(ctx, req, dial(ws, req, typed, src or None))


async def dial(ws: Workspace, req: Requester, participants: str, src: str | None) -> None:
    numbers = await ws.numbers.conference_numbers(req, participants, src_text=src)
    await submit(ws, req, await ws.planner.plan_numbers(req, numbers))
