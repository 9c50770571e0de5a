"""Events API: the App Home tab."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from ...context import AppContext
from . import app_home


def register(app: AsyncApp, ctx: AppContext) -> None:
    app.event("app_home_opened")(app_home.opened(ctx))
