"""Regular calls: lifecycle on a ManualClock, outcomes, costs, disconnect, call_list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

from talkety_core.simulator import ManualClock, Simulator

from .sim_helpers import Api, money

A = "11234567890"  # USA, 0.0105 / min
B = "19876543210"  # USA, 0.0114 / min
CALL_ORDER = [
    "id",
    "call_start",
    "call_end",
    "call_status",
    "call_via",
    "dst",
    "dst_name",
    "src",
    "src_name",
    "duration",
    "total_costs",
]


async def test_lifecycle_connecting_ringing_connected_disconnected(
    api: Api, clock: ManualClock
) -> None:
    call_id = await api.connect(A, B)
    assert call_id == "148"
    seen = []
    for _ in range(7):  # t = 0..6
        seen.append((await api.status(call_id))["call_status"])
        clock.advance(1)
    assert seen == ["connecting"] * 2 + ["ringing"] * 3 + ["connected"] * 2
    clock.advance(60)  # t = 67: 62 s connected
    answer = await api.get("call_disconnect", {"call_id": call_id})
    assert answer.status == 200
    assert answer.root.tag == "success"
    assert answer.text("call_id") == call_id
    clock.advance(100)
    call = await api.status(call_id)
    assert call["call_status"] == "disconnected"
    assert call["call_start"] == "2026-01-01T00:00:00Z"
    assert call["call_end"] == "2026-01-01T00:01:07Z"
    assert call["duration"] == "62"
    assert money(call["total_costs"]) == Decimal("0.02263")  # 62 * 0.0219 / 60


async def test_call_document_fields_in_seed_order(api: Api, clock: ManualClock) -> None:
    call_id = await api.connect(A, B)
    call = await api.status(call_id)
    assert list(call) == CALL_ORDER
    assert call["call_end"] == ""
    assert call["call_via"] == "api"
    assert (call["src"], call["src_name"], call["dst"], call["dst_name"]) == (A, "USA", B, "USA")
    assert (call["duration"], call["total_costs"]) == ("0", "0")


async def test_custom_data_round_trip(api: Api) -> None:
    odd = 'tky1:0123456789abcdef0123456789abcdef:<b>&"quoted"\nline\ttab\r'
    call_id = await api.connect(A, B, custom_data=odd)
    call = await api.status(call_id)
    assert list(call) == [*CALL_ORDER, "custom_data"]
    assert call["custom_data"] == odd


async def test_empty_custom_data_counts_as_none(api: Api) -> None:
    call_id = await api.connect(A, B, custom_data="")
    assert "custom_data" not in await api.status(call_id)


@pytest.mark.parametrize(
    ("src", "dst", "status", "ends_at"),
    [
        ("11234567486", B, "busy", 2),  # caller busy: after connecting
        ("11234567408", B, "no_answer", 2),
        ("11234567503", B, "failed", 2),
        (A, "19876543486", "busy", 5),  # callee busy: after ringing
        (A, "19876543408", "no_answer", 5),
        (A, "19876543503", "failed", 5),
    ],
)
async def test_number_endings_decide_outcomes(
    api: Api, clock: ManualClock, src: str, dst: str, status: str, ends_at: int
) -> None:
    call_id = await api.connect(src, dst)
    clock.advance(ends_at - 0.5)
    assert (await api.status(call_id))["call_status"] in {"connecting", "ringing"}
    clock.advance(0.5)
    call = await api.status(call_id)
    assert call["call_status"] == status
    assert call["call_end"] == f"2026-01-01T00:00:0{ends_at}Z"
    assert (call["duration"], call["total_costs"]) == ("0", "0")
    answer = await api.get("call_disconnect", {"call_id": call_id})
    assert (answer.status, answer.error_code) == (409, 142)


async def test_hang_up_while_ringing_costs_nothing(api: Api, clock: ManualClock) -> None:
    call_id = await api.connect(A, B)
    clock.advance(3)
    await api.get("call_disconnect", {"call_id": call_id})
    clock.advance(10)
    call = await api.status(call_id)
    assert call["call_status"] == "disconnected"
    assert call["call_end"] == "2026-01-01T00:00:03Z"
    assert (call["duration"], call["total_costs"]) == ("0", "0")


async def test_cost_accrues_per_whole_second_round_half_up(api: Api, clock: ManualClock) -> None:
    call_id = await api.connect(A, B)
    clock.advance(5 + 65.999)  # 65 whole seconds connected
    call = await api.status(call_id)
    assert call["duration"] == "65"
    # 65 * 0.0219 / 60 = 0.023725 exactly: half up gives 0.02373 (half even: 0.02372)
    assert call["total_costs"] == "0.02373"


async def test_costs_are_printed_without_exponent(
    make_api: Callable[[Simulator], Awaitable[Api]], clock: ManualClock
) -> None:
    api = await make_api(Simulator(clock=clock, credit=None))
    call_id = await api.connect("19005551234", "19005551235")  # premium: 3.98 / min
    clock.advance(5 + 3600)
    assert (await api.status(call_id))["total_costs"] == "238.8"


async def test_disconnect_twice_is_142(api: Api, clock: ManualClock) -> None:
    call_id = await api.connect(A, B)
    assert (await api.get("call_disconnect", {"call_id": call_id})).status == 200
    answer = await api.get("call_disconnect", {"call_id": call_id})
    assert answer.status == 409
    assert answer.error_code == 142


@pytest.mark.parametrize("action", ["call_status", "call_disconnect"])
async def test_unknown_call_is_140(api: Api, action: str) -> None:
    answer = await api.get(action, {"call_id": "999999999999999999999"})
    assert (answer.status, answer.error_code) == (404, 140)


@pytest.mark.parametrize("action", ["call_status", "call_disconnect"])
@pytest.mark.parametrize("value", ["abc", "-1", "1.5", " 7", "+7", "\u0663"])
async def test_non_numeric_call_id_is_121(api: Api, action: str, value: str) -> None:
    answer = await api.get(action, {"call_id": value})
    assert (answer.status, answer.error_code) == (400, 121)
    assert "call_id" in answer.error_message


@pytest.mark.parametrize("action", ["call_status", "call_disconnect"])
async def test_missing_call_id_is_120(api: Api, action: str) -> None:
    for params in (None, {"call_id": ""}):
        answer = await api.get(action, params)
        assert (answer.status, answer.error_code) == (400, 120)
        assert "call_id" in answer.error_message


@pytest.mark.parametrize(
    ("params", "missing"),
    [({"dst": B}, "src"), ({"src": A}, "dst"), ({}, "src"), ({"src": "", "dst": B}, "src")],
)
async def test_call_connect_missing_parameter_is_120(
    api: Api, params: dict[str, str], missing: str
) -> None:
    answer = await api.get("call_connect", params)
    assert (answer.status, answer.error_code) == (400, 120)
    assert answer.error_message.endswith(missing)


@pytest.mark.parametrize(
    ("src", "dst", "named"),
    [
        ("0123456789", B, "src"),  # leading 0
        (A, "8765432100", "dst"),  # no such prefix
        ("+11234567890", B, "src"),  # wire format has no +
        (A, "1-987-654-3210", "dst"),
        ("112345", B, "src"),  # too short
        (A, "1987654321012345", "dst"),  # too long
        ("1123456789\u0660", B, "src"),  # ARABIC-INDIC DIGIT ZERO
    ],
)
async def test_invalid_numbers_are_130(
    api: Api, sim: Simulator, src: str, dst: str, named: str
) -> None:
    answer = await api.get("call_connect", {"src": src, "dst": dst})
    assert (answer.status, answer.error_code) == (400, 130)
    assert named in answer.error_message
    assert sim.calls() == []


@pytest.mark.parametrize(("src", "dst"), [(A, "8821234567"), ("8831234567", B)])
async def test_blocked_prefixes_are_131(api: Api, src: str, dst: str) -> None:
    answer = await api.get("call_connect", {"src": src, "dst": dst})
    assert (answer.status, answer.error_code) == (403, 131)


async def test_blocked_prefixes_are_configurable(
    make_api: Callable[[Simulator], Awaitable[Api]],
) -> None:
    api = await make_api(Simulator(clock=ManualClock(), blocked_prefixes=("1987",)))
    assert (await api.get("call_connect", {"src": A, "dst": B})).error_code == 131
    assert (await api.get("call_connect", {"src": A, "dst": "8821234567"})).status == 200


@pytest.mark.parametrize("bad", ["x" * 4097, "bell\x07", "nul\x00"])
async def test_unusable_custom_data_is_121(api: Api, bad: str) -> None:
    answer = await api.post("call_connect", {"src": A, "dst": B, "custom_data": bad})
    assert (answer.status, answer.error_code) == (400, 121)
    assert "custom_data" in answer.error_message


async def test_longest_allowed_custom_data(api: Api) -> None:
    data = "\U0001f4de" * 4096  # worst case for a GET: 12 bytes per character
    call_id = await api.connect(A, B, custom_data=data)
    assert (await api.status(call_id))["custom_data"] == data


# -- call_list ---------------------------------------------------------------


async def _three_calls(api: Api, clock: ManualClock) -> list[str]:
    ids = []
    for dst in (B, "4930123456", "447700900123"):
        ids.append(await api.connect(A, dst))
        clock.advance(10)
    return ids  # started at t = 0, 10, 20


async def test_call_list_newest_first(api: Api, clock: ManualClock) -> None:
    first, second, third = await _three_calls(api, clock)
    assert await api.list_ids() == [third, second, first]
    answer = await api.get("call_list")
    assert all(len(call) == len(CALL_ORDER) for call in answer.root)


async def test_call_list_same_start_orders_by_id_desc(api: Api) -> None:
    ids = [await api.connect(A, B) for _ in range(3)]
    assert await api.list_ids() == ids[::-1]


async def test_call_list_empty(api: Api) -> None:
    answer = await api.get("call_list")
    assert answer.status == 200
    assert answer.root.tag == "calls"
    assert len(answer.root) == 0
    assert b"<calls></calls>" in answer.body


async def test_call_list_limit_and_offset(api: Api, clock: ManualClock) -> None:
    first, second, third = await _three_calls(api, clock)
    assert await api.list_ids({"limit": "2"}) == [third, second]
    assert await api.list_ids({"limit": "1", "offset": "1"}) == [second]
    assert await api.list_ids({"offset": "2"}) == [first]
    assert await api.list_ids({"offset": "3"}) == []
    assert await api.list_ids({"limit": "1000"}) == [third, second, first]


async def test_call_list_default_limit_is_100(api: Api) -> None:
    for _ in range(101):
        await api.connect(A, B)
    ids = await api.list_ids()
    assert len(ids) == 100
    assert ids[0] == str(148 + 100)


async def test_call_list_filters(api: Api, clock: ManualClock) -> None:
    first, second, third = await _three_calls(api, clock)  # now t = 30
    await api.get("call_disconnect", {"call_id": second})
    assert await api.list_ids({"call_status": "disconnected"}) == [second]
    assert await api.list_ids({"call_status": "connected"}) == [third, first]
    assert await api.list_ids({"call_status": "busy"}) == []
    assert await api.list_ids({"dst": "4930123456"}) == [second]
    assert await api.list_ids({"src": A}) == [third, second, first]
    assert await api.list_ids({"src": B}) == []
    assert await api.list_ids({"since": "2026-01-01T00:00:10Z"}) == [third, second]
    assert await api.list_ids({"until": "2026-01-01T00:00:10Z"}) == [first]
    window = {"since": "2026-01-01T00:00:05+00:00", "until": "2026-01-01T00:00:20"}
    assert await api.list_ids(window) == [second]
    assert await api.list_ids({"since": "2026-01-01T01:00:10+01:00"}) == [third, second]
    assert await api.list_ids({"since": "2026-01-02"}) == []


async def test_call_list_compares_start_as_printed(api: Api, clock: ManualClock) -> None:
    clock.advance(0.7)  # starts at 00:00:00.7, printed 00:00:00
    call_id = await api.connect(A, B)
    assert await api.list_ids({"since": "2026-01-01T00:00:00Z"}) == [call_id]
    assert await api.list_ids({"until": "2026-01-01T00:00:00Z"}) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("limit", "1001"),
        ("limit", "0"),
        ("limit", "-5"),
        ("limit", "ten"),
        ("offset", "-1"),
        ("offset", "1e3"),
        ("since", "yesterday"),
        ("until", "2026-13-01T00:00:00Z"),
        ("call_status", "talking"),
        ("call_status", "unknown"),
    ],
)
async def test_call_list_malformed_parameters_are_121(api: Api, name: str, value: str) -> None:
    answer = await api.get("call_list", {name: value})
    assert (answer.status, answer.error_code) == (400, 121)
    assert name in answer.error_message


async def test_call_list_ignores_empty_filters(api: Api) -> None:
    call_id = await api.connect(A, B)
    empty = {"call_status": "", "src": "", "dst": "", "since": "", "limit": ""}
    assert await api.list_ids(empty) == [call_id]
