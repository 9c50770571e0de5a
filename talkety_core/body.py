"""An answer's body: decoded, and never more than the parser accepts.

The cap holds for the decoded bytes whatever the peer sends: aiohttp's own
decompression runs to the end of a body before anyone can look, so a 1 MB gzip
bomb would become gigabytes. The client asks for its bodies undecoded and inflates
them here, stopping at the cap.
"""

from __future__ import annotations

import zlib

import aiohttp

from .documents import MAX_BODY_BYTES
from .errors import TalketyParseError

# What the client asks for, and all it can read: anything else is refused unread.
ACCEPT_ENCODING = "gzip, deflate"
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


async def read_capped(action: str, response: aiohttp.ClientResponse) -> bytes:
    """The whole decoded body, or TalketyParseError once it passes MAX_BODY_BYTES."""
    limit = MAX_BODY_BYTES + 1
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    length = response.content_length  # a property that parses the header on each use
    if encoding in ("", "identity"):
        if length is not None:  # aiohttp reads no further than it says
            if length >= limit:
                raise _too_large(action)
            return await response.read()
        inflate = None
    elif encoding in _WBITS:
        inflate = zlib.decompressobj(_WBITS[encoding])
    else:
        raise TalketyParseError(f"{action}: answer in an encoding not asked for ({encoding[:20]})")
    body = bytearray()
    try:
        async for chunk in response.content.iter_any():
            if inflate is None:
                body += chunk
            else:
                body += inflate.decompress(chunk, limit - len(body))
                if inflate.unconsumed_tail:  # more output than room left
                    raise _too_large(action)
            if len(body) >= limit:
                raise _too_large(action)
        if inflate is not None:
            body += inflate.flush(limit - len(body))
            if not inflate.eof:  # cut short: zlib says nothing of a missing end
                raise zlib.error
    except zlib.error:
        raise TalketyParseError(f"{action}: answer's {encoding} encoding is broken") from None
    if len(body) >= limit:
        raise _too_large(action)
    return bytes(body)


def _too_large(action: str) -> TalketyParseError:
    return TalketyParseError(f"{action}: response larger than {MAX_BODY_BYTES} bytes")
