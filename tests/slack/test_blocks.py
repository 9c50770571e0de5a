"""Every builder within Slack's limits, for the largest conference the app allows and more."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from devtools.slack.fake_slack import block_texts
from slack_app.blocks.call_message import MAX_LEG_BLOCKS, Display, render_call_message
from slack_app.blocks.home import home_view
from slack_app.blocks.modals import add_participant_modal, conference_modal, set_number_modal
from slack_app.blocks.replies import confirm_blocks, hangup_list_blocks, price_blocks
from slack_app.policy import Policy
from slack_app.store import (
    CallRecord,
    DialKind,
    DialPlan,
    PendingDial,
    PendingState,
    RecordState,
    Requester,
)
from slack_app.store.summary import country_name
from talkety_core import Call, CallStatus, Conference, PricedNumber, Pricing

from .blockkit import check_message, check_view

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
DISPLAY = Display("USD", 4)


def record(kind: str = "conference", participants: int = 1, **kw: object) -> CallRecord:
    values: dict[str, object] = {
        "key": "k" * 32,
        "subject_id": "9" * 20,
        "kind": kind,
        "team_id": "T1",
        "user_id": "U" * 20,
        "channel_id": "C1",
        "message_channel": "C1",
        "message_ts": "1.2",
        "src": "1" * 15,
        "dsts": tuple(f"1416555{i:04d}" for i in range(participants)),
        "price_per_minute": Decimal("123.4567"),
        "state": "live",
        "status": "connected",
        "last_cost": Decimal("0"),
        "duration": 0,
        "final_cost": None,
        "created_at": NOW,
        "ended_at": None,
        "auto_hangup": None,
        "delivery_error": None,
    }
    values.update(kw)
    values["kind"] = DialKind(values["kind"])
    values["state"] = RecordState(values["state"])
    return CallRecord(**values)  # type: ignore[arg-type]


def conference(legs: int, status: CallStatus = CallStatus.CONNECTED) -> Conference:
    owner = Call(
        id="1",
        status=status,
        status_raw=status.value,
        src="1" * 15,
        dst="1" * 15,
        owner=True,
        start=NOW,
        duration=99999,
        total_costs=Decimal("9999.99999"),
    )
    others = tuple(
        Call(
            id=str(1000 + i),
            status=status,
            status_raw=status.value,
            src="1" * 15,
            dst=f"1416555{i:04d}",
            start=NOW + timedelta(seconds=i),
            duration=99999,
            total_costs=Decimal("9999.99999"),
        )
        for i in range(legs)
    )
    return Conference(
        id="9" * 20,
        status=status,
        status_raw=status.value,
        src="1" * 15,
        start=NOW,
        duration=99999,
        total_costs=Decimal("99999.99999"),
        legs=(owner, *others),
    )


@pytest.mark.parametrize("legs", [1, Policy().max_participants, MAX_LEG_BLOCKS, 200])
@pytest.mark.parametrize("status", [CallStatus.CONNECTED, CallStatus.DISCONNECTED])
def test_conference_message_within_limits(legs: int, status: CallStatus) -> None:
    state = conference(legs, status)
    live = record(participants=legs, auto_hangup="x" * 500)
    rendered = render_call_message(live, state, DISPLAY, NOW)
    check_message(rendered.text, rendered.blocks)
    if legs > MAX_LEG_BLOCKS:
        assert any("more participants" in t for t in block_texts(rendered.blocks))


def test_call_message_states_within_limits() -> None:
    call = Call(id="5", status=CallStatus.UNKNOWN, status_raw="w" * 500, src="1" * 15, dst="2" * 15)
    for kind_record in (
        record("call"),
        record("call", state="unknown", subject_id=None),
        record("call", state="not_placed", auto_hangup="no credit"),
        record("call", state="ended", final_cost=Decimal("1.5")),
    ):
        for state in (None, call):
            rendered = render_call_message(kind_record, state, DISPLAY, NOW)
            check_message(rendered.text, rendered.blocks)


def test_replies_within_limits() -> None:
    pricing = Pricing(
        Decimal("1.0"),
        tuple(PricedNumber(f"1416555{i:04d}", i % 2 == 0, Decimal("0.1")) for i in range(50)),
    )
    text, blocks = price_blocks(pricing, "USD", ["x" * 400] * 50)
    check_message(text, blocks)
    participants = tuple("1" * 15 for _ in range(Policy().max_participants))
    plan = DialPlan(DialKind.CONFERENCE, "1" * 15, participants, Decimal("9.99"), Decimal("9.99"))
    pending = PendingDial("p" * 32, Requester("T1", "U1", "C1"), plan, PendingState.PENDING, NOW)
    text, blocks = confirm_blocks(pending, Decimal("9.99"), Decimal("0.5"), DISPLAY)
    check_message(text, blocks)
    many = [record(participants=20) for _ in range(100)]
    many = [record(key=f"{i:032d}", participants=20) for i, _ in enumerate(many)]
    text, blocks = hangup_list_blocks(many, DISPLAY)
    check_message(text, blocks)
    text, blocks = hangup_list_blocks([], DISPLAY)
    check_message(text, blocks)


def test_views_within_limits() -> None:
    many = [record(key=f"{i:032d}", participants=20) for i in range(100)]
    check_view(
        home_view(
            saved_number="1" * 15,
            spent_today=Decimal("12345.678"),
            daily_cap=Decimal("10"),
            calls=many,
            display=DISPLAY,
        )
    )
    check_view(
        home_view(
            saved_number=None, spent_today=Decimal(0), daily_cap=None, calls=[], display=DISPLAY
        )
    )
    meta = {"channel": "C" * 20, "response_url": "https://hooks.slack.com/" + "x" * 200}
    check_view(conference_modal(saved_number="1" * 15, meta=meta))
    check_view(conference_modal(saved_number=None, meta=meta))
    check_view(add_participant_modal(meta={"key": "k" * 32, **meta}))
    check_view(set_number_modal(saved_number=None, meta={}))


def _text(blocks: list[dict[str, object]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_what_a_call_message_says_reads_as_people_expect() -> None:
    ringing = record("call", status="connecting")
    text = _text(render_call_message(ringing, None, DISPLAY, NOW).blocks)
    assert "Ringing +•••••••••••1111 first…" in text  # which phone, not "the caller"
    assert "Price, all legs" in text  # the sum of both legs, unlike /price's per number

    ended = record(
        "call", state="ended", status="disconnected", ended_at=NOW, final_cost=Decimal("1")
    )
    text = _text(render_call_message(ended, None, DISPLAY, NOW + timedelta(days=1)).blocks)
    epoch = int(NOW.timestamp())
    assert f"ended <!date^{epoch}^{{date_short_pretty}} at {{time}}|2026-01-01 12:00 UTC>" in text
    assert "updated" not in text  # a day later, "updated 12:00" would not say which day


def test_countries_are_named_as_people_read_them() -> None:
    assert [country_name(c) for c in ("CA", "DE", "GB")] == [
        "Canada",
        "Germany",
        "United Kingdom",
    ]
    assert country_name("+888") == "+888" and country_name("Unknown") == "Unknown"
