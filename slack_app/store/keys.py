"""Keys of new records: random, so no instance can guess or collide with another's."""

from __future__ import annotations

import secrets


def new_key() -> str:
    return secrets.token_hex(16)
