"""Reading documents: the seed's samples exactly as printed, and nothing but
TalketyParseError for anything broken."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talkety_core import Call, CallStatus, Conference, TalketyParseError
from talkety_core import documents as docs
from talkety_core.dial_token import join_custom_data, new_token, split_custom_data

from .mutations import read_every_way
from .seed import seed


def test_seed_call() -> None:
    call = docs.read(*docs.parse_body(seed("call.xml")), "call", docs.read_call)
    assert call.id == "148"
    assert call.start == datetime(2007, 2, 26, 23, 54, 28, tzinfo=UTC)
    assert call.end is None
    assert call.status is CallStatus.CONNECTED
    assert call.via == "api"
    assert (call.src, call.src_name, call.dst, call.dst_name) == (
        "1234567890",
        "USA",
        "9876543210",
        "USA",
    )
    assert call.duration == 2706
    assert call.total_costs == Decimal("1.94022")
    assert call.custom_data is None
    assert call.is_active


def test_seed_conference_with_its_mismatched_closing_tags() -> None:
    body = seed("conference.xml")
    assert b"<conference_start>2007-02-26T23:54:28Z</call_start>" in body  # as printed
    conference = docs.read(*docs.parse_body(body), "conference", docs.read_conference)
    assert conference.id == "263"
    assert conference.start == datetime(2007, 2, 26, 23, 54, 28, tzinfo=UTC)
    assert conference.end is None
    assert conference.status is CallStatus.CONNECTED
    assert conference.dst == "webconference"
    assert conference.total_costs == Decimal("1.94022")
    owner = conference.owner_leg
    assert owner is not None
    assert (owner.id, owner.duration, owner.total_costs) == ("149", 2705, Decimal("0.4869"))
    assert owner.conference_id == "263"
    # The sample's second leg is elided ("..."): read as far as printed.
    assert [leg.id for leg in conference.legs] == ["149", "150"]
    assert conference.legs[1].status is CallStatus.UNKNOWN


def test_seed_success_error_and_pricing() -> None:
    assert docs.read_success(docs.parse_body(seed("success.xml"))[1], "call_id") == "13212"
    root, content = docs.parse_body(seed("error.xml"))
    assert root == "error"
    assert docs.read_error(content) == (123, "The error message here")
    pricing = docs.read(*docs.parse_body(seed("pricing.xml")), "pricing", docs.read_pricing)
    assert pricing.total_costs == Decimal("0.0219")
    assert [(n.number, n.valid, n.cost) for n in pricing.numbers] == [
        ("11234567890", True, Decimal("0.0105")),
        ("19876543210", True, Decimal("0.0114")),
        ("0123456789", False, None),
        ("8765432100", False, None),
    ]
    assert pricing.invalid_numbers == ("0123456789", "8765432100")
    assert not pricing.all_valid
    assert pricing.cost_of("19876543210") == Decimal("0.0114")
    assert pricing.cost_of("0123456789") is None


def test_lists_are_lists_whatever_their_length() -> None:
    assert docs.read_calls(docs.parse_body(b"<calls></calls>")[1]) == []
    one = b"<calls><call><id>1</id><call_status>ringing</call_status></call></calls>"
    (call,) = docs.read_calls(docs.parse_body(one)[1])
    assert call.status is CallStatus.RINGING
    assert docs.read_numbers(docs.parse_body(b"<numbers/>")[1]) == []


def test_unknown_status_is_tolerated_and_kept() -> None:
    body = b"<call><id>7</id><call_status>on_hold</call_status><call_end></call_end></call>"
    call = docs.read(*docs.parse_body(body), "call", docs.read_call)
    assert call.status is CallStatus.UNKNOWN
    assert call.status_raw == "on_hold"
    assert call.is_active  # no end time yet, so it still counts
    ended = body.replace(b"<call_end></call_end>", b"<call_end>2026-01-01T00:00:00Z</call_end>")
    assert not docs.read(*docs.parse_body(ended), "call", docs.read_call).is_active


def test_pricing_without_total_sums_the_valid_numbers() -> None:
    body = (
        b'<pricing><numbers><number cost="0.01" valid="true">1</number>'
        b'<number cost="0.02" valid="true">2</number><number valid="false">3</number>'
        b"</numbers></pricing>"
    )
    assert docs.read_pricing(docs.parse_body(body)[1]).total_costs == Decimal("0.03")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml",
        b"<call><id>1</id>",  # truncated
        b"<call><id>1</idx></call>",  # mismatched, but not the vendor's slip
        b"<conference><conference_start>x</call_end></conference>",  # slip with wrong partner
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><call>&a;</call>',
        b"<a/><b/>",
    ],
)
def test_broken_xml_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(TalketyParseError):
        docs.parse_body(body)


@pytest.mark.parametrize(
    ("body", "expected", "reader"),
    [
        (b"<success><call_id>1</call_id></success>", "call", docs.read_call),
        (b"<call>just text</call>", "call", docs.read_call),
        (b"<call><call_status>x</call_status></call>", "call", docs.read_call),  # no id
        (b"<call><id>1</id><duration>soon</duration></call>", "call", docs.read_call),
        (b"<call><id>1</id><total_costs>NaN</total_costs></call>", "call", docs.read_call),
        (b"<call><id>1</id><call_start>yesterday</call_start></call>", "call", docs.read_call),
        (b"<call><id><x>1</x></id></call>", "call", docs.read_call),
        (b"<success></success>", "success", lambda c: docs.read_success(c, "call_id")),
    ],
)
def test_unreadable_documents_are_parse_errors(body: bytes, expected: str, reader: object) -> None:
    with pytest.raises(TalketyParseError):
        docs.read(*docs.parse_body(body), expected, reader)  # type: ignore[arg-type]


def test_oversized_body_is_refused_before_parsing() -> None:
    with pytest.raises(TalketyParseError, match="larger than"):
        docs.parse_body(b"<calls>" + b" " * docs.MAX_BODY_BYTES + b"</calls>")


def test_naive_timestamps_are_read_as_utc() -> None:
    body = b"<call><id>1</id><call_start>2026-03-01T10:00:00</call_start></call>"
    assert docs.read_call(docs.parse_body(body)[1]).start == datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_error_document_without_code() -> None:
    assert docs.read_error(docs.parse_body(b"<error><message>m</message></error>")[1]) == (
        None,
        "m",
    )
    assert docs.read_error("plain") == (None, "plain")


@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_ever_raise_parse_error(body: bytes) -> None:
    read_every_way(body)


_tag = st.sampled_from(
    [
        "call",
        "calls",
        "conference",
        "pricing",
        "numbers",
        "id",
        "call_status",
        "total_costs",
        "duration",
        "call_start",
        "number",
        "legs",
    ]
)


@st.composite
def xmlish(draw: st.DrawFn) -> bytes:
    """Documents shaped like Talkety's, with random text and nesting."""

    def element(depth: int) -> str:
        tag = draw(_tag)
        if depth > 2 or draw(st.booleans()):
            text = draw(st.text(alphabet="0123456789.-:TZabc ", max_size=12))
            return f"<{tag}>{text}</{tag}>"
        children = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3))))
        attrs = ' valid="true" cost="0.1"' if tag == "number" else ""
        return f"<{tag}{attrs}>{children}</{tag}>"

    return element(0).encode()


@given(xmlish())
def test_well_formed_but_odd_documents_only_ever_raise_parse_error(body: bytes) -> None:
    read_every_way(body)


@given(st.one_of(st.none(), st.text()))
def test_dial_token_round_trip(custom_data: str | None) -> None:
    token = new_token()
    assert split_custom_data(join_custom_data(token, custom_data)) == (custom_data, token)


@pytest.mark.parametrize(
    "value", [None, "", "hello", "tky1:short", "tky1:" + "g" * 32, "tky1:" + "a" * 32 + "x"]
)
def test_untagged_custom_data_passes_through(value: str | None) -> None:
    assert split_custom_data(value) == (value, None)


def test_calls_and_conferences_declare_their_shared_fields_in_the_same_order() -> None:
    """documents builds both from one positional tuple: a reordered model would swap
    values of the same type (src and dst, say) without any type error."""
    shared = [
        "id",
        "status",
        "status_raw",
        "src",
        "dst",
        "start",
        "end",
        "via",
        "src_name",
        "dst_name",
        "duration",
        "total_costs",
        "custom_data",
    ]
    assert [f.name for f in dataclasses.fields(Call)][: len(shared)] == shared
    assert [f.name for f in dataclasses.fields(Conference)][: len(shared)] == shared


def test_a_call_read_equals_the_one_its_constructor_builds() -> None:
    """read_call sets the slots itself (faster than the frozen __init__): every
    field must be set, to its own value, and the result must be an ordinary Call."""
    body = (
        b'<call owner="true"><id>9</id><call_status>connected</call_status>'
        b"<src>1</src><src_name>USA</src_name><dst>2</dst><dst_name>France</dst_name>"
        b"<call_start>2026-03-01T10:00:00Z</call_start><call_end>2026-03-01T10:01:00Z</call_end>"
        b"<call_via>api</call_via><duration>60</duration><total_costs>0.25</total_costs>"
        b"<custom_data>mine</custom_data><conference_id>4</conference_id></call>"
    )
    call = docs.read_call(docs.parse_body(body)[1])
    assert type(call) is Call
    assert call == Call(
        id="9",
        status=CallStatus.CONNECTED,
        status_raw="connected",
        src="1",
        dst="2",
        start=datetime(2026, 3, 1, 10, tzinfo=UTC),
        end=datetime(2026, 3, 1, 10, 1, tzinfo=UTC),
        via="api",
        src_name="USA",
        dst_name="France",
        duration=60,
        total_costs=Decimal("0.25"),
        custom_data="mine",
        owner=True,
        conference_id="4",
    )
    assert dataclasses.replace(call) == call  # replace() reads every field back
    assert hash(call) == hash(dataclasses.replace(call))
    with pytest.raises(dataclasses.FrozenInstanceError):
        call.src = "3"  # type: ignore[misc]


def test_attribute_values_are_read_like_text_whatever_their_spacing() -> None:
    """xmltodict strips element text, not attributes: " true " is still a yes."""
    pricing = docs.read_pricing(
        docs.parse_body(
            b'<pricing><numbers><number valid=" true " cost=" 0.01 ">1</number>'
            b'<number valid="">2</number></numbers></pricing>'
        )[1]
    )
    assert [(n.valid, n.cost) for n in pricing.numbers] == [(True, Decimal("0.01")), (False, None)]
    leg = docs.read_call(docs.parse_body(b'<call owner=" true "><id> 7 </id></call>')[1])
    assert (leg.owner, leg.id) == (True, "7")
