"""Bolt listeners, one module per command / action / view / event (Bolt template layout)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from ..context import AppContext
from . import actions, commands, events, shortcuts, views
from .registrar import Registrar


def register_listeners(app: AsyncApp, ctx: AppContext) -> None:
    registrar = Registrar(app, ctx.in_flight)
    commands.register(registrar, ctx)
    actions.register(registrar, ctx)
    views.register(registrar, ctx)
    shortcuts.register(registrar, ctx)
    events.register(registrar, ctx)
