"""Shortcuts: "Call this number" on a message, "Place a call" and "Start a conference"."""

from __future__ import annotations

from ...blocks import ids
from ..registrar import Registrar
from .call_number import call_number_shortcut
from .global_forms import place_call_shortcut, start_conference_shortcut


def register(app: Registrar) -> None:
    app.shortcut(ids.SHORTCUT_CALL_NUMBER)(call_number_shortcut)
    app.shortcut(ids.SHORTCUT_PLACE_CALL)(place_call_shortcut)
    app.shortcut(ids.SHORTCUT_START_CONFERENCE)(start_conference_shortcut)
