"""Slash commands: /price, /call, /conf, /hangup."""

from __future__ import annotations

from ...context import AppContext
from ..registrar import Registrar
from . import call, conf, hangup, price


def register(app: Registrar, ctx: AppContext) -> None:
    app.command("/price")(price.handler(ctx))
    app.command("/call")(call.handler(ctx))
    app.command("/conf")(conf.handler(ctx))
    app.command("/hangup")(hangup.handler(ctx))
