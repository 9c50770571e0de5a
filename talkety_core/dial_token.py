"""The token the client hides in `custom_data` so it can find its own dials.

After an ambiguous failure of a dialling action the client looks the token up
with `call_list`. The caller's own custom_data rides along unchanged and is
given back without the token, so callers never see it.
"""

from __future__ import annotations

import secrets

_PREFIX = "tky1:"
_TOKEN_LEN = 32  # hex digits


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
    if sent is None or not _is_tagged(sent):
        return sent, None
    token = sent[len(_PREFIX) : len(_PREFIX) + _TOKEN_LEN]
    rest = sent[len(_PREFIX) + _TOKEN_LEN :]
    return (rest[1:] if rest else None), token


def _is_tagged(value: str) -> bool:
    if not value.startswith(_PREFIX):
        return False
    token = value[len(_PREFIX) : len(_PREFIX) + _TOKEN_LEN]
    rest = value[len(_PREFIX) + _TOKEN_LEN :]
    return (
        len(token) == _TOKEN_LEN
        and all(c in "0123456789abcdef" for c in token)
        and (rest == "" or rest.startswith(":"))
    )
