"""Buttons: on call messages, on confirmations, in lists and on the App Home."""

from __future__ import annotations

from ...blocks import ids
from ...context import AppContext
from ..registrar import Registrar
from . import call_back, call_message, confirm, home


def register(app: Registrar, ctx: AppContext) -> None:
    app.action(ids.HANG_UP)(call_message.hang_up(ctx))
    app.action(ids.REFRESH)(call_message.refresh(ctx))
    app.action(ids.ADD_PARTICIPANT)(call_message.add_participant(ctx))
    app.action(ids.LEG_HANG_UP)(call_message.leg_hang_up(ctx))
    app.action(ids.CONFIRM_DIAL)(confirm.answer(ctx, accept=True))
    app.action(ids.CANCEL_DIAL)(confirm.answer(ctx, accept=False))
    app.action(ids.SET_NUMBER)(home.set_number(ctx))
    app.action(ids.CALL_BACK)(call_back.clicked(ctx))
    app.action(ids.CONNECT_TALKETY)(home.connect_talkety(ctx))
    app.action(ids.OPEN_SETTINGS)(home.open_settings(ctx))
