"""Conferences: owner and participant legs, add, disconnect, costs, rendering."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from talkety_core.simulator import ManualClock, Simulator

from .sim_helpers import Api, fields, money

OWNER = "4930123456"  # Germany (Berlin), 0.0119 / min
UK = "447700900123"  # United Kingdom mobile, 0.0390 / min
FR = "33612345678"  # France mobile, 0.0480 / min
US = "11234567890"  # USA, 0.0105 / min
CONFERENCE_ORDER = [
    "id",
    "conference_start",
    "conference_end",
    "conference_status",
    "conference_via",
    "dst",
    "dst_name",
    "src",
    "src_name",
    "duration",
    "total_costs",
    "calls",
]
LEG_ORDER = [
    "id",
    "call_start",
    "call_end",
    "call_status",
    "dst",
    "dst_name",
    "src",
    "src_name",
    "duration",
    "total_costs",
]


def legs(conference: ET.Element) -> list[ET.Element]:
    calls = conference.find("calls")
    assert calls is not None
    return calls.findall("call")


def statuses(conference: ET.Element) -> tuple[str, list[str]]:
    return (
        conference.findtext("conference_status") or "",
        [leg.findtext("call_status") or "" for leg in legs(conference)],
    )


async def test_conference_document(api: Api) -> None:
    conference_id = await api.conference(OWNER, UK, FR)
    assert conference_id == "263"
    doc = await api.conference_status(conference_id)
    assert doc.tag == "conference"
    assert [child.tag for child in doc] == CONFERENCE_ORDER
    top = fields(doc)
    assert top["conference_via"] == "api"
    assert (top["dst"], top["dst_name"]) == ("webconference", "webconference")
    assert (top["src"], top["src_name"]) == (OWNER, "Germany")
    assert top["conference_end"] == ""
    owner, uk, fr = legs(doc)
    assert owner.attrib == {"owner": "true"}
    assert uk.attrib == fr.attrib == {}
    for leg in (owner, uk, fr):
        assert [child.tag for child in leg] == LEG_ORDER
    assert (owner.findtext("src"), owner.findtext("dst")) == (OWNER, OWNER)
    assert [(leg.findtext("src"), leg.findtext("dst")) for leg in (uk, fr)] == [
        (OWNER, UK),
        (OWNER, FR),
    ]
    assert [leg.findtext("dst_name") for leg in (uk, fr)] == ["United Kingdom", "France"]
    assert [leg.findtext("id") for leg in (owner, uk, fr)] == ["148", "149", "150"]


async def test_participants_are_dialled_once_the_owner_is_connected(
    api: Api, clock: ManualClock
) -> None:
    conference_id = await api.conference(OWNER, UK)
    timeline = []
    for _ in range(7):  # t = 0..6
        timeline.append(statuses(await api.conference_status(conference_id)))
        clock.advance(1)
    assert timeline == [
        ("connecting", ["connecting", "connecting"]),
        ("connecting", ["connecting", "connecting"]),
        ("connected", ["connected", "ringing"]),
        ("connected", ["connected", "ringing"]),
        ("connected", ["connected", "ringing"]),
        ("connected", ["connected", "connected"]),
        ("connected", ["connected", "connected"]),
    ]


async def test_costs_per_leg_and_total(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference(OWNER, UK, FR)
    clock.advance(2 + 100)  # owner connected 100 s, participants 97 s
    doc = await api.conference_status(conference_id)
    owner, uk, fr = legs(doc)
    assert (owner.findtext("duration"), uk.findtext("duration")) == ("100", "97")
    assert money(owner.findtext("total_costs")) == Decimal("0.01983")  # 100 * 0.0119 / 60
    assert money(uk.findtext("total_costs")) == Decimal("0.06305")  # 97 * 0.0390 / 60
    assert money(fr.findtext("total_costs")) == Decimal("0.0776")  # 97 * 0.0480 / 60
    assert doc.findtext("duration") == "100"
    assert money(doc.findtext("total_costs")) == Decimal("0.16048")


async def test_conference_custom_data(api: Api) -> None:
    conference_id = await api.conference(OWNER, UK, custom_data="standup")
    doc = await api.conference_status(conference_id)
    assert [child.tag for child in doc][-2:] == ["custom_data", "calls"]
    assert doc.findtext("custom_data") == "standup"
    for leg in legs(doc):  # inside the conference the legs do not repeat it
        assert leg.find("custom_data") is None


async def test_legs_on_their_own_name_their_conference(api: Api) -> None:
    conference_id = await api.conference(OWNER, UK, custom_data="standup")
    owner = await api.status("148")
    leg = await api.status("149")
    assert list(leg) == [*LEG_ORDER[:4], "call_via", *LEG_ORDER[4:], "custom_data", "conference_id"]
    assert (leg["custom_data"], leg["conference_id"]) == ("standup", conference_id)
    assert owner["conference_id"] == conference_id
    answer = await api.get("call_status", {"call_id": "148"})
    assert answer.root.attrib == {"owner": "true"}
    plain = await api.conference(OWNER, FR)
    leg = await api.status("151")
    assert "custom_data" not in leg
    assert leg["conference_id"] == plain


async def test_call_list_includes_legs(api: Api) -> None:
    await api.connect(US, UK)
    await api.conference(OWNER, UK, FR)
    assert await api.list_ids() == ["151", "150", "149", "148"]
    assert await api.list_ids({"dst": UK}) == ["150", "148"]
    assert await api.list_ids({"src": OWNER}) == ["151", "150", "149"]


async def test_hanging_up_a_participant_leaves_the_conference(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference(OWNER, UK, FR)
    clock.advance(10)
    assert (await api.get("call_disconnect", {"call_id": "149"})).status == 200
    clock.advance(10)
    assert statuses(await api.conference_status(conference_id)) == (
        "connected",
        ["connected", "disconnected", "connected"],
    )
    await api.get("call_disconnect", {"call_id": "148"})  # the owner: ends the rest
    doc = await api.conference_status(conference_id)
    assert [(leg.findtext("call_end") or "")[-3:-1] for leg in legs(doc)] == ["20", "10", "20"]


async def test_hanging_up_the_owner_ends_the_conference(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference(OWNER, UK, FR)
    clock.advance(10)
    answer = await api.get("call_disconnect", {"call_id": "148"})
    assert answer.text("call_id") == "148"
    clock.advance(10)
    doc = await api.conference_status(conference_id)
    assert statuses(doc) == ("disconnected", ["disconnected"] * 3)
    assert doc.findtext("conference_end") == "2026-01-01T00:00:10Z"
    assert {leg.findtext("call_end") for leg in legs(doc)} == {"2026-01-01T00:00:10Z"}
    assert doc.findtext("duration") == "8"
    for action, params, code in [
        ("conference_disconnect", {"conference_id": conference_id}, 142),
        ("conference_add", [("conference_id", conference_id), ("dst[]", US)], 142),
        ("call_disconnect", {"call_id": "149"}, 142),
        ("call_disconnect", {"call_id": "148"}, 142),
    ]:
        answer = await api.get(action, params)
        assert (answer.status, answer.error_code) == (409, code)


async def test_conference_disconnect_ends_every_leg(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference(OWNER, UK, FR)
    clock.advance(3)
    answer = await api.get("conference_disconnect", {"conference_id": conference_id})
    assert answer.status == 200
    assert answer.root.tag == "success"
    assert answer.text("conference_id") == conference_id
    doc = await api.conference_status(conference_id)
    assert statuses(doc) == ("disconnected", ["disconnected"] * 3)
    owner, uk, fr = legs(doc)
    assert owner.findtext("duration") == "1"
    assert uk.findtext("duration") == fr.findtext("duration") == "0"  # were still ringing


async def test_conference_add(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference(OWNER, UK)
    clock.advance(10)
    answer = await api.get(
        "conference_add", [("conference_id", conference_id), ("dst[]", FR), ("dst[]", US)]
    )
    assert answer.status == 200
    assert answer.text("conference_id") == conference_id
    doc = await api.conference_status(conference_id)
    assert statuses(doc) == ("connected", ["connected", "connected", "ringing", "ringing"])
    assert [leg.findtext("dst") for leg in legs(doc)] == [OWNER, UK, FR, US]
    clock.advance(3)
    assert statuses(await api.conference_status(conference_id))[1][2:] == ["connected"] * 2


async def test_conference_add_while_the_owner_is_still_connecting(
    api: Api, clock: ManualClock
) -> None:
    conference_id = await api.conference(OWNER, UK)
    clock.advance(1)
    await api.get("conference_add", [("conference_id", conference_id), ("dst[]", FR)])
    assert statuses(await api.conference_status(conference_id))[1][2] == "connecting"
    clock.advance(1)
    assert statuses(await api.conference_status(conference_id))[1][2] == "ringing"
    clock.advance(3)
    assert statuses(await api.conference_status(conference_id))[1][2] == "connected"


async def test_owner_who_never_answers(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference("4930123486", UK)  # owner busy
    clock.advance(5)
    doc = await api.conference_status(conference_id)
    assert statuses(doc) == ("busy", ["busy", "disconnected"])
    assert doc.findtext("conference_end") == "2026-01-01T00:00:02Z"
    assert [leg.findtext("call_end") for leg in legs(doc)] == ["2026-01-01T00:00:02Z"] * 2
    assert doc.findtext("total_costs") == "0"


async def test_participant_outcomes(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference(OWNER, "447700900486", "447700900408", "33612345503")
    clock.advance(5)
    doc = await api.conference_status(conference_id)
    assert statuses(doc) == ("connected", ["connected", "busy", "no_answer", "failed"])
    assert {leg.findtext("call_end") for leg in legs(doc)[1:]} == {"2026-01-01T00:00:05Z"}


@pytest.mark.parametrize("action", ["conference_status", "conference_disconnect"])
async def test_unknown_conference_is_141(api: Api, action: str) -> None:
    answer = await api.get(action, {"conference_id": "999"})
    assert (answer.status, answer.error_code) == (404, 141)


async def test_conference_add_to_unknown_conference_is_141(api: Api) -> None:
    answer = await api.get("conference_add", [("conference_id", "999"), ("dst[]", UK)])
    assert (answer.status, answer.error_code) == (404, 141)


@pytest.mark.parametrize(
    ("action", "params", "code", "named"),
    [
        ("conference_status", {}, 120, "conference_id"),
        ("conference_status", {"conference_id": "x"}, 121, "conference_id"),
        ("conference_disconnect", {"conference_id": "-3"}, 121, "conference_id"),
        ("conference_add", {"dst[]": UK}, 120, "conference_id"),
        ("conference_add", {"conference_id": "263"}, 120, "dst[]"),
        ("conference_connect", {"dst[]": UK}, 120, "src"),
        ("conference_connect", {"src": OWNER}, 120, "dst[]"),
        ("conference_connect", {"src": OWNER, "dst": UK}, 120, "dst[]"),
    ],
)
async def test_conference_parameter_errors(
    api: Api, action: str, params: dict[str, str], code: int, named: str
) -> None:
    answer = await api.get(action, params)
    assert (answer.status, answer.error_code) == (400, code)
    assert named in answer.error_message


@pytest.mark.parametrize(
    ("src", "dsts", "status", "code"),
    [
        ("0301234567", [UK], 400, 130),
        (OWNER, [UK, "8765432100"], 400, 130),
        (OWNER, [UK, "8821234567"], 403, 131),
        ("8831234567", [UK], 403, 131),
    ],
)
async def test_conference_connect_number_errors(
    api: Api, sim: Simulator, src: str, dsts: list[str], status: int, code: int
) -> None:
    answer = await api.get("conference_connect", [("src", src), *(("dst[]", d) for d in dsts)])
    assert (answer.status, answer.error_code) == (status, code)
    assert sim.calls() == []  # nothing dialled, not even the valid numbers


async def test_conference_add_number_errors(api: Api, sim: Simulator) -> None:
    conference_id = await api.conference(OWNER, UK)
    for dst, code in [("123", 130), ("8821234567", 131)]:
        answer = await api.get(
            "conference_add", [("conference_id", conference_id), ("dst[]", FR), ("dst[]", dst)]
        )
        assert answer.error_code == code
    assert len(sim.calls()) == 2
