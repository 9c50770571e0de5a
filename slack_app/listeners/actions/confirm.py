"""Call / Cancel on the price confirmation (a double click finds it already used)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ...context import AppContext
from ..common import action_value, from_interaction, guarded


def answer(ctx: AppContext, *, accept: bool) -> Callable[..., Awaitable[None]]:
    async def confirmation_clicked(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        req = from_interaction(body)
        await guarded(ctx, req.target, ctx.service.confirm(req, action_value(body), accept=accept))

    return confirmation_clicked
