"""Channel budgets: `/call budget` (admins), the standing in each status message posted
there, a call hung up when the budget runs out mid-call, new calls refused after."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from slack_app.errors import UserError
from slack_app.policy import Policy
from slack_app.service.budgets import read_budget
from slack_app.store import AuditAction, Store

from .conftest import DST, SAVED, Harness, stored_call, text_of

ADMIN = Policy(admins=frozenset({"U9"}))


async def test_a_budget_shows_in_status_messages_and_ends_a_call_that_runs_it_out(
    harness: Harness,
) -> None:
    await harness.start(policy=ADMIN)
    await harness.command("/call", "budget 0.04", user="U9")
    await harness.wait_for_reply("<#C1> may spend $0.04 a month on calls ($0.00 so far")

    await harness.command("/call", f"{SAVED} {DST}")  # 0.0219/min: 0.04 after 110 s
    message = await harness.wait_for_message()
    await harness.wait_for(lambda: "of its $0.04 this month" in text_of(message), "standing")
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "connected")
    for _ in range(14):  # ten seconds at a time, each seen by the guard
        harness.clock.advance(10)
        await asyncio.sleep(0.15)
    await harness.wait_for(lambda: "has ended" in text_of(message), "hung up")
    final = text_of(message)
    assert "Hung up automatically: <#C1> reached its monthly budget ($0.04)" in final
    (call,) = harness.sim.calls()
    assert Decimal("0.04") <= call.total_costs <= Decimal("0.045")  # at most a tick past it

    # Spent: refused here, before anything is dialled; another channel is not affected.
    await harness.command("/call", f"{SAVED} {DST}")
    said = await harness.wait_for_reply("this month, its budget of $0.04. It resets on the 1st")
    assert "<#C1> has spent $0.04" in said
    assert harness.sim.requests_by_action["call_connect"] == 1
    await harness.command("/call", f"{SAVED} {DST}", channel="C2")
    await harness.wait_for_message("C2")
    assert harness.sim.requests_by_action["call_connect"] == 2


async def test_admins_set_list_and_remove_budgets_audited(harness: Harness) -> None:
    await harness.start(policy=ADMIN)
    await harness.command("/call", "budget", user="U9")
    await harness.wait_for_reply("No channel has a budget")
    await harness.command("/call", "budget <#C7|support> 200", user="U9")
    await harness.wait_for_reply("<#C7> may spend $200.00 a month")
    await harness.command("/call", "budget", user="U9")
    await harness.wait_for_reply("• <#C7>: $0.00 of $200.00")
    await harness.command("/call", "budget <#C7> off", user="U9")
    await harness.wait_for_reply("<#C7> has no budget any more")
    await harness.command("/call", "budget 5")  # not an admin
    await harness.wait_for_reply("Channel budgets are set by the app's admins")
    audit = await harness.main.app.store.audit.latest()
    set_and_removed = [
        json.loads(str(a["detail"])) for a in audit if a["action"] == AuditAction.BUDGET
    ]
    assert set_and_removed[::-1] == [
        {"channel": "C7", "monthly": "200"},
        {"channel": "C7", "monthly": None},
    ]


async def test_a_budget_counts_this_month_only(store: Store) -> None:
    first = datetime(2026, 12, 1, tzinfo=UTC)
    old = await stored_call(store, first - timedelta(hours=1))
    await store.calls.set_placed(old.key, "id-old")
    await store.calls.finish(
        old.key, status="disconnected", cost=Decimal("5"), duration=60, now=first - timedelta(1)
    )
    new = await stored_call(store, first + timedelta(hours=1))
    await store.calls.set_placed(new.key, "id-new")
    await store.calls.record_progress([(new.key, "connected", Decimal("0.25"), 60)])
    assert await store.history.spend_in_channel("T1", "C1", first) == Decimal("0.25")
    assert await store.history.spend_in_channel("T1", "C2", first) == 0


def test_budgets_read_as_admins_type_them() -> None:
    assert read_budget("", "C1") is None
    assert read_budget("200", "C1") == ("C1", Decimal("200"))
    assert read_budget("<#C7|support> $1,500.50", "C1") == ("C7", Decimal("1500.50"))
    assert read_budget("<#G7> off", "C1") == ("G7", None)
    for wrong, why in [
        ("#support 200", "# suggestions"),
        ("lots", "/call budget"),
        ("0", "above 0"),
        ("-5", "above 0"),
        ("NaN", "above 0"),
        ("1e999999", "above 0"),
    ]:
        with pytest.raises(UserError, match=why):
            read_budget(wrong, "C1")
