"""The token the client hides in `custom_data` so it can find its own dials.

After an ambiguous failure of a dialling action the client looks the token up
with `call_list`. The caller's own custom_data rides along unchanged and is
given back without the token, so callers never see it.
"""

from __future__ import annotations

import re
import secrets

_PREFIX = "tky1:"
_TOKEN_LEN = 32  # hex digits
# The token, then the end or ':' and the caller's data (which may hold anything).
_TAGGED = re.compile(r"tky1:([0-9a-f]{32})(?::(.*))?\Z", re.DOTALL)


def new_token() -> str:
    return secrets.token_hex(_TOKEN_LEN // 2)


def join_custom_data(token: str, custom_data: str | None) -> str:
    """custom_data to send: the token, then the caller's data after a ':'.

    No ':' at all means the caller passed None; a trailing ':' means "".
    """
    if custom_data is None:
        return f"{_PREFIX}{token}"
    return f"{_PREFIX}{token}:{custom_data}"


def split_custom_data(sent: str | None) -> tuple[str | None, str | None]:
    """(caller's custom_data, token) of a stored custom_data value."""
    if sent is None:
        return None, None
    tagged = _TAGGED.match(sent)
    if tagged is None:
        return sent, None
    return tagged[2], tagged[1]
