"""Events API: the App Home tab."""

from __future__ import annotations

from ...context import AppContext
from ..registrar import Registrar
from . import app_home


def register(app: Registrar, ctx: AppContext) -> None:
    app.event("app_home_opened")(app_home.opened(ctx))
