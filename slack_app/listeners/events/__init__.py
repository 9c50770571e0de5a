"""Events API: the App Home tab, and uninstalls."""

from __future__ import annotations

from ..registrar import Registrar
from .app_home import app_home_opened
from .uninstall import app_uninstalled, tokens_revoked


def register(app: Registrar) -> None:
    app.event("app_home_opened")(app_home_opened)
    # The manifest subscribes to both in either mode.
    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
