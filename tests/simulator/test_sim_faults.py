"""Fault injection: failures before and after the effect, broken XML, latency."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from talkety_core.documents import parse_body
from talkety_core.errors import TalketyParseError
from talkety_core.simulator import Simulator

from .sim_helpers import DECLARATION, Api

CONNECT = {"src": "11234567890", "dst": "19876543210"}


async def test_fail_next_does_not_perform(api: Api, sim: Simulator) -> None:
    sim.faults.fail_next("call_connect")
    answer = await api.get("call_connect", CONNECT)
    assert (answer.status, answer.error_code) == (500, 500)
    assert answer.body.startswith(DECLARATION)
    assert sim.calls() == []
    assert (await api.get("call_connect", CONNECT)).status == 200
    assert len(sim.calls()) == 1


async def test_fail_next_with_status_and_count(api: Api, sim: Simulator) -> None:
    sim.faults.fail_next(status=503, count=2)
    first = await api.get("call_list")
    second = await api.get("pricing", [("number[]", "11234567890")])
    assert (first.status, first.error_code) == (503, 500)
    assert (second.status, second.error_code) == (503, 500)
    assert (await api.get("call_list")).status == 200
    assert sim.faults.pending == 0


async def test_faults_only_hit_their_action(api: Api, sim: Simulator) -> None:
    sim.faults.fail_next("call_connect")
    assert (await api.get("call_list")).status == 200
    assert sim.faults.pending == 1
    assert (await api.get("call_connect", CONNECT)).status == 500


async def test_faults_skip_refused_requests(api: Api, sim: Simulator) -> None:
    sim.faults.fail_next()
    assert (await api.get("call_list", auth=("x", "y"))).status == 401
    assert (await api.get("call_list", app_key="other")).status == 403
    assert (await api.get("no_such_action")).status == 404
    assert sim.faults.pending == 1


async def test_faults_are_used_in_order(api: Api, sim: Simulator) -> None:
    sim.faults.malformed_next("call_list")
    sim.faults.fail_next("call_list")
    assert (await api.get("call_list")).status == 200  # malformed
    assert (await api.get("call_list")).status == 500
    assert (await api.get("call_list")).status == 200


# The drop tests POST: aiohttp's ClientSession silently re-sends an idempotent
# method (GET) once after ServerDisconnectedError (see the last test).


async def test_drop_before_effect(api: Api, sim: Simulator) -> None:
    sim.faults.drop_before_effect("call_connect")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.post("call_connect", CONNECT)
    assert sim.calls() == []
    assert sim.requests_by_action["call_connect"] == 1
    assert (await api.get("call_connect", CONNECT)).status == 200  # the session recovers


async def test_drop_after_effect_places_the_call(api: Api, sim: Simulator) -> None:
    sim.faults.drop_after_effect("call_connect")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.post("call_connect", {**CONNECT, "custom_data": "tky1:token"})
    (call,) = sim.calls()
    assert call.custom_data == "tky1:token"
    ids = await api.list_ids()
    assert ids == [str(call.id)]


async def test_malformed_next_performs_and_breaks_the_xml(api: Api, sim: Simulator) -> None:
    sim.faults.malformed_next()
    answer = await api.get("call_connect", CONNECT)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert answer.body.startswith(DECLARATION)
    with pytest.raises(TalketyParseError):
        parse_body(answer.body)  # not even the vendor-slip mending rescues it
    assert len(sim.calls()) == 1


async def test_malformed_error_answer_is_still_200(api: Api, sim: Simulator) -> None:
    sim.faults.malformed_next("call_status")
    answer = await api.get("call_status", {"call_id": "1"})
    assert answer.status == 200
    with pytest.raises(TalketyParseError):
        parse_body(answer.body)


async def test_latency_delays_after_performing(api: Api, sim: Simulator) -> None:
    """Order, not duration: the dial takes effect at once, its answer comes late, and
    a request of another action meanwhile is not held up."""
    sim.faults.latency(2.0, action="call_connect", count=1)
    dial = asyncio.create_task(api.get("call_connect", CONNECT))
    async with asyncio.timeout(5):
        while not sim.calls():  # noqa: ASYNC110 - the server's effect, not an event of ours
            await asyncio.sleep(0.01)
    assert not dial.done()  # performed, answer still held back
    assert (await api.get("call_list")).status == 200
    assert not dial.done()  # the other request went by
    assert (await dial).status == 200
    assert sim.faults.pending == 0


async def test_latency_zero_removes_the_delays(sim: Simulator) -> None:
    sim.faults.latency(0.3)
    sim.faults.fail_next("pricing")
    sim.faults.latency(0)  # removes the delays, not the other faults
    assert sim.faults.pending == 1


async def test_a_held_answer_times_the_client_out_after_the_dial(api: Api, sim: Simulator) -> None:
    sim.faults.hold("call_connect")
    with pytest.raises(TimeoutError):
        await api.post("call_connect", CONNECT, timeout=aiohttp.ClientTimeout(total=0.3))
    assert len(sim.calls()) == 1  # dialled all the same
    held = asyncio.create_task(api.post("call_connect", CONNECT))  # the rule is used up ...
    assert (await held).status == 200  # ... so this one is answered at once
    sim.faults.hold("call_connect", count=2)
    first = asyncio.create_task(api.post("call_connect", CONNECT))
    second = asyncio.create_task(api.post("call_connect", CONNECT))
    async with asyncio.timeout(5):
        while len(sim.calls()) < 4:  # noqa: ASYNC110 - the server's effect, not our event
            await asyncio.sleep(0.01)
    assert not first.done() and not second.done()
    sim.faults.release()  # both answers go
    assert [(await first).status, (await second).status] == [200, 200]


async def test_latency_stacks_with_a_drop(api: Api, sim: Simulator) -> None:
    sim.faults.latency(0.02)
    sim.faults.drop_after_effect("call_connect")
    started = time.monotonic()
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.post("call_connect", CONNECT)
    assert time.monotonic() - started >= 0.02
    sim.faults.clear()
    assert sim.faults.pending == 0


async def test_aiohttp_resends_a_dropped_get_once(api: Api, sim: Simulator) -> None:
    """Not a simulator rule but a hazard it exposes: aiohttp (3.10+) retries a GET
    whose connection was dropped, so a dialling GET can dial twice. Dial with POST."""
    sim.faults.drop_after_effect("call_connect")
    answer = await api.get("call_connect", CONNECT)
    assert answer.status == 200  # the silent retry's answer
    assert sim.requests_by_action["call_connect"] == 2
    assert len(sim.calls()) == 2
