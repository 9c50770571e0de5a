"""Hostile answers for the client tests: compression bombs, odd encodings, odd headers."""

from __future__ import annotations

import zlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from talkety_core import TalketyClient

from .scripted import ScriptedServer

GIB = 1024**3

Method = Callable[[TalketyClient], Awaitable[Any]]
READS: dict[str, Method] = {
    "call_status": lambda c: c.call_status("7"),
    "call_list": lambda c: c.call_list(),
    "conference_status": lambda c: c.conference_status("7"),
    "number_format": lambda c: c.number_format(["11234567890"]),
    "pricing": lambda c: c.pricing(["11234567890"]),
    "call_disconnect": lambda c: c.call_disconnect("7"),
    "conference_disconnect": lambda c: c.conference_disconnect("7"),
    # Reads the conference before it dials: that read is what fails here.
    "conference_add": lambda c: c.conference_add("9", ["19876543210"]),
    "find_dial": lambda c: c.find_dial("1", "tag", since=datetime.now(UTC)),
}
DIALS: dict[str, Method] = {
    "call_connect": lambda c: c.call_connect("11234567890", "19876543210"),
    "conference_connect": lambda c: c.conference_connect("11234567890", ["19876543210"]),
}


def deflated(size: int, *, gzip: bool = True, chunk: int = 1 << 24) -> bytes:
    """`size` zero bytes compressed (a 1 GiB bomb is about 1 MB), without holding them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)
    zeros = bytes(chunk)
    parts = [compressor.compress(zeros) for _ in range(size // chunk)]
    parts.append(compressor.compress(bytes(size % chunk)))
    parts.append(compressor.flush())
    return b"".join(parts)


def answer_encoded(
    server: ScriptedServer, body: bytes, encoding: str, *, chunked: bool = False
) -> None:
    """An answer sent as is, with `Content-Encoding: encoding` (and a length unless chunked)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Encoding": encoding})
        response.content_type = "text/xml"
        if chunked:
            response.enable_chunked_encoding()
        else:
            response.content_length = len(body)
        await response.prepare(request)
        for start in range(0, len(body), 65536):
            await response.write(body[start : start + 65536])
        await response.write_eof()
        return response

    server.answers.append(handler)


def answer_always(server: ScriptedServer, body: bytes, status: int = 200, **headers: str) -> None:
    """The same answer to every request from now on (a dial's reconciliation included)."""

    async def handler(_request: web.Request) -> web.StreamResponse:
        server.answers.insert(0, handler)
        return web.Response(body=body, status=status, headers=headers, content_type="text/xml")

    server.answers.append(handler)
