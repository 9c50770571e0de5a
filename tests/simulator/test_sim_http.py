"""Transport: auth, app key, routing, GET/POST, headers, bodies, counting, server lifecycle."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from talkety_core import basic_auth
from talkety_core.simulator import ManualClock, RealClock, Simulator, SimulatorServer, serve

from .sim_helpers import DECLARATION, Api

NUMBERS = [("number[]", "11234567890"), ("number[]", "19876543210")]


async def test_get_and_post_answer_alike(api: Api) -> None:
    by_get = await api.get("pricing", NUMBERS)
    by_post = await api.post("pricing", NUMBERS)
    assert by_get.status == by_post.status == 200
    assert by_get.body == by_post.body
    assert by_get.text("total_costs") == "0.0219"


async def test_post_merges_query_string_and_form(api: Api) -> None:
    answer = await api.post("call_connect", {"dst": "19876543210"}, params={"src": "11234567890"})
    assert answer.status == 200
    assert answer.text("call_id") == "148"


async def test_post_ignores_uploaded_files(api: Api) -> None:
    form = aiohttp.FormData()
    form.add_field("number[]", "11234567890")
    form.add_field("number[]", b"19876543210", filename="n.txt")
    answer = await api.request("POST", "pricing", data=form)
    assert answer.status == 200
    assert [n.text for n in answer.root.iter("number")] == ["11234567890"]


async def test_every_answer_is_declared_utf8_xml(api: Api) -> None:
    answers = [
        await api.get("pricing", NUMBERS),
        await api.get("call_status", {"call_id": "1"}),
        await api.get("nope"),
        await api.get("pricing", auth=("user", "wrong")),
    ]
    for answer in answers:
        assert answer.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert answer.body.startswith(DECLARATION)


async def test_utf8_body(api: Api) -> None:
    call_id = await api.connect("11234567890", "19876543210", custom_data="Grüße ☎")
    answer = await api.get("call_status", {"call_id": call_id})
    assert "Grüße ☎".encode() in answer.body
    assert answer.call()["custom_data"] == "Grüße ☎"


@pytest.mark.parametrize(
    "auth",
    [
        ("user", "wrong"),
        ("wrong", "pass"),
        ("", ""),
    ],
)
async def test_wrong_credentials_are_401_code_100(api: Api, auth: tuple[str, str]) -> None:
    answer = await api.get("pricing", NUMBERS, auth=auth)
    assert answer.status == 401
    assert answer.error_code == 100
    assert answer.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("header", [None, "Bearer abc", "Basic !!!not-base64"])
async def test_missing_or_broken_authorization_is_401(
    api: Api, session: aiohttp.ClientSession, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    async with session.get(api.url("pricing"), headers=headers) as response:
        assert response.status == 401
        assert b"<code>100</code>" in await response.read()


async def test_auth_is_checked_before_the_app_key(api: Api) -> None:
    answer = await api.get("pricing", NUMBERS, app_key="other", auth=("x", "y"))
    assert answer.status == 401


async def test_unknown_app_key_is_403_code_101(api: Api) -> None:
    answer = await api.get("pricing", NUMBERS, app_key="84f4097bb4955c6c58ba452ece41c075")
    assert answer.status == 403
    assert answer.error_code == 101


async def test_unknown_action_is_404_code_110(api: Api) -> None:
    answer = await api.get("call_teleport")
    assert answer.status == 404
    assert answer.error_code == 110
    assert "call_teleport" in answer.error_message


@pytest.mark.parametrize("suffix", ["", "/"])
async def test_no_action_is_404_code_110(
    api: Api, session: aiohttp.ClientSession, suffix: str
) -> None:
    url = f"{api.server.base_url}/key{suffix}"
    headers = {"Authorization": basic_auth.encode(*api.auth)}
    async with session.get(url, headers=headers) as response:
        assert response.status == 404
        assert b"<code>110</code>" in await response.read()


async def test_paths_outside_the_api_are_404(api: Api, session: aiohttp.ClientSession) -> None:
    base = api.server.base_url.removesuffix("/xml/v1")
    async with session.get(f"{base}/favicon.ico") as response:
        assert response.status == 404
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert b"<code>110</code>" in await response.read()


async def test_other_methods_are_405(api: Api) -> None:
    answer = await api.request("PUT", "pricing")
    assert answer.status == 405
    assert answer.error_code == 110


async def test_requests_are_counted_per_action(api: Api, sim: Simulator) -> None:
    await api.get("pricing", NUMBERS)
    await api.get("pricing", NUMBERS)
    await api.get("call_list")
    await api.get("call_list", auth=("user", "wrong"))
    assert sim.request_count == 4
    assert sim.requests_by_action == {"pricing": 2, "call_list": 2}
    sim.reset_counts()
    assert sim.request_count == 0
    assert not sim.requests_by_action


async def test_base_url_and_app_url(sim: Simulator) -> None:
    server = SimulatorServer(sim)
    with pytest.raises(RuntimeError):
        _ = server.base_url
    async with server:
        assert server.port > 0
        assert server.base_url == f"http://127.0.0.1:{server.port}/xml/v1"
        assert server.app_url == f"{server.base_url}/key"
        with pytest.raises(RuntimeError):
            await server.start()
    await server.stop()  # stopping twice is harmless
    with pytest.raises(RuntimeError):
        _ = server.base_url


async def test_ipv6_base_url(sim: Simulator) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    server = SimulatorServer(sim, host="::1")
    try:
        await server.start()
    except OSError:
        pytest.skip("no IPv6 loopback")
    try:
        assert server.base_url == f"http://[::1]:{server.port}/xml/v1"
    finally:
        await server.stop()


async def test_port_in_use_fails_cleanly(server: SimulatorServer, sim: Simulator) -> None:
    second = SimulatorServer(sim, port=server.port)
    with pytest.raises(OSError):
        await second.start()
    with pytest.raises(RuntimeError):
        _ = second.base_url


async def test_serve_runs_until_cancelled(
    capsys: pytest.CaptureFixture[str], session: aiohttp.ClientSession
) -> None:
    task = asyncio.create_task(serve("127.0.0.1", 0, "alice", "secret", "app", speed=60.0))
    line = ""
    for _ in range(200):
        await asyncio.sleep(0.005)
        line = capsys.readouterr().out or line
        if line:
            break
    assert line.count("\n") == 1
    url = next(word for word in line.split() if word.startswith("http://"))
    async with session.get(
        f"{url}/app/pricing?number[]=11234567890",
        headers={"Authorization": basic_auth.encode("alice", "secret")},
    ) as response:
        assert response.status == 200
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_several_servers_are_independent(
    make_api: Callable[[Simulator], Awaitable[Api]],
) -> None:
    first = await make_api(Simulator(clock=ManualClock()))
    second = await make_api(Simulator("u2", "p2", "k2", clock=RealClock(speed=2)))
    assert await first.connect("11234567890", "19876543210") == "148"
    assert await second.connect("11234567890", "19876543210") == "148"
    assert (await second.get("pricing", NUMBERS, auth=first.auth)).status == 401
