"""Shortcuts: "Call this number" on a message, "Place a call" and "Start a conference"."""

from __future__ import annotations

from ...blocks import ids
from ...context import AppContext
from ..registrar import Registrar
from . import call_number, global_forms


def register(app: Registrar, ctx: AppContext) -> None:
    app.shortcut(ids.SHORTCUT_CALL_NUMBER)(call_number.opened(ctx))
    app.shortcut(ids.SHORTCUT_PLACE_CALL)(global_forms.opens(ctx, global_forms.place_call))
    app.shortcut(ids.SHORTCUT_START_CONFERENCE)(
        global_forms.opens(ctx, global_forms.start_conference)
    )
