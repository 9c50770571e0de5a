"""Hypothesis strategies for hostile Talkety answers: the vendor's own documents,
mutated, under odd encodings, and the HTTP envelopes a hostile server wraps them in."""

from __future__ import annotations

import contextlib
import re
import zlib
from dataclasses import dataclass, field

from hypothesis import strategies as st

from talkety_core import documents as docs
from talkety_core.errors import TalketyParseError

from .seed import SEED

SEEDS = [path.read_bytes() for path in sorted(SEED.glob("*.xml"))]

HOSTILE_VALUES = [
    "",
    "²",
    "9" * 5000,
    "-1",
    "-0.00001",
    "1E+30",
    "NaN",
    "Infinity",
    "0." + "1" * 200,
    "<!channel>",
    "&amp;",
    "\u202e",
    "2007-02-30T25:61:61Z",
    "9999-12-31T23:59:59+14:00",
    "x" * 300,
]
ENCODINGS = ["bogus", "utf-16", "utf-32", "latin-1", "ascii", "cp500", "", "UTF-8 "]
_TEXT = re.compile(rb">([^<]*)<")


def read_every_way(body: bytes) -> None:
    """Parse and read a body as every document kind; only parse errors may escape."""
    try:
        root, content = docs.parse_body(body)
    except TalketyParseError:
        return
    for expected, reader in (
        ("call", docs.read_call),
        ("calls", docs.read_calls),
        ("conference", docs.read_conference),
        ("pricing", docs.read_pricing),
        ("numbers", docs.read_numbers),
    ):
        with contextlib.suppress(TalketyParseError):
            docs.read(root, content, expected, reader)


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    """A seed document with a few of its texts, bytes or its declaration changed."""
    body = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "flip", "insert", "delete", "encoding"]))
        if kind == "text":
            spans = [m.span(1) for m in _TEXT.finditer(bytes(body))]
            start, end = draw(st.sampled_from(spans))
            value = draw(st.sampled_from(HOSTILE_VALUES) | st.text(max_size=20))
            body[start:end] = value.encode("utf-8", "surrogatepass")
        elif kind == "flip" and body:
            at = draw(st.integers(0, len(body) - 1))
            body[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            at = draw(st.integers(0, len(body)))
            body[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete" and body:
            at = draw(st.integers(0, len(body) - 1))
            del body[at : at + draw(st.integers(1, 16))]
        else:
            encoding = draw(st.sampled_from(ENCODINGS))
            body = bytearray(re.sub(rb'encoding="[^"]*"', f'encoding="{encoding}"'.encode(), body))
    return bytes(body)


@dataclass(frozen=True)
class HostileAnswer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


_HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "Retry-After": st.sampled_from(["1", "nan", "-1", "1e999", "Mon, 99 Foo", "", "0"]),
        "Location": st.sampled_from(["/xml/v1/x", "javascript:x", "http://[::1", "//", ""]),
        "Content-Type": st.sampled_from(["text/xml; charset=bogus", "application/json", "x"]),
    },
)


@st.composite
def hostile_answer(draw: st.DrawFn) -> HostileAnswer:
    """Status, headers and a body (mutated, garbage or a compression bomb)."""
    body = draw(mutated_seed() | st.binary(max_size=200) | st.sampled_from(SEEDS))
    headers = dict(draw(_HEADERS))
    packing = draw(st.sampled_from(["plain", "gzip", "deflate", "bomb", "lying", "br"]))
    if packing in ("gzip", "bomb"):
        size = 8 * 1024 * 1024 if packing == "bomb" else 0
        compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        body = compressor.compress(body + bytes(size)) + compressor.flush()
        headers["Content-Encoding"] = "gzip"
    elif packing == "deflate":
        body = zlib.compress(body)
        headers["Content-Encoding"] = "deflate"
    elif packing == "br":
        headers["Content-Encoding"] = "br"
    elif packing == "lying":
        headers["Content-Encoding"] = "gzip"  # but it is not
    status = draw(
        st.sampled_from([200, 200, 200, 201, 204, 301, 302, 400, 401, 403, 404, 429, 500, 503, 599])
    )
    if status in (301, 302) and "Location" not in headers:
        headers["Location"] = "/xml/v1/elsewhere"
    return HostileAnswer(status, body, headers)
