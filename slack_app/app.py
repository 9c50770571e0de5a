"""Builds the whole Slack app from Settings: Bolt, store, and the workspaces it acts for.

Single-workspace mode (SLACK_BOT_TOKEN): one Workspace with the environment's
Talkety account answers every request. Distributed mode (SLACK_CLIENT_ID):
Slack's OAuth install, and a Workspace per installed workspace with the
Talkety account its admin connected.

Nothing starts on import or construction; `start()` creates the tables and
starts following calls, `stop()` stops (releasing leases unless told not to,
which is how tests imitate a crash).
"""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from talkety_core import TalketyClient

from .clock import Clocks
from .config import Settings
from .context import AppContext
from .in_flight import InFlight
from .listeners import register_listeners
from .live.tracker import CallTracker
from .slack_gateway import SlackGateway
from .store import Store
from .workspaces.digest import DailyDigest
from .workspaces.directory import Directory, InstalledWorkspaces, SingleWorkspace
from .workspaces.installs import Installs
from .workspaces.workspace import Workspace

_LOGGER = logging.getLogger(__name__)

# How long a stop waits for requests still being handled: a dial answers in
# well under a second, one that times out (10 s) is reconciled within a few more.
STOP_GRACE = 20.0


class _NoTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and then warns that our client (which
    carries that very token) wins: true, and noise on every start."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("slack_app.bolt")
    if not any(isinstance(f, _NoTokenNotice) for f in logger.filters):
        logger.addFilter(_NoTokenNotice())
    return logger


class SlackTalketyApp:
    def __init__(
        self,
        settings: Settings,
        *,
        client: TalketyClient | None = None,
        clocks: Clocks | None = None,
    ) -> None:
        """`client`: the Talkety client to use (single-workspace mode); `clocks`: what
        dates records and leases (tests give their own)."""
        self.settings = settings
        clocks = clocks or Clocks()
        self.now = now = clocks.now
        self.store = Store(settings.database_url)
        # Bolt's own client: in distributed mode Bolt gives each request one with
        # that workspace's token instead.
        self.web_client = AsyncWebClient(
            token=settings.bot_token or None, base_url=settings.slack_api_url
        )
        self.installs: Installs | None = None
        self.workspaces: Directory
        if settings.distributed:
            self.installs = Installs(settings, self.store, clocks)
            self.workspaces = InstalledWorkspaces(
                self.installs.build, self.installs.connected, self.installs.version
            )
            self.installs.directory = self.workspaces
        else:
            self.workspaces = SingleWorkspace(
                Workspace(
                    team_id=None,
                    settings=settings,
                    store=self.store,
                    client=client or settings.talkety.client(),
                    web_client=self.web_client,
                    policy=settings.policy,
                    currency=settings.talkety.currency,
                    clocks=clocks,
                    own_client=client is None,
                )
            )
        self.bolt = AsyncApp(
            client=self.web_client,
            # HTTP: Bolt verifies every request's signature and timestamp.
            # Socket Mode: requests arrive over the app's own websocket.
            signing_secret=settings.signing_secret or None,
            request_verification_enabled=not settings.socket_mode,
            logger=_bolt_logger(),
            **(self.installs.bolt_options() if self.installs else {}),
        )
        self.in_flight = InFlight()
        self.context = AppContext(
            workspaces=self.workspaces,
            store=self.store,
            in_flight=self.in_flight,
            installs=self.installs,
        )
        register_listeners(self.bolt, self.context)
        self.digest = DailyDigest(
            settings,
            workspaces=self.context.workspaces,
            store=self.context.store,
            installs=self.context.installs,
            now=now,
        )

    # The one workspace of a single-workspace app (tests, benchmarks, the CLI).
    @property
    def workspace(self) -> Workspace:
        assert isinstance(self.workspaces, SingleWorkspace)
        return self.workspaces.workspace

    @property
    def tracker(self) -> CallTracker:
        return self.workspace.tracker

    @property
    def gateway(self) -> SlackGateway:
        return self.workspace.gateway

    async def start(self) -> None:
        # One connection pool for every Web API call and response_url answer:
        # without it slack_sdk opens (and TLS-handshakes) a connection per call.
        self.web_client.session = aiohttp.ClientSession()
        await self.store.create()
        if self.installs is not None:
            await self.installs.create(self.web_client.session)
        await self.workspaces.start()
        self.digest.start()
        _LOGGER.info("Slack app instance %s started", self.settings.instance_id)

    async def stop(self, *, release: bool = True, grace: float = STOP_GRACE) -> None:
        # Requests first: a dial in progress needs the tracker and the store.
        await self.in_flight.drain(grace)
        await self.digest.stop()
        await self.workspaces.stop(release=release)
        await self.store.close()
        if self.installs is not None:
            await self.installs.close()
        session, self.web_client.session = self.web_client.session, None
        if session is not None:
            await session.close()
        _LOGGER.info("Slack app instance %s stopped", self.settings.instance_id)
