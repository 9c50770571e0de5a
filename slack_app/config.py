"""Settings from the environment (and CLI flags), read once at start-up.

Secrets are kept in fields with repr=False so that printing the settings (or
an exception that carries them) never shows a token or a password.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation

from yarl import URL

from talkety_core import DEFAULT_BASE_URL
from talkety_core.account import Account, AccountError

from .policy import Policy
from .secret_box import SecretBox

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///talkety_slack.db"
DEFAULT_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"


DEFAULT_TALKETY_HOST = URL(DEFAULT_BASE_URL).host or ""


@dataclass(frozen=True, slots=True)
class TalketyHosts:
    """Where a workspace's Talkety URL may point, in distributed mode
    (TALKETY_SLACK_API_HOSTS; workspaces/outbound.py enforces it)."""

    hosts: tuple[str, ...] = (DEFAULT_TALKETY_HOST,)
    https_only: bool = True
    public_only: bool = True  # off only for tests against a simulator on loopback


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)  # set: Socket Mode
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = 3000
    host: str = "0.0.0.0"  # noqa: S104 - a server; bind address is configurable
    database_url: str = DEFAULT_DATABASE_URL
    # The Talkety account: the core's settings, from the same TALKETY_* variables.
    talkety: Account = field(default_factory=Account)
    policy: Policy = field(default_factory=Policy)
    # Live updates: chat.update budget per workspace (Slack allows ~50/min),
    # how often cost ticks may rewrite one message, and the monitor's tick.
    update_budget_per_minute: int = 45
    progress_interval: float = 15.0
    poll_interval: float = 2.0
    idle_poll_interval: float = 30.0
    lease_ttl: float = 30.0
    # How long a dial that left no trace in Talkety (its instance died mid-request)
    # stays open before it counts as not placed.
    reconcile_window: float = 600.0
    instance_id: str = field(default_factory=lambda: secrets.token_hex(6))
    # Distributed mode (Slack's OAuth install, many workspaces): set by SLACK_CLIENT_ID.
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    # Fernet key sealing each workspace's Talkety password and app key at rest.
    secret_key: str = field(default="", repr=False)
    slack_authorize_url: str = DEFAULT_AUTHORIZE_URL
    oauth_redirect_url: str = ""
    talkety_hosts: TalketyHosts = field(default_factory=TalketyHosts)
    # The daily spend digest: channel (empty: off) and time of day, UTC.
    report_channel: str = ""
    report_time: time = time(8, 0)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def distributed(self) -> bool:
        return bool(self.client_id)

    def secrets(self) -> list[str]:
        """Values that must never reach a log line."""
        return [
            s
            for s in (
                self.bot_token,
                self.signing_secret,
                self.app_token,
                self.client_secret,
                self.secret_key,
                *self.talkety.secrets(),
            )
            if s
        ]

    def missing(self) -> list[str]:
        """What is still needed to run, each with where to get it."""
        needs = []
        if self.distributed:
            return self._missing_for_oauth()
        if not self.bot_token:
            needs.append(
                "SLACK_BOT_TOKEN (xoxb-...: your app's OAuth & Permissions page, after "
                "installing it to the workspace)"
            )
        if not self.socket_mode and not self.signing_secret:
            needs.append(
                "SLACK_SIGNING_SECRET (Basic Information > App Credentials), or "
                "SLACK_APP_TOKEN (xapp-..., Basic Information > App-Level Tokens with "
                "connections:write) for Socket Mode"
            )
        return needs

    def _missing_for_oauth(self) -> list[str]:
        needs = []
        if not self.client_secret:
            needs.append("SLACK_CLIENT_SECRET (Basic Information > App Credentials)")
        if not self.signing_secret:
            needs.append("SLACK_SIGNING_SECRET (Basic Information > App Credentials)")
        if not SecretBox.valid_key(self.secret_key):
            needs.append(
                "TALKETY_SLACK_SECRET_KEY (a Fernet key, which encrypts each workspace's "
                'Talkety password and app key: python -c "from cryptography.fernet import '
                'Fernet; print(Fernet.generate_key().decode())")'
            )
        if self.socket_mode:
            needs.append(
                "no SLACK_APP_TOKEN: a distributed app is served over HTTP, not Socket Mode"
            )
        return needs


def from_env(
    env: Mapping[str, str] | None = None,
    *,
    talkety: Mapping[str, str | None] | None = None,
    **overrides: object,
) -> Settings:
    """Settings from `env` (default os.environ); keyword overrides win (CLI flags), and
    `talkety` holds the Talkety account's (Account.from_environ's options)."""
    env = os.environ if env is None else env
    try:
        account = Account.from_environ(env, **(talkety or {}))
    except AccountError as err:
        raise ConfigError(f"{err} ({err.variable})") from None
    values: dict[str, object] = {
        "bot_token": env.get("SLACK_BOT_TOKEN", ""),
        "signing_secret": env.get("SLACK_SIGNING_SECRET", ""),
        "app_token": env.get("SLACK_APP_TOKEN", ""),
        "slack_api_url": normalise_api_url(env.get("SLACK_API_URL", DEFAULT_SLACK_API_URL)),
        "port": _int(env, "PORT", 3000),
        "database_url": normalise_database_url(env.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
        "talkety": account,
        "policy": policy_from_env(env),
        "update_budget_per_minute": _int(env, "TALKETY_SLACK_UPDATE_BUDGET", 45),
        "progress_interval": _float(env, "TALKETY_SLACK_PROGRESS_INTERVAL", 15.0),
        "poll_interval": _float(env, "TALKETY_SLACK_POLL_INTERVAL", 2.0),
        "lease_ttl": _float(env, "TALKETY_SLACK_LEASE_TTL", 30.0),
        "reconcile_window": _float(env, "TALKETY_SLACK_RECONCILE_WINDOW", 600.0),
    }
    values.update(
        {
            "client_id": env.get("SLACK_CLIENT_ID", ""),
            "client_secret": env.get("SLACK_CLIENT_SECRET", ""),
            "secret_key": env.get("TALKETY_SLACK_SECRET_KEY", ""),
            "slack_authorize_url": env.get("SLACK_AUTHORIZE_URL", DEFAULT_AUTHORIZE_URL),
            "oauth_redirect_url": env.get("SLACK_REDIRECT_URI", ""),
            "talkety_hosts": TalketyHosts(
                tuple(sorted(_set(env, "TALKETY_SLACK_API_HOSTS"))) or (DEFAULT_TALKETY_HOST,)
            ),
            "report_channel": env.get("TALKETY_SLACK_REPORT_CHANNEL", ""),
            "report_time": _time_of_day(env, "TALKETY_SLACK_REPORT_TIME", time(8, 0)),
        }
    )
    if env.get("TALKETY_SLACK_INSTANCE_ID"):
        values["instance_id"] = env["TALKETY_SLACK_INSTANCE_ID"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]


def policy_from_env(env: Mapping[str, str]) -> Policy:
    rate = env.get("TALKETY_SLACK_RATE_LIMIT", "")
    rate_count, rate_window = Policy().rate_limit
    if rate:
        try:
            count, _, window = rate.partition("/")
            rate_count, rate_window = int(count), int(window or 60)
        except ValueError:
            raise ConfigError(
                "TALKETY_SLACK_RATE_LIMIT must look like 5/60 (calls per seconds)"
            ) from None
    return Policy(
        allowed_users=_set(env, "TALKETY_SLACK_ALLOWED_USERS"),
        allowed_usergroups=_set(env, "TALKETY_SLACK_ALLOWED_USERGROUPS"),
        admins=_set(env, "TALKETY_SLACK_ADMINS"),
        confirm_above=_decimal(env, "TALKETY_SLACK_CONFIRM_ABOVE", Policy().confirm_above),
        max_call_cost=_decimal(env, "TALKETY_SLACK_MAX_CALL_COST", None),
        max_call_seconds=_opt_int(env, "TALKETY_SLACK_MAX_CALL_MINUTES", scale=60),
        daily_cap=_decimal(env, "TALKETY_SLACK_DAILY_CAP", None),
        blocked_prefixes=tuple(sorted(_set(env, "TALKETY_SLACK_BLOCKED_PREFIXES"))),
        block_premium=env.get("TALKETY_SLACK_ALLOW_PREMIUM", "").lower()
        not in {"1", "true", "yes"},
        rate_limit=(rate_count, rate_window),
        mask_visible=_int(env, "TALKETY_SLACK_MASK_DIGITS", Policy().mask_visible),
        default_region=(
            env.get("TALKETY_REGION") or env.get("TALKETY_SLACK_DEFAULT_REGION") or ""
        ).upper()
        or None,
        max_participants=_int(env, "TALKETY_SLACK_MAX_PARTICIPANTS", Policy().max_participants),
    )


def normalise_api_url(url: str) -> str:
    # AsyncWebClient joins the method name onto base_url: it needs the slash.
    return url if url.endswith("/") else url + "/"


def normalise_database_url(url: str) -> str:
    """Plain URLs get the async driver SQLAlchemy's asyncio extension needs."""
    for plain, asyncio_driver in (
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
    ):
        if url.startswith(plain):
            return asyncio_driver + url[len(plain) :]
    return url


def _time_of_day(env: Mapping[str, str], key: str, default: time) -> time:
    value = env.get(key)
    if not value:
        return default
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{key} must be a time of day like 08:00 (UTC)") from None


def _set(env: Mapping[str, str], key: str) -> frozenset[str]:
    return frozenset(v.strip() for v in env.get(key, "").replace(";", ",").split(",") if v.strip())


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    try:
        return int(env.get(key) or default)
    except ValueError:
        raise ConfigError(f"{key} must be a whole number") from None


def _opt_int(env: Mapping[str, str], key: str, *, scale: int = 1) -> int | None:
    value = env.get(key)
    if not value:
        return None
    try:
        return int(Decimal(value) * scale)
    except (InvalidOperation, ValueError):
        raise ConfigError(f"{key} must be a number") from None


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    try:
        return float(env.get(key) or default)
    except ValueError:
        raise ConfigError(f"{key} must be a number") from None


def _decimal(env: Mapping[str, str], key: str, default: Decimal | None) -> Decimal | None:
    value = env.get(key)
    if not value:
        return default
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ConfigError(f"{key} must be an amount like 0.50") from None
