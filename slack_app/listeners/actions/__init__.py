"""Buttons: on call messages, confirmations, approvals and fraud alerts, in lists and on
the App Home."""

from __future__ import annotations

from ...blocks import ids
from ..registrar import Registrar
from .alert import ACTIONS, alert_clicked
from .approval import approve_clicked, deny_clicked
from .call_back import call_back_clicked
from .call_message import add_clicked, hang_up_clicked, leg_clicked, refresh_clicked
from .confirm import cancel_clicked, confirm_clicked
from .home import connect_clicked, set_number_clicked, settings_clicked


def register(app: Registrar) -> None:
    app.action(ids.HANG_UP)(hang_up_clicked)
    app.action(ids.REFRESH)(refresh_clicked)
    app.action(ids.ADD_PARTICIPANT)(add_clicked)
    app.action(ids.LEG_HANG_UP)(leg_clicked)
    app.action(ids.CONFIRM_DIAL)(confirm_clicked)
    app.action(ids.CANCEL_DIAL)(cancel_clicked)
    app.action(ids.APPROVE_DIAL)(approve_clicked)
    app.action(ids.DENY_DIAL)(deny_clicked)
    for action_id in ACTIONS:
        app.action(action_id)(alert_clicked)
    app.action(ids.SET_NUMBER)(set_number_clicked)
    app.action(ids.CALL_BACK)(call_back_clicked)
    app.action(ids.CONNECT_TALKETY)(connect_clicked)
    app.action(ids.OPEN_SETTINGS)(settings_clicked)
