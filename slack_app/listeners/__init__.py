"""Bolt listeners, one module per command / action / view / event (Bolt template layout):
flat callbacks that take Bolt's injected arguments and find the app's services in its
`context` (common.provide, a middleware, puts them there)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from ..context import AppContext
from . import actions, commands, events, functions, shortcuts, views
from .common import provide
from .registrar import Registrar


def register_listeners(app: AsyncApp, ctx: AppContext) -> None:
    app.use(provide(ctx))
    registrar = Registrar(app, ctx.in_flight)
    commands.register(registrar)
    actions.register(registrar)
    views.register(registrar)
    shortcuts.register(registrar)
    events.register(registrar)
    functions.register(registrar)
