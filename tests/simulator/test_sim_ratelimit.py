"""Rate limiting: a token bucket on the simulator's clock, 429 + Retry-After."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from talkety_core.simulator import ManualClock, Simulator

from .sim_helpers import Api

MakeApi = Callable[[Simulator], Awaitable[Api]]
PRICING = [("number[]", "11234567890")]


async def test_burst_then_429_with_retry_after(make_api: MakeApi, clock: ManualClock) -> None:
    api = await make_api(Simulator(clock=clock, rate_limit=(1.0, 2)))
    assert (await api.get("pricing", PRICING)).status == 200
    assert (await api.get("pricing", PRICING)).status == 200
    answer = await api.get("pricing", PRICING)
    assert (answer.status, answer.error_code) == (429, 160)
    assert answer.headers["Retry-After"] == "1"
    clock.advance(1)
    assert (await api.get("pricing", PRICING)).status == 200


async def test_retry_after_is_whole_seconds_at_least_one(
    make_api: MakeApi, clock: ManualClock
) -> None:
    api = await make_api(Simulator(clock=clock, rate_limit=(0.25, 1)))
    assert (await api.get("call_list")).status == 200
    assert (await api.get("call_list")).headers["Retry-After"] == "4"
    clock.advance(3.5)
    assert (await api.get("call_list")).headers["Retry-After"] == "1"
    clock.advance(0.5)
    assert (await api.get("call_list")).status == 200


async def test_refused_requests_do_nothing_but_are_counted(
    make_api: MakeApi, clock: ManualClock
) -> None:
    sim = Simulator(clock=clock, rate_limit=(1.0, 1))
    api = await make_api(sim)
    await api.get("call_list")
    answer = await api.get("call_connect", {"src": "11234567890", "dst": "19876543210"})
    assert answer.status == 429
    assert sim.calls() == []
    assert sim.requests_by_action == {"call_list": 1, "call_connect": 1}


async def test_failed_logins_use_no_tokens(make_api: MakeApi, clock: ManualClock) -> None:
    api = await make_api(Simulator(clock=clock, rate_limit=(1.0, 1)))
    for _ in range(3):
        answer = await api.get("call_list", auth=("user", "nope"))
        assert answer.status == 401
    assert (await api.get("call_list")).status == 200


async def test_off_by_default(api: Api) -> None:
    for _ in range(50):
        assert (await api.get("call_list")).status == 200
