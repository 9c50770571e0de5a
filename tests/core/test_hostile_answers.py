"""Whatever a Talkety server (or something posing as one) answers, the client raises a
TalketyError, a dial keeps its may-or-may-not-have-been-placed meaning, memory stays
bounded, and the CLI prints one line, never a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import textwrap
from decimal import Decimal
from typing import Any

import pytest

from talkety_core import TalketyClient
from talkety_core.documents import MAX_BODY_BYTES
from talkety_core.errors import (
    TalketyApiError,
    TalketyCallOutcomeUnknownError,
    TalketyError,
    TalketyParseError,
)

from .conftest import APP_KEY, PASSWORD, USERNAME
from .hostile import DIALS, GIB, READS, answer_always, answer_encoded, deflated
from .scripted import ScriptedServer

CALL = (
    "<call><id>7</id><call_status>connected</call_status><src>1</src><dst>2</dst>"
    "<duration>5</duration><total_costs>{cost}</total_costs></call>"
)


def _client(server: ScriptedServer, **options: Any) -> TalketyClient:
    options = {"retries": 0, "reconcile_delays": (0.0,), "timeout": 5, **options}
    return TalketyClient(APP_KEY, USERNAME, PASSWORD, base_url=server.base_url, **options)


HOSTILE_BODIES = {
    "bogus encoding": b'<?xml version="1.0" encoding="bogus"?><call/>',
    "utf-32 declared": b'<?xml version="1.0" encoding="utf-32"?><call/>',
    "superscript error code": b"<error><code>\xc2\xb2</code><message>x</message></error>",
    "5000-digit error code": b"<error><code>" + b"9" * 5000 + b"</code></error>",
    "error code with children": b"<error><code><a/></code><message><b/></message></error>",
    "5000-digit duration": CALL.replace("<duration>5", "<duration>" + "9" * 5000)
    .format(cost="0.1")
    .encode(),
    "negative cost": CALL.format(cost="-1").encode(),
    "huge cost": CALL.format(cost="1E+30").encode(),
    "NaN cost": CALL.format(cost="NaN").encode(),
    "cost of many digits": CALL.format(cost="0." + "1" * 100).encode(),
    "not XML": b"\x00\xff\xfe",
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(READS))
@pytest.mark.parametrize("body", sorted(HOSTILE_BODIES))
async def test_every_read_raises_only_talkety_errors(
    scripted: ScriptedServer, name: str, body: str
) -> None:
    answer_always(scripted, HOSTILE_BODIES[body])
    async with _client(scripted) as client:
        with contextlib.suppress(TalketyError):
            await READS[name](client)


@pytest.mark.parametrize("name", sorted(DIALS))
@pytest.mark.parametrize("body", ["bogus encoding", "not XML", "5000-digit duration"])
async def test_an_unreadable_answer_to_a_dial_leaves_its_outcome_open(
    scripted: ScriptedServer, name: str, body: str
) -> None:
    answer_always(scripted, HOSTILE_BODIES[body])
    async with _client(scripted) as client:
        with pytest.raises(TalketyCallOutcomeUnknownError):
            await DIALS[name](client)


@pytest.mark.parametrize("code", ["²", "9" * 5000, "-", "1.5"])
async def test_odd_error_codes_are_api_errors_without_a_code(
    scripted: ScriptedServer, code: str
) -> None:
    scripted.answer(f"<error><code>{code}</code><message>no</message></error>", status=400)
    async with _client(scripted) as client:
        with pytest.raises(TalketyApiError) as raised:
            await client.pricing(["1"])
    assert raised.value.code is None


@pytest.mark.parametrize("cost", ["-1", "-0.00001", "1E+30", "1000000000", "Infinity"])
async def test_implausible_amounts_make_the_document_invalid(
    scripted: ScriptedServer, cost: str
) -> None:
    scripted.answer(CALL.format(cost=cost))
    async with _client(scripted) as client:
        with pytest.raises(TalketyParseError, match="plausible amount"):
            await client.call_status("7")


async def test_a_plausible_amount_is_read_exactly(scripted: ScriptedServer) -> None:
    scripted.answer(CALL.format(cost="1.94022"))
    async with _client(scripted) as client:
        assert (await client.call_status("7")).total_costs == Decimal("1.94022")


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
@pytest.mark.parametrize("chunked", [False, True])
async def test_compressed_answers_are_read(
    scripted: ScriptedServer, encoding: str, chunked: bool
) -> None:
    import zlib  # noqa: PLC0415

    document = CALL.format(cost="0.5").encode()
    wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(document) + compressor.flush()
    answer_encoded(scripted, body, encoding, chunked=chunked)
    async with _client(scripted) as client:
        assert (await client.call_status("7")).total_costs == Decimal("0.5")


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_compression_bomb_stops_at_the_cap(scripted: ScriptedServer, chunked: bool) -> None:
    answer_encoded(scripted, deflated(64 * MAX_BODY_BYTES), "gzip", chunked=chunked)
    async with _client(scripted) as client:
        with pytest.raises(TalketyParseError, match="larger than"):
            await client.call_list()


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, gzip"])
async def test_encodings_not_asked_for_are_refused(scripted: ScriptedServer, encoding: str) -> None:
    answer_encoded(scripted, b"whatever", encoding)
    async with _client(scripted) as client:
        with pytest.raises(TalketyParseError, match="encoding"):
            await client.call_list()
    assert scripted.requests[0][2] == {}  # and it asked only for gzip or deflate


async def test_broken_gzip_is_a_parse_error(scripted: ScriptedServer) -> None:
    answer_encoded(scripted, b"\x1f\x8b\x08\x00garbage", "gzip")
    async with _client(scripted) as client:
        with pytest.raises(TalketyParseError, match="broken"):
            await client.call_list()


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (302, {"Location": "javascript:alert(1)"}),
        (302, {"Location": "http://[::1"}),
        (307, {"Location": "/xml/v1/again"}),
        (429, {"Retry-After": "nan"}),
        (429, {"Retry-After": "1e999"}),
        (429, {"Retry-After": "Mon, 99 Foo 99999 99:99:99 GMT"}),
        (503, {"Retry-After": "-5"}),
        (999, {}),
        (200, {"Content-Type": "text/xml; charset=bogus"}),
    ],
)
async def test_odd_statuses_headers_and_redirects_are_talkety_errors(
    scripted: ScriptedServer, status: int, headers: dict[str, str]
) -> None:
    answer_always(scripted, b"<nope/>", status, **headers)
    async with _client(scripted, max_retry_after=0.01) as client:
        with pytest.raises(TalketyError):
            await client.call_list()


async def test_a_client_that_follows_no_redirects_never_requests_the_target(
    scripted: ScriptedServer,
) -> None:
    answer_always(scripted, b"", 302, Location="/elsewhere")
    async with _client(scripted, follow_redirects=False) as client:
        with pytest.raises(TalketyError):
            await client.pricing(["1"])
    assert [path for _, path, _ in scripted.requests] == [f"/xml/v1/{APP_KEY}/pricing"]


async def test_the_cli_prints_one_line_never_a_traceback(scripted: ScriptedServer) -> None:
    answer_always(scripted, HOSTILE_BODIES["bogus encoding"])
    env = {
        **os.environ,
        "TALKETY_URL": scripted.base_url,
        "TALKETY_USERNAME": USERNAME,
        "TALKETY_PASSWORD": PASSWORD,
        "TALKETY_APP_KEY": APP_KEY,
    }
    for args in (["status", "7"], ["call", "11234567890", "19876543210"], ["list"]):
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "talkety_core",
            *args,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await process.communicate()
        assert process.returncode in (1, 3), err
        assert b"Traceback" not in err
        assert len(err.decode().strip().splitlines()) == 1, err
        assert APP_KEY.encode() not in err and PASSWORD.encode() not in err


BOMB_CLIENT = textwrap.dedent(
    """
    import asyncio, sys
    from talkety_core import TalketyClient, TalketyError

    async def main() -> None:
        async with TalketyClient("k", "u", "p", base_url=sys.argv[1], retries=0) as client:
            try:
                await client.call_list()
            except TalketyError as err:
                print(type(err).__name__)
        # VmHWM: this process's own peak since exec (ru_maxrss would also count the
        # pages of the test process it was forked from).
        status = open("/proc/self/status").read()
        print(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:")))

    asyncio.run(main())
    """
)


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_one_gib_compression_bomb_costs_the_client_almost_no_memory(
    scripted: ScriptedServer, chunked: bool
) -> None:
    """The client in a process of its own, so its peak resident size is its own."""
    answer_encoded(scripted, deflated(GIB), "gzip", chunked=chunked)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BOMB_CLIENT, scripted.base_url, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    error, peak_kib = out.decode().split()
    assert error == "TalketyParseError"
    print(f"peak resident size under a 1 GiB gzip bomb: {int(peak_kib) / 1024:.1f} MiB")
    assert int(peak_kib) < 100 * 1024  # 45 MiB measured; inflating it would take 1 GiB
