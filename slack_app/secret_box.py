"""Secrets at rest: a workspace's Talkety password and app key and its Slack tokens,
sealed with Fernet (AES-128-CBC + HMAC-SHA256) under TALKETY_SLACK_SECRET_KEY."""

from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken


class SecretBoxError(ValueError):
    """The key cannot open what was sealed (it changed, or the row was altered)."""


class SecretBox:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"

    @staticmethod
    def valid_key(key: str) -> bool:
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            return False
        return True

    def seal(self, secrets: dict[str, str]) -> str:
        return self._fernet.encrypt(json.dumps(secrets).encode()).decode()

    def seal_text(self, secret: str) -> str:
        """One secret as is (a Slack token): short enough for slack_sdk's 200-character
        columns where a JSON wrapping would not be."""
        return self._fernet.encrypt(secret.encode()).decode()

    def open_text(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except (InvalidToken, ValueError):
            raise SecretBoxError("stored secrets cannot be opened with this key") from None

    def open(self, sealed: str) -> dict[str, str]:
        try:
            opened = json.loads(self._fernet.decrypt(sealed.encode()))
        except (InvalidToken, ValueError):
            raise SecretBoxError("stored secrets cannot be opened with this key") from None
        return {str(k): str(v) for k, v in opened.items()}
