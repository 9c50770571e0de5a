"""Serving the app: HTTP on aiohttp (POST /slack/events), or Socket Mode."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from .app import STOP_GRACE, SlackTalketyApp
from .in_flight import InFlight
from .request_guard import ReplayCheck, RequestGuard, replay_checked

_LOGGER = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def bolt_endpoint(
    bolt: AsyncApp, in_flight: InFlight | None = None, guard: RequestGuard | None = None
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp handler that hands Slack's requests to `bolt` and answers with its ack;
    `in_flight` learns while requests wait for theirs (work after acks waits for them);
    `guard` refuses what is not an authentic, well-formed, first-seen Slack request."""

    async def events(request: web.Request) -> web.Response:
        if guard is None:
            return await _answered(bolt, request, in_flight)
        body = await request.read()  # aiohttp keeps it: Bolt reads the same bytes
        refusal = guard.refusal(request.headers, request.content_type, body)
        if refusal is not None:
            # One line, no traceback, nothing of the request: anyone can send these.
            _LOGGER.warning("Refused a request to %s: %s", EVENTS_PATH, refusal.reason)
            return web.Response(status=refusal.status, text="refused")
        signature = request.headers["X-Slack-Signature"]
        with replay_checked(ReplayCheck(lambda: guard.first_seen(signature))):
            return await _answered(bolt, request, in_flight)

    return events


async def _answered(
    bolt: AsyncApp, request: web.Request, in_flight: InFlight | None
) -> web.Response:
    if in_flight is None:
        return await _dispatch(bolt, request)
    in_flight.request_started()
    try:
        return await _dispatch(bolt, request)
    finally:
        in_flight.request_answered()


async def _dispatch(bolt: AsyncApp, request: web.Request) -> web.Response:
    bolt_response = await bolt.async_dispatch(await to_bolt_request(request))
    return await to_aiohttp_response(bolt_response)


def build_web_app(slack: SlackTalketyApp, *, manage_lifecycle: bool = True) -> web.Application:
    """One endpoint for slash commands, interactivity and events, like Slack's own docs."""

    async def health(_request: web.Request) -> web.Response:
        return web.json_response(await health_report(slack))

    app = web.Application(client_max_size=1024 * 1024)
    guard = RequestGuard(slack.settings.signing_secret, slack.store.once_keys)
    app.router.add_post(EVENTS_PATH, bolt_endpoint(slack.bolt, slack.in_flight, guard))
    app.router.add_get("/healthz", health)
    add_oauth_routes(app, slack.bolt)
    if manage_lifecycle:

        async def lifecycle(_app: web.Application) -> AsyncIterator[None]:
            await slack.start()
            yield
            await slack.stop()

        app.cleanup_ctx.append(lifecycle)
    return app


async def health_report(slack: SlackTalketyApp) -> dict[str, object]:
    """Alive, and how far call messages lag behind their calls: in the database (every
    instance: never posted, or ended but not shown so) and in this instance's queue."""
    waiting = [ws.tracker.updater.behind() for ws in slack.workspaces.running()]
    report: dict[str, object] = {
        "ok": True,
        "instance": slack.settings.instance_id,
        "writes_waiting": sum(count for count, _ in waiting),
        "oldest_write_wait_seconds": round(max((age for _, age in waiting), default=0.0), 1),
    }
    try:
        behind, lag = await slack.store.history.delivery_backlog(slack.now())
    except Exception:  # the database is down: that is the news
        _LOGGER.warning("Health check: the database cannot be read")
        return {**report, "ok": False, "database": "unreachable"}
    return {**report, "messages_behind": behind, "oldest_lag_seconds": round(lag, 1)}


def add_oauth_routes(app: web.Application, bolt: AsyncApp) -> None:
    """Distributed mode: Slack's install button (GET /slack/install) and the page Slack
    sends the installer back to (GET /slack/oauth_redirect), both run by Bolt."""
    flow = bolt.oauth_flow
    if flow is None:
        return

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(
            await flow.handle_installation(await to_bolt_request(request))
        )

    async def redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    app.router.add_get(flow.install_path, install)
    app.router.add_get(flow.redirect_uri_path, redirect)


class HttpServer:
    """The HTTP endpoint on host:port (port 0: any free port; see .port)."""

    def __init__(self, slack: SlackTalketyApp, host: str, port: int) -> None:
        self.slack = slack
        self.host = host
        self.requested_port = port
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{EVENTS_PATH}"

    async def start(self) -> None:
        await self.slack.start()
        self._runner = web.AppRunner(build_web_app(self.slack, manage_lifecycle=False))
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        await site.start()
        server = site._server  # aiohttp keeps the bound sockets here
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = sockets[0].getsockname()[1]
        _LOGGER.info("Slack app listening on %s", self.url)

    async def stop(self, *, release: bool = True, grace: float = STOP_GRACE) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.slack.stop(release=release, grace=grace)


def settle_heap() -> None:
    """What start-up built lives as long as the process: keep the garbage collector
    from walking it again and again (its full passes are what a slow ack waits on)."""
    gc.collect()
    gc.freeze()


async def run_http(slack: SlackTalketyApp, host: str, port: int) -> None:
    server = HttpServer(slack, host, port)
    await server.start()
    settle_heap()
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


async def run_socket_mode(slack: SlackTalketyApp) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import (  # noqa: PLC0415 - optional path
        AsyncSocketModeHandler,
    )
    from slack_sdk.web.async_client import AsyncWebClient  # noqa: PLC0415

    web_client = AsyncWebClient(
        token=slack.settings.app_token, base_url=slack.settings.slack_api_url
    )
    handler = AsyncSocketModeHandler(slack.bolt, slack.settings.app_token, web_client=web_client)
    await slack.start()
    settle_heap()
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        _LOGGER.info("Slack app connected in Socket Mode")
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await slack.stop()
