"""Reading a full call_list page (1,000 calls) into models, against its floor:
`xmltodict.parse` of the same bytes (the parser the product is built on).

The page comes from the simulator's own renderer, with dial tokens in every
call's custom_data as the client writes them. CPU time of this process, median
of alternating rounds. Goal: at most 1.3x the floor.

    .venv/bin/python -m bench.core_documents [--calls 1000] [--rounds 21]
"""

from __future__ import annotations

import argparse
import statistics
import xml.etree.ElementTree as ET

import xmltodict

from bench.measure import alternating, cpu_ms, paired_ratio, ratio_line, verdict
from talkety_core.dial_token import join_custom_data, new_token
from talkety_core.documents import parse_body, read, read_calls
from talkety_core.simulator import ManualClock, Simulator

GOAL = 1.3
REPEAT = 3  # parses per measurement


def call_list_page(calls: int) -> bytes:
    """The bytes of a call_list answer holding `calls` connected calls."""
    clock = ManualClock()
    sim = Simulator("bench", "bench", "bench", clock=clock, credit=None)
    for index in range(calls):
        sim.respond(
            credentials=("bench", "bench"),
            app_key="bench",
            action="call_connect",
            params={
                "src": ["11234567890"],
                "dst": [f"1987654{index:04d}"],
                "custom_data": [join_custom_data(new_token(), None)],
            },
        )
    clock.advance(30)
    answer = sim.respond(
        credentials=("bench", "bench"),
        app_key="bench",
        action="call_list",
        params={"limit": [str(calls)]},
    )
    return answer.body


def read_page(body: bytes) -> object:
    return read(*parse_body(body), "calls", read_calls)


def main(calls: int, rounds: int) -> None:
    body = call_list_page(calls)
    assert len(read_page(body)) == calls  # type: ignore[arg-type]
    taken = alternating(
        rounds,
        floor=lambda: cpu_ms(lambda: xmltodict.parse(body, disable_entities=True), REPEAT),
        ours=lambda: cpu_ms(lambda: read_page(body), REPEAT),
        etree=lambda: cpu_ms(lambda: ET.fromstring(body), REPEAT),
    )
    ours, floor = statistics.median(taken["ours"]), statistics.median(taken["floor"])
    above = (ours - floor) * 1000 / calls
    print(f"a call_list page of {calls} calls ({len(body) / 1024:.0f} KiB), CPU time")
    print(f"  medians of {rounds} rounds; per call above the parser: {above:.1f} us")
    print(f"  for scale: ElementTree.fromstring alone {statistics.median(taken['etree']):.2f} ms")
    print(ratio_line("  parse_body + read_calls", ours, floor, None, "ms"))
    ratio = paired_ratio(taken["ours"], taken["floor"])
    print(f"  median of the rounds' ratios: {ratio:.3f}x   {verdict(ratio, GOAL)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    main(args.calls, args.rounds)
