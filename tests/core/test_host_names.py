"""The client and the `talkety` command reach a Talkety server by host name.

Every other test uses 127.0.0.1, which skips the resolver; users never do. These go
through whatever resolver aiohttp picks in this environment (aiodns where it is
installed), so an environment whose resolver is broken fails here.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import aiohttp.resolver
import pytest

from talkety_core import TalketyClient
from talkety_core.simulator import SimulatorServer
from tests.named_hosts import TEST_HOST, by_name, with_hosts

from .conftest import APP_KEY, PASSWORD, USERNAME

NUMBER = "11234567890"


async def test_the_default_resolver_resolves_localhost() -> None:
    resolver = aiohttp.resolver.DefaultResolver()
    try:
        hosts = await resolver.resolve("localhost", 80)
    finally:
        await resolver.close()
    assert {"127.0.0.1", "::1"} & {host["host"] for host in hosts}


async def test_the_client_reaches_a_server_by_name(server: SimulatorServer) -> None:
    async with TalketyClient(
        APP_KEY, USERNAME, PASSWORD, base_url=by_name(server.base_url), timeout=5
    ) as api:
        pricing = await api.pricing([NUMBER])
    assert pricing.numbers[0].valid


@pytest.mark.parametrize("host", ["localhost", TEST_HOST])
async def test_talkety_price_reaches_a_server_by_name(
    server: SimulatorServer, host: str, tmp_path: Path
) -> None:
    argv = [sys.executable, "-m", "talkety_core", "price", NUMBER]
    if host != "localhost":
        argv = with_hosts(argv, tmp_path)
    env = {
        **os.environ,
        "TALKETY_URL": by_name(server.base_url, host),
        "TALKETY_USERNAME": USERNAME,
        "TALKETY_PASSWORD": PASSWORD,
        "TALKETY_APP_KEY": APP_KEY,
    }
    process = await asyncio.create_subprocess_exec(
        *argv, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert f"{NUMBER}  " in out.decode() and "/min" in out.decode()
    assert b"Traceback" not in err
