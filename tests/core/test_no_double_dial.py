"""At most one placement per dial, whatever fails around it (a stateful Hypothesis test).

Random sequences of dials (call_connect, conference_connect, conference_add) against
the real simulator, each under a random fault of the dialling request: dropped before
or after it took effect, a 5xx, an unreadable answer, or none. After every dial the
simulator must show at most one placement for it, exactly one when the client said
it succeeded (with the id the client returned), and the dialling request sent once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from talkety_core import TalketyCallOutcomeUnknownError, TalketyClient
from talkety_core.actions import Action
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

from .conftest import APP_KEY, PASSWORD, USERNAME

CALLER = "11234567890"
NUMBERS = st.sampled_from(["19876543210", "19876543211", "19876543212", "4930123456"])
FAULTS = st.sampled_from(["none", "drop_before", "drop_after", "server_error", "malformed"])


class DialsUnderFaults(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.clock = ManualClock(start=datetime.now(UTC).replace(microsecond=0))
        self.sim = Simulator(
            username=USERNAME,
            password=PASSWORD,
            app_key=APP_KEY,
            clock=self.clock,
            credit=Decimal("10000"),
        )
        self.server = SimulatorServer(self.sim, host="127.0.0.1", port=0)
        self._run(self.server.start())
        self.client = TalketyClient(
            APP_KEY,
            USERNAME,
            PASSWORD,
            base_url=self.server.base_url,
            timeout=5,
            backoff=0.0,
            reconcile_delays=(0.0,),
        )
        self.conferences: list[str] = []
        self.dials = 0

    def _run(self, coro: Awaitable[Any]) -> Any:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        self._run(self.client.close())
        self._run(self.server.stop())
        self.loop.close()

    def _inject(self, fault: str, action: Action) -> None:
        faults = self.sim.faults
        inject: dict[str, Callable[[], None]] = {
            "none": lambda: None,
            "drop_before": lambda: faults.drop_before_effect(action),
            "drop_after": lambda: faults.drop_after_effect(action),
            "server_error": lambda: faults.fail_next(action, status=503),
            "malformed": lambda: faults.malformed_next(action),
        }
        inject[fault]()

    def _dial(self, fault: str, action: Action, dial: Awaitable[str]) -> str | None:
        """The dial's id, or None when the client says the outcome is unknown."""
        sent = self.sim.requests_by_action[action]
        self._inject(fault, action)
        try:
            subject_id: str | None = self._run(dial)
        except TalketyCallOutcomeUnknownError:
            subject_id = None
        finally:
            self.sim.faults.clear()
        assert self.sim.requests_by_action[action] == sent + 1  # never resent
        self.dials += 1
        return subject_id

    def _legs(self) -> list[Any]:
        return [call for call in self.sim.calls() if call.conference_id is not None]

    @rule(fault=FAULTS, dst=NUMBERS)
    def call_connect(self, fault: str, dst: str) -> None:
        before = {call.id for call in self.sim.calls() if call.conference_id is None}
        call_id = self._dial(fault, Action.CALL_CONNECT, self.client.call_connect(CALLER, dst))
        new = [c for c in self.sim.calls() if c.conference_id is None and c.id not in before]
        assert len(new) <= 1
        if call_id is not None:
            assert [str(c.id) for c in new] == [call_id]
            assert new[0].dst == dst

    @rule(fault=FAULTS, participants=st.lists(NUMBERS, min_size=1, max_size=3, unique=True))
    def conference_connect(self, fault: str, participants: list[str]) -> None:
        before = {leg.conference_id for leg in self._legs()}
        conference_id = self._dial(
            fault,
            Action.CONFERENCE_CONNECT,
            self.client.conference_connect(CALLER, participants),
        )
        new = {leg.conference_id for leg in self._legs()} - before
        assert len(new) <= 1
        if conference_id is not None:
            assert {str(c) for c in new} == {conference_id}
            self.conferences.append(conference_id)

    @precondition(lambda self: bool(self.conferences))
    @rule(fault=FAULTS, dst=NUMBERS, data=st.data())
    def conference_add(self, fault: str, dst: str, data: st.DataObject) -> None:
        conference_id = data.draw(st.sampled_from(self.conferences))
        before = [leg for leg in self._legs() if str(leg.conference_id) == conference_id]
        added = self._dial(
            fault, Action.CONFERENCE_ADD, self.client.conference_add(conference_id, [dst])
        )
        after = [leg for leg in self._legs() if str(leg.conference_id) == conference_id]
        assert len(after) - len(before) <= 1
        if added is not None:
            assert added == conference_id
            assert len(after) - len(before) == 1

    @rule(seconds=st.integers(min_value=0, max_value=40))
    def time_passes(self, seconds: int) -> None:
        self.clock.advance(seconds)

    @invariant()
    def never_more_placements_than_dials(self) -> None:
        placements = [call for call in self.sim.calls() if call.conference_id is None]
        placements += [leg for leg in self._legs() if leg.owner]
        assert len(placements) <= self.dials


DialsUnderFaults.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_at_most_one_placement_per_dial = DialsUnderFaults.TestCase
