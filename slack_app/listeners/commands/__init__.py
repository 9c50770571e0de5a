"""Slash commands: /price, /call, /conf, /hangup."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from ...context import AppContext
from . import call, conf, hangup, price


def register(app: AsyncApp, ctx: AppContext) -> None:
    app.command("/price")(price.handler(ctx))
    app.command("/call")(call.handler(ctx))
    app.command("/conf")(conf.handler(ctx))
    app.command("/hangup")(hangup.handler(ctx))
