"""Modal submissions: a call, a conference, adding participants, your number, and the
workspace admin's forms."""

from __future__ import annotations

from ...blocks import ids
from ..registrar import Registrar
from .add_participant import add_submitted
from .call import call_submitted
from .conference import conference_submitted
from .set_number import set_number_submitted
from .workspace_admin import connect_talkety_submitted, workspace_settings_submitted


def register(app: Registrar) -> None:
    app.view(ids.VIEW_CALL)(call_submitted)
    app.view(ids.VIEW_CONFERENCE)(conference_submitted)
    app.view(ids.VIEW_ADD)(add_submitted)
    app.view(ids.VIEW_SET_NUMBER)(set_number_submitted)
    app.view(ids.VIEW_CONNECT)(connect_talkety_submitted)
    app.view(ids.VIEW_SETTINGS)(workspace_settings_submitted)
