"""Which Talkety account to use: the one settings object every front end reads.

The `talkety` CLI and the Slack app both take the account from the same
environment variables (a CLI option or flag wins over its variable); Home
Assistant keeps it in its config entry instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .actions import DEFAULT_BASE_URL
from .client import TalketyClient

ENV_URL = "TALKETY_URL"
ENV_APP_KEY = "TALKETY_APP_KEY"
ENV_USERNAME = "TALKETY_USERNAME"
ENV_PASSWORD = "TALKETY_PASSWORD"  # noqa: S105 - the variable's name, not a password
ENV_CURRENCY = "TALKETY_CURRENCY"
ENV_REGION = "TALKETY_REGION"

DEFAULT_CURRENCY = "USD"
_CURRENCY = re.compile(r"[A-Z]{3}")


class AccountError(ValueError):
    """A setting is malformed; `variable` says which (the message never echoes a secret)."""

    def __init__(self, message: str, variable: str) -> None:
        super().__init__(message)
        self.variable = variable


@dataclass(frozen=True, slots=True)
class Account:
    """Where and as whom to call the API; secrets stay out of the repr."""

    url: str = DEFAULT_BASE_URL
    app_key: str = field(default="", repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    currency: str = DEFAULT_CURRENCY  # the API never says: what costs are labelled with
    region: str | None = None  # the country of numbers typed in national form

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None, **options: str | None
    ) -> Account:
        """The account from `environ` (default os.environ); a given option wins over
        its variable, and an empty value counts as unset. Options: url, app_key,
        username, password, currency, region."""
        environ = os.environ if environ is None else environ
        variables = {
            "url": ENV_URL,
            "app_key": ENV_APP_KEY,
            "username": ENV_USERNAME,
            "password": ENV_PASSWORD,
            "currency": ENV_CURRENCY,
            "region": ENV_REGION,
        }
        unknown = set(options) - set(variables)
        if unknown:
            raise TypeError(f"unknown account options: {', '.join(sorted(unknown))}")
        value = {
            name: options.get(name) or environ.get(env) or None for name, env in variables.items()
        }
        url = (value["url"] or DEFAULT_BASE_URL).rstrip("/")
        if not url.startswith(("http://", "https://")):
            # The value is not echoed: it may hold the app key by mistake.
            raise AccountError("the API URL must be http(s) and end in /xml/v1", ENV_URL)
        currency = (value["currency"] or DEFAULT_CURRENCY).strip().upper()
        if not _CURRENCY.fullmatch(currency):
            raise AccountError(
                f"{value['currency']!r} is not a currency code like USD", ENV_CURRENCY
            )
        return cls(
            url=url,
            app_key=value["app_key"] or "",
            username=value["username"] or "",
            password=value["password"] or "",
            currency=currency,
            region=value["region"],
        )

    def missing(self) -> list[str]:
        """The environment variables of the credentials still missing."""
        return [
            env
            for env, present in (
                (ENV_APP_KEY, self.app_key),
                (ENV_USERNAME, self.username),
                (ENV_PASSWORD, self.password),
            )
            if not present
        ]

    def secrets(self) -> list[str]:
        """Values that must never reach a log line (the app key travels in the URL path)."""
        return [s for s in (self.app_key, self.password) if s]

    def client(self, **kwargs: Any) -> TalketyClient:
        """A client for this account; `kwargs` go to TalketyClient (session=, timeout=, ...)."""
        return TalketyClient(
            self.app_key, self.username, self.password, base_url=self.url, **kwargs
        )
