"""The `talkety` command, run in-process against a real simulator on 127.0.0.1.

main() runs its own event loop (asyncio.run), so the simulator serves from a
thread with a loop of its own, and these tests are synchronous. Its clock is
a ManualClock that the watch loop's sleep moves forward: watching is
deterministic and takes no real time.
"""

from __future__ import annotations

import asyncio
import functools
import io
import json
import os
import signal
import subprocess
import sys
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from talkety_core import Call, CallStatus, TalketyClient
from talkety_core import account as account_module
from talkety_core.account import Account
from talkety_core.cli import formatting as cli_format
from talkety_core.cli import front_ends, main
from talkety_core.cli import parser as cli_parser
from talkety_core.cli import watch as cli_watch
from talkety_core.cli.front_ends import CoreOptions
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

USERNAME = "alice"
PASSWORD = "s3cret-Passw0rd"
APP_KEY = "84f4097bb4955c6c58ba452ece41c075"
SRC, DST = "11234567890", "19876543210"
BUSY = "19876543486"  # the simulator's busy line
REPO = Path(__file__).resolve().parents[2]
_SIM_LOGIN = ("--username", "u", "--password", "p", "--app-key", "k")


@dataclass
class LiveSimulator:
    sim: Simulator
    clock: ManualClock
    base_url: str

    def api(self, action: str, **params: str) -> int:
        """Act on the simulator directly (as another client would); returns the HTTP status."""
        reply = self.sim.respond(
            credentials=(USERNAME, PASSWORD),
            app_key=APP_KEY,
            action=action,
            params={k: [v] for k, v in params.items()},
        )
        return reply.status

    def call(self, call_id: str) -> Any:
        return next(c for c in self.sim.calls() if str(c.id) == call_id)


@pytest.fixture
def live() -> Iterator[LiveSimulator]:
    clock = ManualClock(start=datetime.now(UTC).replace(microsecond=0))
    sim = Simulator(USERNAME, PASSWORD, APP_KEY, clock=clock, credit=Decimal("50"))
    server = SimulatorServer(sim, host="127.0.0.1", port=0)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)
    try:
        yield LiveSimulator(sim, clock, server.base_url)
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("URL", "APP_KEY", "USERNAME", "PASSWORD", "CURRENCY", "REGION"):
        monkeypatch.delenv(f"TALKETY_{name}", raising=False)


@pytest.fixture
def account(live: LiveSimulator, monkeypatch: pytest.MonkeyPatch) -> LiveSimulator:
    """The simulator's account configured the way users do: environment variables."""
    monkeypatch.setenv("TALKETY_URL", live.base_url)
    monkeypatch.setenv("TALKETY_APP_KEY", APP_KEY)
    monkeypatch.setenv("TALKETY_USERNAME", USERNAME)
    monkeypatch.setenv("TALKETY_PASSWORD", PASSWORD)
    return live


Tick = Callable[[int], None]


@pytest.fixture
def ticks(live: LiveSimulator, monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[int]]:
    """Make each watch interval move the simulator's clock instead of waiting.

    `ticks(seconds, on_tick)` installs it; on_tick(n) runs at the n-th sleep.
    """
    slept: list[int] = []

    def install(seconds: float = 1.0, on_tick: Tick | None = None) -> list[int]:
        async def fake_sleep(_interval: float) -> None:
            slept.append(len(slept) + 1)
            if on_tick is not None:
                on_tick(len(slept))
            live.clock.advance(seconds)

        monkeypatch.setattr(cli_watch, "sleep", fake_sleep)
        return slept

    return install


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dial(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, _ = run(capsys, "--json", *argv)
    assert code == 0
    document = json.loads(out.splitlines()[0])
    return str(document.get("call_id") or document["conference_id"])


# --- price and format -------------------------------------------------------------


def test_price_shows_each_number_and_total(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "price", "+1 (123) 456-7890", DST)
    assert (code, err) == (0, "")
    assert "+1 (123) 456-7890  11234567890  0.0105 USD/min" in out
    assert "0.0114 USD/min" in out
    assert out.splitlines()[-1].split() == ["total", "0.0219", "USD/min"]


def test_price_json_has_decimals_as_strings_and_the_currency(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--currency", "eur", "price", SRC, "+86 10 1234 5678", "--json")
    assert code == 0
    assert json.loads(out) == {
        "currency": "EUR",
        "total_costs": "0.0105",
        "numbers": [
            {"number": SRC, "valid": True, "cost": "0.0105"},
            {"number": "861012345678", "valid": False, "cost": None},
        ],
    }


def test_price_says_which_number_is_not_dialable(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "price", "+86 10 1234 5678")
    assert code == 0
    assert "861012345678  not dialable" in out


def test_region_reads_national_numbers(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALKETY_REGION", "DE")
    code, out, _ = run(capsys, "price", "030 1234567")
    assert code == 0
    assert "49301234567  0.0119 USD/min" in out
    code, out, _ = run(capsys, "--region", "US", "price", "(123) 456-7890")
    assert "11234567890" in out


def test_format_shows_talketys_spelling_and_ours(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "format", "+1 (123) 456-7890", "030 1234567")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["INPUT", "TALKETY", "DIALS", "VALID", "THIS", "TOOL", "DIALS"]
    assert lines[1].split()[-3:] == ["11234567890", "yes", "11234567890"]
    # No region: ours refuses, Talkety reads it in its account's country; the row says
    # no more than that, a note below says why.
    assert lines[2].split()[-3:] == ["1301234567", "yes", "-"]
    assert lines[3].startswith("note: 030 1234567: this tool cannot read it: ")
    assert "national number" in lines[3]


def test_format_notes_where_talkety_and_this_tool_disagree() -> None:
    results = [cli_format.FormatResult("030 1234567", "1301234567", True, "49301234567", None)]
    assert cli_format.format_text(results).splitlines()[-1] == (
        "note: 030 1234567: Talkety dials 1301234567 (its account's country), "
        "this tool 49301234567 (--region)"
    )


def test_sim_with_a_region_is_an_account_in_that_country(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--sim", "--region", "DE", "format", "030 1234567")
    assert code == 0
    assert out.splitlines()[1].split() == ["030", "1234567", "49301234567", "yes", "49301234567"]
    assert "note:" not in out


def test_running_costs_keep_the_apis_five_decimals() -> None:
    assert cli_format.cost(Decimal("0.0146"), "USD") == "0.01460 USD"
    assert cli_format.cost(Decimal("0"), "USD") == "0.00000 USD"
    assert cli_format.cost(Decimal("0.02227"), "USD") == "0.02227 USD"
    assert cli_format.cost(Decimal("0.123456"), "USD") == "0.123456 USD"  # never rounded
    assert cli_format.cost(Decimal("1E+30"), "USD") == f"{format(Decimal('1E+30'), 'f')} USD"


def test_format_json(account: LiveSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json", "--region", "DE", "format", "030 1234567")
    assert code == 0
    (result,) = json.loads(out)["numbers"]
    assert result["input"] == "030 1234567"
    assert result["local"] == "49301234567"
    assert result["local_error"] is None
    assert set(result) == {"input", "number", "valid", "local", "local_error"}


# --- dialling, status, list, hangup -------------------------------------------------


def test_call_dials_and_status_shows_it(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "call", "+1 123 456 7890", DST, "--custom-data", "ticket 42")
    assert (code, err) == (0, "")
    assert out == f"Call 148: dialling {SRC}, then {DST}\n"
    account.clock.advance(10)
    code, out, _ = run(capsys, "status", "148")
    assert code == 0
    assert out.splitlines()[0] == "Call 148: connected"
    assert f"from   {SRC} (USA)" in out
    assert "time   0:00:05" in out
    assert "cost   0.00183 USD" in out  # 5 s at 0.0219/min, rounded to 5 places
    assert "data   ticket 42" in out


def test_status_json_has_iso_z_times_and_string_money(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    call_id = dial(capsys, "call", SRC, DST)
    account.clock.advance(65)
    code, out, _ = run(capsys, "status", call_id, "--json")
    assert code == 0
    document = json.loads(out)
    assert document["currency"] == "USD"
    call = document["call"]
    assert call["id"] == call_id
    assert call["status"] == "connected"
    assert call["start"].endswith("Z")
    assert call["end"] is None
    assert call["duration"] == 60
    assert call["total_costs"] == "0.0219"
    assert datetime.fromisoformat(call["start"].replace("Z", "+00:00")).tzinfo is not None


def test_conference_add_status_and_hangup(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "conf", SRC, DST)
    assert code == 0
    assert out == f"Conference 263: dialling {SRC}, then {DST}\n"
    account.clock.advance(4)
    code, out, _ = run(capsys, "add", "263", "+1 123 456 7891")
    assert (code, out) == (0, "Conference 263: dialling 11234567891\n")
    account.clock.advance(10)
    code, out, _ = run(capsys, "status", "263", "--conference")
    assert code == 0
    assert out.splitlines()[0] == "Conference 263: connected"
    assert "LEG" in out and "11234567891" in out and " *" in out  # the owner's leg
    code, out, _ = run(capsys, "hangup", "263", "--conference")
    assert (code, out) == (0, "Hung up conference 263.\n")
    code, out, _ = run(capsys, "status", "263", "--conference", "--json")
    document = json.loads(out)
    assert document["conference"]["status"] == "disconnected"
    assert len(document["conference"]["legs"]) == 3


def test_hangup_of_an_ended_call_is_not_an_error(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    call_id = dial(capsys, "call", SRC, DST)
    assert run(capsys, "hangup", call_id) == (0, f"Hung up call {call_id}.\n", "")
    assert run(capsys, "hangup", call_id) == (0, f"Call {call_id} had already ended.\n", "")
    _, out, _ = run(capsys, "--json", "hangup", call_id)
    assert json.loads(out) == {"call_id": call_id, "already_ended": True}


def test_list_filters_and_json(account: LiveSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    first = dial(capsys, "call", SRC, DST)
    account.clock.advance(1)
    second = dial(capsys, "call", DST, SRC)
    run(capsys, "hangup", first)
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "STATUS", "FROM"]
    assert [line.split()[0] for line in lines[1:]] == [second, first]  # newest first
    code, out, _ = run(capsys, "list", "--status", "disconnected", "--json")
    document = json.loads(out)
    assert [c["id"] for c in document["calls"]] == [first]
    code, out, _ = run(capsys, "list", "--src", "+1 987 654 3210", "--limit", "5")
    assert [line.split()[0] for line in out.splitlines()[1:]] == [second]
    code, out, _ = run(capsys, "list", "--since", "2000-01-01T00:00:00Z", "--offset", "1")
    assert [line.split()[0] for line in out.splitlines()[1:]] == [first]


def test_list_says_when_there_are_no_calls(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "list") == (0, "No calls.\n", "")


# --- watching -----------------------------------------------------------------------


def test_watch_follows_a_call_to_its_end_with_one_line_per_change(
    account: LiveSimulator,
    capsys: pytest.CaptureFixture[str],
    ticks: Callable[..., list[int]],
) -> None:
    account.sim.credit = Decimal("0.01")  # the call ends when the money does
    slept = ticks(seconds=1)
    call_id = dial(capsys, "call", SRC, DST)
    code, out, err = run(capsys, "watch", call_id, "--interval", "0.5")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"Call {call_id} ({SRC} -> {DST}): connecting, 0:00:00, 0.00000 USD"
    assert any(": ringing," in line for line in lines)
    assert any(": connected, 0:00:05, " in line for line in lines)
    final = account.call(call_id)
    assert lines[-1] == (
        f"Call {call_id} ended: disconnected after 0:00:{final.duration:02d}, "
        f"total {final.total_costs} USD"
    )
    assert final.total_costs > 0
    assert len(lines) == len(set(lines))  # nothing printed twice
    assert len(slept) >= 30  # 5 s to answer, then 0.01 lasts 28 s


def test_call_watch_on_a_terminal_redraws_one_line(
    account: LiveSimulator,
    capsys: pytest.CaptureFixture[str],
    ticks: Callable[..., list[int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    ticks(seconds=2)
    assert main(["call", SRC, BUSY, "--watch"]) == 0
    text = terminal.getvalue()
    assert text.startswith(f"Call 148: dialling {SRC}, then {BUSY}\n\r\x1b[2KCall 148 (")
    assert "\r\x1b[2KCall 148 (" in text and ": ringing, " in text
    assert text.endswith("\nCall 148 ended: busy after 0:00:00, total 0.00000 USD\n")
    assert text.count("\n") == 3  # dialled, the live line, the summary


def test_watch_json_prints_one_event_per_line(
    account: LiveSimulator,
    capsys: pytest.CaptureFixture[str],
    ticks: Callable[..., list[int]],
) -> None:
    ticks(seconds=2)
    code, out, _ = run(capsys, "--json", "call", SRC, BUSY, "--watch", "--currency", "CHF")
    assert code == 0
    documents = [json.loads(line) for line in out.splitlines()]
    assert documents[0] == {"call_id": "148"}
    events = [d["event"] for d in documents[1:]]
    assert events[0] == "started"
    assert events[-2:] == ["status_changed", "ended"]
    assert documents[-1]["call"]["status"] == "busy"
    assert documents[-1]["currency"] == "CHF"


def test_conference_watch_until_it_is_hung_up(
    account: LiveSimulator,
    capsys: pytest.CaptureFixture[str],
    ticks: Callable[..., list[int]],
) -> None:
    def hang_up_at_tick_8(tick: int) -> None:
        if tick == 8:
            assert account.api("conference_disconnect", conference_id="263") == 200

    ticks(seconds=2, on_tick=hang_up_at_tick_8)
    code, out, err = run(capsys, "conf", SRC, DST, "11234567891", "--watch")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1].startswith("Conference 263 (")
    assert any("3 legs, 3 active): connected" in line for line in lines)
    assert lines[-1].startswith("Conference 263 ended: disconnected after 0:00:")
    assert lines[-1].endswith(" USD") and "total 0.00000 USD" not in lines[-1]


def test_ctrl_c_stops_watching_but_not_the_call(
    account: LiveSimulator,
    capsys: pytest.CaptureFixture[str],
    ticks: Callable[..., list[int]],
) -> None:
    def interrupt_at_tick_4(tick: int) -> None:
        if tick == 4:
            raise KeyboardInterrupt

    ticks(seconds=2, on_tick=interrupt_at_tick_4)
    call_id = dial(capsys, "call", SRC, DST)
    code, out, err = run(capsys, "watch", call_id)
    assert code == 130
    assert err == (
        f"Stopped watching call {call_id}; the call goes on; "
        f"hang up with: talkety hangup {call_id}\n"
    )
    assert "ended" not in out
    assert account.call(call_id).status == "connected"


def test_api_failure_while_watching_says_the_call_goes_on(
    account: LiveSimulator,
    capsys: pytest.CaptureFixture[str],
    ticks: Callable[..., list[int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        account_module, "TalketyClient", functools.partial(TalketyClient, retries=0)
    )

    def fail_at_tick_2(tick: int) -> None:
        if tick == 2:
            account.sim.faults.fail_next("call_list")

    ticks(on_tick=fail_at_tick_2)
    call_id = dial(capsys, "call", SRC, DST)
    code, _, err = run(capsys, "watch", call_id)
    assert code == 1
    assert err.startswith("talkety: error: call_list: error 500")
    assert err.rstrip().endswith(f"the call goes on; hang up with: talkety hangup {call_id}")
    assert err.count("\n") == 1


def test_watch_unknown_call_is_an_error(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str], ticks: Callable[..., list[int]]
) -> None:
    ticks()
    code, out, err = run(capsys, "watch", "999")
    assert (code, out) == (1, "")
    assert err == "talkety: error: call 999 cannot be followed: Talkety does not know it\n"
    code, out, err = run(capsys, "watch", "999", "--conference", "--json")
    assert (code, out) == (1, "")
    assert err.startswith("talkety: error: conference 999 cannot be followed")


def test_watching_a_conference_leg_follows_it_to_its_end(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str], ticks: Callable[..., list[int]]
) -> None:
    ticks()
    dial(capsys, "conf", BUSY, DST)  # the owner is busy: every leg ends with it
    leg = next(c for c in account.sim.calls() if c.dst == DST)
    code, out, _ = run(capsys, "watch", str(leg.id))
    assert code == 0
    assert "disconnected" in out


# --- errors -------------------------------------------------------------------------


def test_invalid_number_is_one_line_naming_it(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "call", SRC, "hello") == (
        1,
        "",
        "talkety: error: 'hello' is not a phone number: it has no digits\n",
    )
    code, _, err = run(capsys, "price", "030 1234567")
    assert code == 1
    assert "national number" in err and "TALKETY_REGION / --region" in err
    assert err.count("\n") == 1


def test_number_the_api_refuses(account: LiveSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "call", SRC, "+86 10 1234 5678")
    assert (code, out) == (1, "")
    assert err.startswith("talkety: error: call_connect: error 130")


def test_not_found(account: LiveSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "status", "999")
    assert (code, out) == (1, "")
    assert err.startswith("talkety: error: call_status: error 140:")
    code, _, err = run(capsys, "hangup", "999", "--conference")
    assert code == 1
    assert "error 141" in err


def test_missing_credentials_names_each_variable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--username", "bob", "price", SRC)
    assert (code, out) == (1, "")
    assert err == (
        "talkety: error: missing credentials: set TALKETY_APP_KEY (or --app-key), "
        "TALKETY_PASSWORD (or --password); or try --sim for a simulated account\n"
    )


def test_wrong_password_says_what_to_check_and_never_shows_secrets(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--password", "wrong-Passw0rd", "price", SRC)
    assert (code, out) == (1, "")
    assert err.startswith("talkety: error: pricing: error 100")
    assert "TALKETY_USERNAME and TALKETY_PASSWORD" in err
    code, _, err = run(capsys, "--app-key", "0" * 32, "-v", "price", SRC)
    assert code == 1
    assert "TALKETY_APP_KEY" in err
    for secret in ("wrong-Passw0rd", PASSWORD, APP_KEY, "0" * 32):
        assert secret not in err


def test_unreachable_api(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        account_module, "TalketyClient", functools.partial(TalketyClient, retries=0)
    )
    code, _, err = run(capsys, "--url", "http://127.0.0.1:9/xml/v1", *_SIM_LOGIN, "price", SRC)
    assert code == 1
    assert err.startswith("talkety: error: pricing: cannot connect")
    assert err.rstrip().endswith("(check TALKETY_URL / --url)")


def test_outcome_unknown_has_its_own_exit_status(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        account_module, "TalketyClient", functools.partial(TalketyClient, reconcile_delays=(0.0,))
    )
    account.sim.faults.fail_next("call_connect")  # 500: did it dial? the client cannot tell
    code, out, err = run(capsys, "call", SRC, DST)
    assert (code, out) == (3, "")
    assert "may or may not have been placed" in err
    assert err.rstrip().endswith("See what is active with: talkety list")


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["price"],
        ["dance"],
        ["status", "abc"],
        ["list", "--limit", "0"],
        ["list", "--since", "yesterday"],
        ["list", "--status", "sleeping"],
        ["watch", "148", "--interval", "-1"],
        ["--url", "ftp://example.com", "price", SRC],
        ["price", SRC, "--bogus"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert "usage: talkety" in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in (*cli_parser.CORE_COMMANDS, "sim", "slack", "ha"):
        assert command in out


def test_options_work_after_the_sub_command_too(
    account: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--currency", "EUR", "price", SRC, "--json")
    assert json.loads(out)["currency"] == "EUR"
    code, _, err = run(capsys, "price", SRC, "--currency", "euros")
    assert code == 1
    assert "'euros' is not a currency code" in err


# --- the in-process simulator (--sim) and `talkety sim` --------------------------------


def test_sim_runs_the_demo_without_an_account(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--sim", "--speed", "100", "call", SRC, BUSY, "--watch", "--interval", "0.01"
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "Call 148 ended: busy after 0:00:00, total 0.00000 USD"


def test_sim_interrupted_says_the_simulator_stops_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def interrupt(_interval: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_watch, "sleep", interrupt)
    code, _, err = run(capsys, "--sim", "call", SRC, DST, "--watch")
    assert code == 130
    assert "The simulator ran inside this command" in err


def test_python_m_talkety_core_with_sim_prices_numbers() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALKETY_")}
    done = subprocess.run(
        [sys.executable, "-m", "talkety_core", "--sim", "price", SRC, DST],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1].split() == ["total", "0.0219", "USD/min"]


def test_sim_ignores_a_real_accounts_settings_but_keeps_the_currency(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--sim needs no real account: a broken one in the environment does not stop it."""
    monkeypatch.setenv("TALKETY_URL", "ftp://not-the-api")
    monkeypatch.setenv("TALKETY_CURRENCY", "EUR")
    code, out, err = run(capsys, "--sim", "price", SRC)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].split()[-1] == "EUR/min"


# `python -m talkety_core`, with Ctrl-C working even when the tests run with
# SIGINT ignored (a background job), which the child would inherit.
_MAIN_WITH_CTRL_C = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('talkety_core', run_name='__main__', alter_sys=True)"
)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_sim_command_serves_until_stopped(
    capsys: pytest.CaptureFixture[str], signum: signal.Signals
) -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", _MAIN_WITH_CTRL_C, "sim", "--port", "0", *_SIM_LOGIN],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        url = banner.split(" listening on ")[1].split()[0]
        code, out, _ = run(capsys, "--url", url, *_SIM_LOGIN, "price", SRC)
        assert code == 0
        assert "0.0105 USD/min" in out
        server.send_signal(signum)
        _, err = server.communicate(timeout=20)
        assert server.returncode == 0
        assert "Simulator stopped." in err
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_sim_command_reports_a_port_in_use(
    live: LiveSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    port = live.base_url.split(":")[2].split("/")[0]
    code, _, err = run(capsys, "sim", "--port", port)
    assert code == 1
    assert err.startswith(f"talkety: error: cannot serve on 127.0.0.1:{port}")


# --- front ends plug in ------------------------------------------------------------------


@pytest.fixture
def front_end(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("fake_front_end")
    seen: list[Any] = []

    def greet(args: Any, core: CoreOptions) -> int:
        seen.append((args, core))
        return 0 if args.name == "ada" else 4

    async def greet_later(args: Any, core: CoreOptions) -> int:
        await asyncio.sleep(0)
        seen.append((args, core))
        return 5

    def configure_parser(parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        hello = subparsers.add_parser("hello")
        hello.add_argument("--name", required=True)
        hello.set_defaults(handler=greet)
        subparsers.add_parser("later").set_defaults(handler=greet_later)

    module.configure_parser = configure_parser  # type: ignore[attr-defined]
    module.seen = seen  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_front_end", module)
    # As a package declares them: the `talkety.front_ends` entry-point group.
    declared = [
        EntryPoint("demo", "fake_front_end", front_ends.GROUP),
        EntryPoint("absent", "no_such_front_end.cli", front_ends.GROUP),
    ]
    monkeypatch.setattr(
        front_ends, "entry_points", lambda group: [ep for ep in declared if ep.group == group]
    )
    return module


def test_front_end_sub_commands_run_with_the_global_options(
    front_end: types.ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--region", "DE", "-v", "demo", "hello", "--name", "ada"]) == 0
    ((args, core),) = front_end.seen
    # The front end's own options, and the core's as values (never the core's Namespace).
    assert (args.action, args.name) == ("hello", "ada")
    assert not hasattr(args, "region")
    assert core.account["region"] == "DE" and core.account["url"] is None and core.verbose
    assert main(["demo", "hello", "--name", "bob"]) == 4
    assert main(["demo", "later"]) == 5  # a coroutine handler is run to completion


def test_front_end_usage_errors_and_help(
    front_end: types.ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "demo", "hello")
    assert code == 2
    assert "usage: talkety demo hello" in err
    code, out, _ = run(capsys, "demo", "--help")
    assert code == 0
    assert "hello" in out and "later" in out


def test_missing_front_end_says_what_to_install(
    front_end: types.ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "absent", "run")
    assert (code, out) == (1, "")
    assert err.startswith("talkety: error: `talkety absent` is not available here")
    assert "no_such_front_end" in err


def test_a_single_command_front_end_takes_its_options_directly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "slack", "--help")  # slack_app.cli.configure_parser
    assert code == 0
    assert "usage: talkety slack" in out and "--port" in out


# --- pure pieces -----------------------------------------------------------------------


def test_json_of_models_keeps_money_exact_and_times_in_utc() -> None:
    call = Call(
        id="148",
        status=CallStatus.CONNECTED,
        status_raw="connected",
        src=SRC,
        dst=DST,
        start=datetime(2026, 1, 1, 1, 0, tzinfo=UTC),
        total_costs=Decimal("0.00001"),
    )
    document = json.loads(cli_format.to_json({"call": call}))["call"]
    assert document["total_costs"] == "0.00001"  # not 1E-5, not a float
    assert document["start"] == "2026-01-01T01:00:00Z"
    assert document["status"] == "connected"
    assert document["end"] is None


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00:00"), (65, "0:01:05"), (3600, "1:00:00"), (-3, "0:00:00")]
)
def test_duration(seconds: int, text: str) -> None:
    assert cli_format.duration(seconds) == text


def test_summary_of_a_call_the_api_forgot() -> None:
    last = Call(id="7", status=CallStatus.CONNECTED, status_raw="connected", src=SRC, dst=DST)
    lost = Call(id="7", status=CallStatus.UNKNOWN, status_raw="", src=SRC, dst=DST)
    assert cli_format.summary_line(lost, last, "USD") == (
        "Call 7 is no longer known to Talkety; last seen connected after 0:00:00, 0.00000 USD"
    )


def test_settings_repr_hides_secrets() -> None:
    settings = Account(url="http://x/xml/v1", app_key=APP_KEY, username="u", password=PASSWORD)
    assert APP_KEY not in repr(settings)
    assert PASSWORD not in repr(settings)


def test_secrets_never_reach_the_output_over_a_fault_run(
    account: LiveSimulator,
    capsys: pytest.CaptureFixture[str],
    ticks: Callable[..., list[int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--verbose prints the library's log: over dials whose answers are lost, failing and
    unreadable reads and a refused login, nothing printed carries the password or the
    app key (which is in every API URL's path)."""
    faults = account.sim.faults
    ticks(2.0)
    printed = ""
    faults.drop_after_effect("call_connect")
    code, out, err = run(capsys, "--verbose", "call", "11234567890", "19876543210")
    assert code == 0
    printed += out + err
    faults.fail_next("pricing", status=503, count=10)
    code, out, err = run(capsys, "--verbose", "price", "19876543210")
    assert code != 0
    printed += out + err
    faults.malformed_next("call_list", count=10)
    code, out, err = run(capsys, "--verbose", "list")
    assert code != 0
    printed += out + err
    faults.drop_before_effect("call_connect")
    code, out, err = run(capsys, "--verbose", "call", "11234567890", "19876543210")
    assert code != 0
    printed += out + err
    monkeypatch.setenv("TALKETY_PASSWORD", "wrong-" + PASSWORD)
    code, out, err = run(capsys, "--verbose", "status", "148")
    assert code != 0
    printed += out + err
    assert "looking up whether it was placed" in printed  # the faults happened
    assert PASSWORD not in printed
    assert APP_KEY not in printed
