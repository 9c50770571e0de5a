"""The simulator's small parts on their own: clocks, faults, token bucket, rendering."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from talkety_core.models import CallStatus
from talkety_core.simulator import Clock, ManualClock, RealClock, Simulator, Timings
from talkety_core.simulator.api_errors import HTTP_STATUS, ErrorCode
from talkety_core.simulator.faults import FaultKind, Faults
from talkety_core.simulator.ratelimit import TokenBucket
from talkety_core.simulator.render import Element, to_bytes

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_manual_clock() -> None:
    clock = ManualClock()
    assert clock.now() == T0
    assert clock.advance(1.5) == T0 + timedelta(seconds=1.5)
    assert clock.now().tzinfo is UTC
    assert "2026-01-01" in repr(clock)
    with pytest.raises(ValueError):
        clock.advance(-1)
    berlin = timezone(timedelta(hours=1))
    assert ManualClock(datetime(2026, 1, 1, 1, tzinfo=berlin)).now() == T0
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 1, 1))  # naive
    assert isinstance(clock, Clock)


def test_real_clock_speed() -> None:
    fast = RealClock(speed=1000.0)
    first = fast.now()
    second = fast.now()
    assert first.tzinfo is not None
    assert second >= first
    assert abs(RealClock().now() - datetime.now(UTC)) < timedelta(seconds=5)
    assert repr(fast) == "RealClock(speed=1000.0)"
    with pytest.raises(ValueError):
        RealClock(speed=0)


def test_simulator_defaults_to_a_real_clock() -> None:
    sim = Simulator()
    assert isinstance(sim.clock, RealClock)
    assert sim.clock.speed == 1.0
    assert (sim.username, sim.password, sim.app_key) == ("user", "pass", "key")
    assert sim.credit == Decimal("50")


def test_timings() -> None:
    assert Timings() == Timings(connecting=2.0, ringing=3.0)
    with pytest.raises(ValueError):
        Timings(connecting=-1)


def test_custom_timings_drive_the_schedule() -> None:
    clock = ManualClock()
    sim = Simulator(clock=clock, timings=Timings(connecting=0, ringing=0.5))
    call_id = sim.engine.call_connect("11234567890", "19876543210", None, clock.now())
    assert sim.engine.call_status(call_id, clock.now()).status is CallStatus.RINGING
    clock.advance(0.5)
    assert sim.engine.call_status(call_id, clock.now()).status is CallStatus.CONNECTED


def test_every_error_code_has_its_http_status() -> None:
    assert set(HTTP_STATUS) == set(ErrorCode)
    assert {code.value: code.http_status for code in ErrorCode} == {
        100: 401,
        101: 403,
        110: 404,
        120: 400,
        121: 400,
        130: 400,
        131: 403,
        140: 404,
        141: 404,
        142: 409,
        150: 402,
        160: 429,
        500: 500,
    }


def test_token_bucket() -> None:
    bucket = TokenBucket(2.0, 3, T0)
    assert [bucket.take(T0) for _ in range(3)] == [None, None, None]
    assert bucket.take(T0) == pytest.approx(0.5)
    assert bucket.take(T0 + timedelta(seconds=0.5)) is None
    assert bucket.take(T0 + timedelta(seconds=100)) is None  # refills to burst only
    later = T0 + timedelta(seconds=100)
    assert [bucket.take(later) for _ in range(3)] == [None, None, pytest.approx(0.5)]
    assert bucket.take(T0) == pytest.approx(0.5)  # a step back in time refills nothing
    for rate, burst in [(0.0, 1), (1.0, 0)]:
        with pytest.raises(ValueError):
            TokenBucket(rate, burst, T0)


def test_fault_rules() -> None:
    faults = Faults()
    assert faults.take("call_list").kind is None
    faults.latency(1.0)
    faults.latency(2.0, action="pricing", count=1)
    faults.fail_next("pricing", status=502)
    faults.drop_before_effect("call_list", count=2)
    plan = faults.take("pricing")
    assert (plan.delay, plan.kind, plan.status) == (2.0, FaultKind.FAIL, 502)
    assert faults.take("pricing").delay == 1.0
    assert faults.take("call_list").kind is FaultKind.DROP_BEFORE_EFFECT
    assert faults.take("call_list").kind is FaultKind.DROP_BEFORE_EFFECT
    assert faults.take("call_list").kind is None
    assert faults.pending == 1  # the lasting latency
    faults.latency(0)
    assert faults.pending == 0


@pytest.mark.parametrize(
    "misuse",
    [
        lambda f: f.latency(-1),
        lambda f: f.latency(1, count=0),
        lambda f: f.fail_next(status=404),
        lambda f: f.fail_next(count=0),
        lambda f: f.drop_after_effect("call_connect", count=-1),
        lambda f: f.malformed_next(count=0),
    ],
)
def test_fault_misuse(misuse: object) -> None:
    assert callable(misuse)
    with pytest.raises(ValueError):
        misuse(Faults())


def test_render_escapes_everything_it_prints() -> None:
    nasty = 'a<b>&"c"\n\td\re\x00f\U0001f4de'
    body = to_bytes(
        Element(
            "root", children=[Element("text", nasty), Element("attr", "x", attrs=[("v", nasty)])]
        )
    )
    root = ET.fromstring(body)
    expected = nasty.replace("\x00", "\ufffd")
    assert root.findtext("text") == expected
    attr = root.find("attr")
    assert attr is not None
    assert attr.attrib["v"] == expected


def test_render_layout() -> None:
    body = to_bytes(Element("a", children=[Element("b"), Element("c", "1")]))
    assert body == b'<?xml version="1.0" encoding="UTF-8"?>\n<a>\n<b></b>\n<c>1</c>\n</a>\n'


def test_simulator_lists_calls_newest_first() -> None:
    clock = ManualClock()
    sim = Simulator(clock=clock)
    first = sim.engine.call_connect("11234567890", "19876543210", "x", clock.now())
    clock.advance(1)
    second = sim.engine.conference_connect("4930123456", ["447700900123"], None, clock.now())
    calls = sim.calls()
    assert [c.id for c in calls] == [first + 2, first + 1, first]
    assert calls[0].conference_id == second
    assert calls[1].owner
    assert calls[2].custom_data == "x"
