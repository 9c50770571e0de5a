"""A real HTTP server on 127.0.0.1 that answers whatever a test scripts.

For answers the simulator never gives (unknown error codes, proxy pages,
HTTP-date Retry-After, the seed's documents verbatim).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class ScriptedServer:
    answers: list[Handler] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    runner: web.AppRunner | None = None
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xml/v1"

    def answer(
        self, body: bytes | str, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        data = body.encode() if isinstance(body, str) else body

        async def handler(_request: web.Request) -> web.StreamResponse:
            return web.Response(body=data, status=status, headers=headers, content_type="text/xml")

        self.answers.append(handler)

    def answer_chunked(self, body: bytes, chunk: int = 1024) -> None:
        """An answer without Content-Length, sent in pieces."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse()
            response.enable_chunked_encoding()
            await response.prepare(request)
            for start in range(0, len(body), chunk):
                await response.write(body[start : start + chunk])
            await response.write_eof()
            return response

        self.answers.append(handler)

    def stall(self, seconds: float) -> None:
        async def handler(_request: web.Request) -> web.StreamResponse:
            await asyncio.sleep(seconds)
            return web.Response(text="<success><call_id>1</call_id></success>")

        self.answers.append(handler)

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        form = dict(await request.post()) if request.method == "POST" else {}
        self.requests.append((request.method, request.path, {**request.query, **form}))  # type: ignore[dict-item]
        if not self.answers:
            return web.Response(status=599, text="no scripted answer")
        return await self.answers.pop(0)(request)

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
