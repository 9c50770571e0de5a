"""Modal submissions: a new conference, adding participants, saving your number."""

from __future__ import annotations

from ...blocks import ids
from ...context import AppContext
from ..registrar import Registrar
from . import add_participant, conference, set_number


def register(app: Registrar, ctx: AppContext) -> None:
    app.view(ids.VIEW_CONFERENCE)(conference.submitted(ctx))
    app.view(ids.VIEW_ADD)(add_participant.submitted(ctx))
    app.view(ids.VIEW_SET_NUMBER)(set_number.submitted(ctx))
