"""Modal submissions: a new conference, adding participants, saving your number."""

from __future__ import annotations

from ...blocks import ids
from ...context import AppContext
from ..registrar import Registrar
from . import add_participant, call, conference, set_number, workspace_admin


def register(app: Registrar, ctx: AppContext) -> None:
    app.view(ids.VIEW_CALL)(call.submitted(ctx))
    app.view(ids.VIEW_CONFERENCE)(conference.submitted(ctx))
    app.view(ids.VIEW_ADD)(add_participant.submitted(ctx))
    app.view(ids.VIEW_SET_NUMBER)(set_number.submitted(ctx))
    app.view(ids.VIEW_CONNECT)(workspace_admin.connect_submitted(ctx))
    app.view(ids.VIEW_SETTINGS)(workspace_admin.settings_submitted(ctx))
