"""Slash commands: /price, /call, /conf, /hangup."""

from __future__ import annotations

from ..registrar import Registrar
from .call import call_command
from .conf import conf_command
from .hangup import hangup_command
from .price import price_command


def register(app: Registrar) -> None:
    app.command("/price")(price_command)
    app.command("/call")(call_command)
    app.command("/conf")(conf_command)
    app.command("/hangup")(hangup_command)
