"""HTTP Basic credentials as an Authorization header, and back.

aiohttp.BasicAuth is deprecated from aiohttp 3.14 on, and its successor does
not exist before it; this works the same on every version.
"""

from __future__ import annotations

import base64
import binascii

_SCHEME = "basic"


def encode(username: str, password: str) -> str:
    """The Authorization header value; UTF-8, as RFC 7617 allows."""
    if ":" in username:
        raise ValueError("a username cannot contain ':'")
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def decode(header: str) -> tuple[str, str] | None:
    """(username, password) from an Authorization header; None if not Basic or broken."""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != _SCHEME or not token:
        return None
    try:
        text = base64.b64decode(token.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = text.partition(":")
    return (username, password) if colon else None
