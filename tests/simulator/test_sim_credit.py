"""Account credit: debit by accrued cost, refusal at <= 0, calls ended when it runs out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

from talkety_core.simulator import ManualClock, Simulator

from .sim_helpers import Api

A, B = "11234567890", "19876543210"  # together 0.0219 / min = 0.000365 / s
MakeApi = Callable[[Simulator], Awaitable[Api]]


async def test_default_credit_is_debited(api: Api, sim: Simulator, clock: ManualClock) -> None:
    assert sim.credit == Decimal("50")
    await api.connect(A, B)
    clock.advance(5 + 65)
    assert sim.credit == Decimal("50") - Decimal("0.02373")


async def test_unlimited_credit(make_api: MakeApi, clock: ManualClock) -> None:
    sim = Simulator(clock=clock, credit=None)
    api = await make_api(sim)
    call_id = await api.connect(A, B)
    clock.advance(10 * 24 * 3600)
    assert sim.credit is None
    assert (await api.status(call_id))["call_status"] == "connected"


async def test_running_out_disconnects_the_call(make_api: MakeApi, clock: ManualClock) -> None:
    sim = Simulator(clock=clock, credit=Decimal("0.01"))
    api = await make_api(sim)
    call_id = await api.connect(A, B)
    clock.advance(100)
    call = await api.status(call_id)
    # 27 s cost 0.009855, 28 s cost 0.01022: empty 28 s after connecting at t = 5.
    assert call["call_status"] == "disconnected"
    assert call["call_end"] == "2026-01-01T00:00:33Z"
    assert (call["duration"], call["total_costs"]) == ("28", "0.01022")
    assert sim.credit == Decimal("-0.00022")
    answer = await api.get("call_connect", {"src": A, "dst": B})
    assert (answer.status, answer.error_code) == (402, 150)
    answer = await api.get("conference_connect", [("src", A), ("dst[]", B)])
    assert (answer.status, answer.error_code) == (402, 150)
    assert len(sim.calls()) == 1


async def test_running_out_ends_every_active_call(make_api: MakeApi, clock: ManualClock) -> None:
    sim = Simulator(clock=clock, credit=Decimal("0.01"))
    api = await make_api(sim)
    first = await api.connect(A, B)  # connected from t = 5
    clock.advance(10)
    second = await api.connect(A, B)  # connected from t = 15
    clock.advance(13)
    third = await api.connect(A, B)  # t = 23, still connecting when the money runs out
    clock.advance(60)
    ended = [await api.status(call_id) for call_id in (first, second, third)]
    # At t = 24: 19 s + 9 s cost 0.00694 + 0.00329 = 0.01023 >= 0.01 (t = 23: 0.00949).
    assert [c["call_end"] for c in ended] == ["2026-01-01T00:00:24Z"] * 3
    assert [c["call_status"] for c in ended] == ["disconnected"] * 3
    assert [c["duration"] for c in ended] == ["19", "9", "0"]
    assert sim.credit == Decimal("-0.00023")


async def test_running_out_ends_a_conference(make_api: MakeApi, clock: ManualClock) -> None:
    sim = Simulator(clock=clock, credit=Decimal("0.1"))
    api = await make_api(sim)
    conference_id = await api.conference("4990123456", "4930123456")  # 2.50 + 0.0119 / min
    clock.advance(600)
    doc = await api.conference_status(conference_id)
    assert doc.findtext("conference_status") == "disconnected"
    # Owner connected from t = 2 at 2.50 / min: 2 s = 0.08333, 3 s = 0.125 >= 0.1.
    assert doc.findtext("conference_end") == "2026-01-01T00:00:05Z"
    assert doc.findtext("total_costs") == "0.125"
    assert sim.credit == Decimal("-0.025")


async def test_setting_the_balance(api: Api, sim: Simulator, clock: ManualClock) -> None:
    call_id = await api.connect(A, B)
    clock.advance(10)
    sim.credit = Decimal(0)  # the balance reaching zero ends the call at once
    assert sim.credit == 0
    call = await api.status(call_id)
    assert (call["call_status"], call["call_end"]) == ("disconnected", "2026-01-01T00:00:10Z")
    assert (await api.get("call_connect", {"src": A, "dst": B})).error_code == 150
    sim.credit = Decimal("1")
    assert await api.connect(A, B)
    sim.credit = None
    assert sim.credit is None


async def test_conference_ended_by_empty_credit_refuses_add(api: Api, sim: Simulator) -> None:
    conference_id = await api.conference(A, B)
    sim.credit = Decimal("-1")
    answer = await api.get("conference_add", [("conference_id", conference_id), ("dst[]", A)])
    assert (answer.status, answer.error_code) == (409, 142)  # it ended with the credit


@pytest.mark.parametrize("balance", ["0", "-0.5"])
async def test_no_dialling_without_credit(
    make_api: MakeApi, clock: ManualClock, balance: str
) -> None:
    api = await make_api(Simulator(clock=clock, credit=Decimal(balance)))
    for action, params in [
        ("call_connect", [("src", A), ("dst", B)]),
        ("conference_connect", [("src", A), ("dst[]", B)]),
    ]:
        answer = await api.get(action, params)
        assert (answer.status, answer.error_code) == (402, 150)
    assert (await api.get("pricing", [("number[]", A)])).status == 200
