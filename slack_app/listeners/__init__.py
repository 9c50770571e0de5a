"""Bolt listeners, one module per command / action / view / event (Bolt template layout)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from ..context import AppContext
from . import actions, commands, events, views


def register_listeners(app: AsyncApp, ctx: AppContext) -> None:
    commands.register(app, ctx)
    actions.register(app, ctx)
    views.register(app, ctx)
    events.register(app, ctx)
