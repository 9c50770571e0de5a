"""Settings from the environment (and CLI flags), read once at start-up.

Secrets are kept in fields with repr=False so that printing the settings (or
an exception that carries them) never shows a token or a password.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import time
from typing import Any

from yarl import URL

from talkety_core import DEFAULT_BASE_URL
from talkety_core.account import Account, AccountError

from . import env
from .env import ConfigError
from .policy import Policy
from .policy_fields import policy_from_env
from .secret_box import SecretBox

__all__ = ["ConfigError", "Settings", "TalketyHosts", "Timings", "from_env"]

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


@dataclass(frozen=True, slots=True)
class Timings:
    """How fast the moving parts run, in seconds unless said otherwise. Each default is
    declared here once; TIMING_VARIABLES lets the environment change some, and tests
    shorten the rest."""

    update_budget_per_minute: int = 45  # chat.update per workspace (Slack allows ~50)
    progress_interval: float = 15.0  # how often cost ticks may rewrite one message
    poll_interval: float = 2.0  # the monitor's tick while a call is live
    idle_poll_interval: float = 30.0
    lease_ttl: float = 30.0
    # How long a dial that left no trace in Talkety (its instance died mid-request)
    # stays open before it counts as not placed.
    reconcile_window: float = 600.0
    guard_interval: float | None = None  # default: 2.5 monitor ticks, at least 1 s
    lease_renew_interval: float | None = None  # default: a third of the lease's TTL
    post_spacing: float = 1.1  # Slack allows about one post a second per channel
    home_spacing: float = 3.0  # between two rebuilds of one user's App Home
    # How often finished Workflow Builder steps and expired approvals are looked for
    # (a workflow also hears at once when its call ends).
    sweep_interval: float = 10.0


TIMING_VARIABLES = {
    "update_budget_per_minute": "TALKETY_SLACK_UPDATE_BUDGET",
    "progress_interval": "TALKETY_SLACK_PROGRESS_INTERVAL",
    "poll_interval": "TALKETY_SLACK_POLL_INTERVAL",
    "lease_ttl": "TALKETY_SLACK_LEASE_TTL",
    "reconcile_window": "TALKETY_SLACK_RECONCILE_WINDOW",
}


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
    timings: Timings = field(default_factory=Timings)
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
    environ: env.Environ | None = None,
    *,
    talkety: Mapping[str, str | None] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings from `environ` (default os.environ); keyword overrides that are not None
    win (CLI flags), and `talkety` holds the Talkety account's (Account.from_environ's
    options)."""
    environ = os.environ if environ is None else environ
    try:
        account = Account.from_environ(environ, **(talkety or {}))
    except AccountError as err:
        raise ConfigError(f"{err} ({err.variable})") from None
    defaults = Settings()
    settings = Settings(
        bot_token=env.text(environ, "SLACK_BOT_TOKEN"),
        signing_secret=env.text(environ, "SLACK_SIGNING_SECRET"),
        app_token=env.text(environ, "SLACK_APP_TOKEN"),
        slack_api_url=normalise_api_url(env.text(environ, "SLACK_API_URL", defaults.slack_api_url)),
        port=env.whole(environ, "PORT", defaults.port),
        database_url=normalise_database_url(
            env.text(environ, "DATABASE_URL", defaults.database_url)
        ),
        talkety=account,
        policy=policy_from_env(environ),
        timings=timings_from_env(environ),
        instance_id=env.text(environ, "TALKETY_SLACK_INSTANCE_ID", defaults.instance_id),
        client_id=env.text(environ, "SLACK_CLIENT_ID"),
        client_secret=env.text(environ, "SLACK_CLIENT_SECRET"),
        secret_key=env.text(environ, "TALKETY_SLACK_SECRET_KEY"),
        slack_authorize_url=env.text(environ, "SLACK_AUTHORIZE_URL", defaults.slack_authorize_url),
        oauth_redirect_url=env.text(environ, "SLACK_REDIRECT_URI"),
        talkety_hosts=TalketyHosts(
            tuple(sorted(env.names(environ, "TALKETY_SLACK_API_HOSTS")))
            or defaults.talkety_hosts.hosts
        ),
        report_channel=env.text(environ, "TALKETY_SLACK_REPORT_CHANNEL"),
        report_time=env.time_of_day(environ, "TALKETY_SLACK_REPORT_TIME", defaults.report_time),
    )
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def timings_from_env(environ: env.Environ) -> Timings:
    defaults = Timings()
    read: dict[str, Any] = {
        f.name: (env.whole if isinstance(getattr(defaults, f.name), int) else env.number)(
            environ, TIMING_VARIABLES[f.name], getattr(defaults, f.name)
        )
        for f in fields(Timings)
        if f.name in TIMING_VARIABLES
    }
    return replace(defaults, **read)


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
