"""The API's actions (talkety-api.md): one table, so a rename is a one-line change."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CALL_CONNECT = "call_connect"
    CALL_DISCONNECT = "call_disconnect"
    CALL_LIST = "call_list"
    CALL_STATUS = "call_status"
    CONFERENCE_ADD = "conference_add"
    CONFERENCE_CONNECT = "conference_connect"
    CONFERENCE_DISCONNECT = "conference_disconnect"
    CONFERENCE_STATUS = "conference_status"
    NUMBER_FORMAT = "number_format"
    PRICING = "pricing"


# Actions that place calls: never resent unless the request provably never
# left this machine (see client.py).
DIALLING_ACTIONS = frozenset(
    {Action.CALL_CONNECT, Action.CONFERENCE_CONNECT, Action.CONFERENCE_ADD}
)

# Actions that change nothing: safe to retry after any transient failure.
READ_ACTIONS = frozenset(
    {
        Action.CALL_LIST,
        Action.CALL_STATUS,
        Action.CONFERENCE_STATUS,
        Action.NUMBER_FORMAT,
        Action.PRICING,
    }
)

# Hanging up twice is harmless (the second answers "not active"), so the
# disconnect actions are retried like reads.
HANG_UP_ACTIONS = frozenset({Action.CALL_DISCONNECT, Action.CONFERENCE_DISCONNECT})

DEFAULT_BASE_URL = "https://api.talkety.com/xml/v1"
CALL_LIST_MAX_LIMIT = 1000
