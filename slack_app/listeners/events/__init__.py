"""Events API: the App Home tab, and uninstalls."""

from __future__ import annotations

from ...context import AppContext
from ..registrar import Registrar
from . import app_home, uninstall


def register(app: Registrar, ctx: AppContext) -> None:
    app.event("app_home_opened")(app_home.opened(ctx))
    # The manifest subscribes to both in either mode.
    app.event("app_uninstalled")(uninstall.uninstalled(ctx))
    app.event("tokens_revoked")(uninstall.revoked(ctx))
