"""Builds the whole Slack app from Settings: Bolt, Talkety client, store, tracker.

Nothing starts on import or construction; `start()` creates the tables and
starts following calls, `stop()` stops (releasing leases unless told not to,
which is how tests imitate a crash).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from talkety_core import TalketyClient

from .blocks.call_message import Display
from .config import Settings
from .context import AppContext
from .in_flight import InFlight
from .listeners import register_listeners
from .live.home import HomeRefresher
from .live.tracker import CallTracker, Timings, utcnow
from .service import CallService
from .slack_gateway import SlackGateway
from .store import Store

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
    # Seconds between two posts to one channel: Slack allows about one a second.
    POST_SPACING = 1.1

    def __init__(
        self,
        settings: Settings,
        *,
        client: TalketyClient | None = None,
        guard_interval: float | None = None,
        post_spacing: float = POST_SPACING,
        home_spacing: float = 3.0,
        now: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        lease_renew_interval: float | None = None,
    ) -> None:
        self.settings = settings
        self._own_client = client is None
        self.client = client or settings.talkety.client()
        self.web_client = AsyncWebClient(token=settings.bot_token, base_url=settings.slack_api_url)
        self.gateway = SlackGateway(self.web_client, post_spacing=post_spacing)
        self.store = Store(settings.database_url)
        display = Display(settings.talkety.currency, settings.policy.mask_visible)
        # Built before the service it uses: the tracker only gets `request`.
        self.home = HomeRefresher(self.gateway, self._home_view, spacing=home_spacing)
        self.tracker = CallTracker(
            store=self.store,
            client=self.client,
            gateway=self.gateway,
            policy=settings.policy,
            display=display,
            instance_id=settings.instance_id,
            timings=Timings(
                lease_ttl=settings.lease_ttl,
                poll_interval=settings.poll_interval,
                idle_interval=settings.idle_poll_interval,
                progress_interval=settings.progress_interval,
                budget_per_minute=settings.update_budget_per_minute,
                reconcile_window=timedelta(seconds=settings.reconcile_window),
                guard_interval=guard_interval,
                lease_renew_interval=lease_renew_interval,
            ),
            on_calls_changed=self.home.request,
            now=now,
            monotonic=monotonic,
        )
        self.service = CallService(
            client=self.client,
            store=self.store,
            tracker=self.tracker,
            gateway=self.gateway,
            policy=settings.policy,
            display=display,
            now=now,
        )
        self.bolt = AsyncApp(
            client=self.web_client,  # carries the bot token
            # HTTP: Bolt verifies every request's signature and timestamp.
            # Socket Mode: requests arrive over the app's own websocket.
            signing_secret=settings.signing_secret or None,
            request_verification_enabled=not settings.socket_mode,
            logger=_bolt_logger(),
        )
        self.in_flight = InFlight()
        self.context = AppContext(
            service=self.service,
            tracker=self.tracker,
            gateway=self.gateway,
            store=self.store,
            policy=settings.policy,
            display=display,
            in_flight=self.in_flight,
        )
        register_listeners(self.bolt, self.context)

    async def start(self) -> None:
        # One connection pool for every Web API call and response_url answer:
        # without it slack_sdk opens (and TLS-handshakes) a connection per call.
        self.web_client.session = aiohttp.ClientSession()
        await self.store.create()
        await self.tracker.start()
        _LOGGER.info("Slack app instance %s started", self.settings.instance_id)

    async def _home_view(self, team_id: str, user_id: str) -> dict[str, Any]:
        return await self.service.home(team_id, user_id)

    async def stop(self, *, release: bool = True, grace: float = STOP_GRACE) -> None:
        # Requests first: a dial in progress needs the tracker and the store.
        await self.in_flight.drain(grace)
        await self.tracker.stop(release=release)
        await self.home.stop()
        await self.store.close()
        if self._own_client:
            await self.client.close()
        session, self.web_client.session = self.web_client.session, None
        if session is not None:
            await session.close()
        _LOGGER.info("Slack app instance %s stopped", self.settings.instance_id)
