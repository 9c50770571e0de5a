"""The simulator as a real HTTP server (aiohttp), speaking the Talkety XML API.

This module only translates HTTP to `Simulator.respond` and back: it reads the
Basic credentials, the app key and action from the path and the parameters
from query string and form body, and it carries out delays and dropped
connections requested by fault injection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from types import TracebackType

from aiohttp import hdrs, web

from .. import basic_auth
from . import render
from .api_errors import ErrorCode
from .clock import RealClock
from .simulator import Reply, Simulator

API_ROOT = "/xml/v1"
_SIMULATOR_KEY = web.AppKey("simulator", Simulator)
_ALLOWED_METHODS = (hdrs.METH_GET, hdrs.METH_POST)
# 4096 characters of custom_data, percent-encoded 4-byte UTF-8, plus the rest.
MAX_URL_BYTES = 64 * 1024


def create_app(simulator: Simulator) -> web.Application:
    app = web.Application()
    app[_SIMULATOR_KEY] = simulator
    app.router.add_route("*", API_ROOT + "/{app_key}/{action}", _handle_api)
    app.router.add_route("*", API_ROOT + "/{app_key}", _handle_api)
    app.router.add_route("*", API_ROOT + "/{app_key}/", _handle_api)
    app.router.add_route("*", "/{tail:.*}", _handle_elsewhere)
    return app


async def _handle_api(request: web.Request) -> web.StreamResponse:
    if request.method not in _ALLOWED_METHODS:
        return _xml_error(405, ErrorCode.UNKNOWN_ACTION, "only GET and POST are supported")
    simulator = request.app[_SIMULATOR_KEY]
    reply = simulator.respond(
        credentials=_credentials(request),
        app_key=request.match_info["app_key"],
        action=request.match_info.get("action", ""),
        params=await _params(request),
    )
    return await _send(request, reply)


async def _handle_elsewhere(request: web.Request) -> web.StreamResponse:
    return _xml_error(404, ErrorCode.UNKNOWN_ACTION, "not an API path")


def _credentials(request: web.Request) -> tuple[str, str] | None:
    header = request.headers.get(hdrs.AUTHORIZATION)
    if header is None:
        return None
    return basic_auth.decode(header)


async def _params(request: web.Request) -> Mapping[str, list[str]]:
    """Query string and form body merged; a name may repeat (`dst[]`)."""
    merged: dict[str, list[str]] = {}
    for name, value in request.query.items():
        merged.setdefault(name, []).append(value)
    if request.method == hdrs.METH_POST:
        form = await request.post()
        for name, field_value in form.items():
            if isinstance(field_value, str):  # uploaded files are not parameters
                merged.setdefault(name, []).append(field_value)
    return merged


async def _send(request: web.Request, reply: Reply) -> web.StreamResponse:
    if reply.delay > 0:
        await asyncio.sleep(reply.delay)
    if reply.hold is not None:
        await reply.hold.wait()
    if reply.drop:
        # No answer at all: the client sees the connection close (ServerDisconnected).
        if request.transport is not None:  # pragma: no branch - None once the peer is gone
            request.transport.abort()
        return web.Response()
    return web.Response(
        status=reply.status,
        body=reply.body,
        headers={hdrs.CONTENT_TYPE: render.CONTENT_TYPE, **reply.headers},
    )


def _xml_error(status: int, code: ErrorCode, message: str) -> web.Response:
    return web.Response(
        status=status,
        body=render.to_bytes(render.error(code, message)),
        headers={hdrs.CONTENT_TYPE: render.CONTENT_TYPE},
    )


class SimulatorServer:
    """Runs a Simulator on a local port: `async with SimulatorServer(sim) as server:`."""

    def __init__(self, simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.simulator = simulator
        self.host = host
        self.port = port  # 0 until started: pick any free port
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """The API root without the app key, e.g. `http://127.0.0.1:8123/xml/v1`."""
        if self._runner is None:
            raise RuntimeError("the simulator server is not running")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{API_ROOT}"

    @property
    def app_url(self) -> str:
        """The API root with the app key: append `/<action>`."""
        return f"{self.base_url}/{self.simulator.app_key}"

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("the simulator server is already running")
        runner = web.AppRunner(
            create_app(self.simulator),
            access_log=None,
            # Short: tests stop servers while injected latency is still sleeping.
            shutdown_timeout=0.5,
            # Room for the longest custom_data in a GET query string.
            max_line_size=MAX_URL_BYTES,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self.port = int(runner.addresses[0][1])
        self._runner = runner

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            self.simulator.faults.release()  # a held answer must not hold up the shutdown
            await runner.cleanup()

    async def __aenter__(self) -> SimulatorServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


async def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    username: str = "user",
    password: str = "pass",  # noqa: S107 - the simulator's documented demo login
    app_key: str = "key",
    speed: float = 1.0,
) -> None:
    """Run a simulator until cancelled (the `talkety sim` command)."""
    simulator = Simulator(username, password, app_key, clock=RealClock(speed=speed))
    async with SimulatorServer(simulator, host, port) as server:
        print(
            f"Talkety simulator listening on {server.base_url} "
            f"(user {username!r}, speed {speed}x)",  # the app key is a secret, even here
            flush=True,
        )
        await asyncio.Event().wait()
