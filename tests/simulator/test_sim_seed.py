"""Every answer has the structure of the vendor's example documents (ids and values aside)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable

from talkety_core.documents import parse_body, read, read_conference
from talkety_core.simulator import ManualClock, Simulator

from .sim_helpers import SEED_DIR, Api, load_seed, shape


def test_seed_fixtures_are_verbatim() -> None:
    conference = (SEED_DIR / "conference.xml").read_text(encoding="utf-8")
    assert "<conference_start>2007-02-26T23:54:28Z</call_start>" in conference
    assert conference.count("...") == 2
    for name in ("call", "conference", "success", "error", "pricing", "pricing_flow"):
        text = (SEED_DIR / f"{name}.xml").read_text(encoding="utf-8")
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
        assert text.endswith(">\n")


async def test_call_status_matches_the_seed(api: Api, clock: ManualClock) -> None:
    call_id = await api.connect("11234567890", "19876543210")
    clock.advance(60)
    answer = await api.get("call_status", {"call_id": call_id})
    assert shape(answer.root) == shape(load_seed("call.xml"))


async def test_success_matches_the_seed(api: Api) -> None:
    answer = await api.get("call_connect", {"src": "11234567890", "dst": "19876543210"})
    assert shape(answer.root) == shape(load_seed("success.xml"))


async def test_error_matches_the_seed(api: Api) -> None:
    answer = await api.get("call_status", {"call_id": "1"})
    assert shape(answer.root) == shape(load_seed("error.xml"))


async def test_pricing_matches_the_seed(api: Api) -> None:
    numbers = ["11234567890", "19876543210", "0123456789", "8765432100"]
    answer = await api.get("pricing", [("number[]", n) for n in numbers])
    assert shape(answer.root) == shape(load_seed("pricing.xml"))
    assert ET.canonicalize(answer.body.decode()) == ET.canonicalize(
        (SEED_DIR / "pricing.xml").read_text()
    )


async def test_pricing_flow_matches_the_seed_exactly(api: Api) -> None:
    answer = await api.get("pricing", [("number[]", "11234567890"), ("number[]", "19876543210")])
    assert ET.canonicalize(answer.body.decode()) == ET.canonicalize(
        (SEED_DIR / "pricing_flow.xml").read_text()
    )


async def test_conference_matches_the_seed(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference("1234567890", "4930123456")
    clock.advance(60)
    ours = await api.conference_status(conference_id)
    seed = load_seed("conference.xml")
    ours_calls, seed_calls = ours.find("calls"), seed.find("calls")
    assert ours_calls is not None
    assert seed_calls is not None
    # Everything above <calls>, and the owner's leg, exactly; the seed elides the rest.
    assert [shape(c) for c in ours if c.tag != "calls"] == [
        shape(c) for c in seed if c.tag != "calls"
    ]
    assert [c.tag for c in ours] == [c.tag for c in seed]
    assert shape(ours_calls[0]) == shape(seed_calls[0])
    seed_second = [child.tag for child in seed_calls[1]]
    assert [child.tag for child in ours_calls[1]][: len(seed_second)] == seed_second
    assert ours_calls[1].attrib == seed_calls[1].attrib == {}


async def test_the_seed_walkthrough(make_api: Callable[[Simulator], Awaitable[Api]]) -> None:
    """pricing -> call_connect (148) -> call_status -> call_disconnect, as in the seed."""
    clock = ManualClock()
    api = await make_api(Simulator("user", "pass", "84f4097bb4955c6c58ba452ece41c075", clock=clock))
    pricing = await api.get("pricing", [("number[]", "11234567890"), ("number[]", "19876543210")])
    assert pricing.text("total_costs") == "0.0219"
    connect = await api.get("call_connect", {"src": "11234567890", "dst": "19876543210"})
    assert connect.text("call_id") == "148"
    clock.advance(5 + 210)  # 210 s * 0.0219 / 60 = 0.07665 (the seed's 0.07644 is ~209.4 s)
    status = await api.status("148")
    assert (status["call_status"], status["total_costs"]) == ("connected", "0.07665")
    disconnect = await api.get("call_disconnect", {"call_id": "148"})
    assert ET.canonicalize(disconnect.body.decode()) == ET.canonicalize(
        '<?xml version="1.0" encoding="UTF-8"?>\n<success>\n<call_id>148</call_id>\n</success>'
    )


async def test_lead_reader_accepts_our_conference(api: Api, clock: ManualClock) -> None:
    conference_id = await api.conference("4930123456", "447700900123", custom_data="x")
    clock.advance(10)
    answer = await api.get("conference_status", {"conference_id": conference_id})
    root, content = parse_body(answer.body)
    conference = read(root, content, "conference", read_conference)
    assert conference.owner_leg is not None
    assert conference.owner_leg.id == "148"
    assert conference.custom_data == "x"
    assert [leg.conference_id for leg in conference.legs] == [conference_id] * 2
