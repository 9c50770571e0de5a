"""The pure parts of reports and workspaces: summaries, CSV decisions, settings, secrets."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet

from devtools.slack.fake_slack import response_text
from slack_app import policy_fields as policy_settings
from slack_app.blocks.call_message import Display
from slack_app.blocks.report import summary_blocks
from slack_app.config import ConfigError, from_env
from slack_app.numbers_found import find_numbers
from slack_app.policy import Policy
from slack_app.reports.csv_export import export_csv
from slack_app.secret_box import SecretBox, SecretBoxError
from slack_app.store import AuditAction, CallRecord, DialKind, RecordState
from slack_app.store.summary import country_of, period, summarise

NOW = datetime(2026, 12, 3, 14, 30, tzinfo=UTC)


def record(key: str, **changes: object) -> CallRecord:
    base = CallRecord(
        key=key,
        subject_id=f"id-{key}",
        kind=DialKind.CALL,
        team_id="T",
        user_id="U1",
        channel_id="C1",
        message_channel="C1",
        message_ts="1.1",
        src="11234567890",
        dsts=("19876543210",),
        price_per_minute=Decimal("0.02"),
        state=RecordState.ENDED,
        status="disconnected",
        last_cost=Decimal("0.10"),
        duration=60,
        final_cost=Decimal("0.10"),
        created_at=NOW - timedelta(hours=1),
        ended_at=NOW,
        auto_hangup=None,
        delivery_error=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_periods_are_calendar_periods_in_utc() -> None:
    assert period("today", NOW).start == datetime(2026, 12, 3, tzinfo=UTC)
    yesterday = period("yesterday", NOW)
    assert (yesterday.start, yesterday.end) == (
        datetime(2026, 12, 2, tzinfo=UTC),
        datetime(2026, 12, 3, tzinfo=UTC),
    )
    assert yesterday.label == "yesterday (2026-12-02, UTC)"
    assert period("week", NOW).start == datetime(2026, 11, 30, tzinfo=UTC)  # a Monday
    month = period("month", NOW)
    assert month.start == datetime(2026, 12, 1, tzinfo=UTC)
    assert month.label == "this month (2026-12-01 to 2026-12-03, UTC)"


def test_summary_counts_what_was_paid_and_flags_what_needs_a_look() -> None:
    records = [
        record("a", final_cost=Decimal("0.30"), duration=300),
        record("b", user_id="U2", auto_hangup="reached the daily spend limit ($1.00)"),
        record("c", user_id="U2", state=RecordState.UNKNOWN, final_cost=None, last_cost=Decimal(0)),
        record("d", state=RecordState.NOT_PLACED, final_cost=Decimal(0)),
        record(
            "e",
            kind=DialKind.CONFERENCE,
            dsts=("19876543210", "4930901820"),
            final_cost=Decimal("0.40"),
        ),
        record("f", status="UNKNOWN"),
    ]
    summary = summarise(records, period("today", NOW))
    assert summary.calls == 5 and summary.not_placed == 1
    assert summary.total == Decimal("0.90")
    assert summary.by_user == [("U1", Decimal("0.80"), 3), ("U2", Decimal("0.10"), 2)]
    # The conference's cost is shared between its two countries, not counted twice.
    assert summary.by_country == [("US", Decimal("0.70"), 5), ("DE", Decimal("0.20"), 1)]
    assert [r.key for r in summary.longest][:1] == ["a"]
    assert [r.key for r in summary.auto_hung_up] == ["b"]
    assert [r.key for r in summary.unknown] == ["c", "f"]

    text, blocks = summary_blocks(summary, Display("USD", 4), title="Talkety spend")
    shown = response_text({"text": text, "blocks": blocks})
    assert "Hung up by a limit (1)" in shown and "daily spend limit" in shown
    assert "Outcome unknown (2)" in shown and "1 dials were refused" in shown
    assert "19876543210" not in shown  # masked as in channel messages

    empty = summarise([], period("today", NOW))
    _, blocks = summary_blocks(empty, Display(), title="x")
    assert "No calls were placed" in response_text({"text": "", "blocks": blocks})


def test_countries_of_numbers_outside_the_plan() -> None:
    assert country_of("4930901820") == "DE"
    assert country_of("19876543210") == "US"  # +1, an area code not in use
    assert country_of("8881234567") == "+888"
    assert country_of("not-digits") == "Unknown"


def test_csv_lists_each_paid_call_with_its_policy_decisions() -> None:
    records = [
        record("a", auto_hangup="reached the maximum duration (5m 00s)"),
        record("b", state=RecordState.NOT_PLACED),  # nothing was paid: not a row
        record("c", state=RecordState.LIVE, final_cost=None, last_cost=Decimal("0.05")),
    ]
    audits = {
        "a": [(AuditAction.DIAL, json.dumps({"confirmed": True})), (AuditAction.HANGUP, "")],
        "c": [(AuditAction.DIAL, "not json")],
    }
    lines = export_csv(records, audits, currency="EUR", mask_visible=None).decode().splitlines()
    assert len(lines) == 3
    assert lines[1].endswith(
        "EUR,price confirmed by caller; hung up from Slack; "
        "hung up automatically: reached the maximum duration (5m 00s)"
    )
    assert ",live,60,0.05,EUR," in lines[2]


def test_numbers_found_in_slack_text() -> None:
    assert find_numbers("<tel:+4930901820|030 901820> or <tel:+19876543210>", "DE") == [
        "030 901820",
        "+19876543210",
    ]
    assert find_numbers("call 030 901820", None) == []  # national, and no region to read it
    many = ", ".join(f"+1 987 654 {n:04d}" for n in range(60))
    assert len(find_numbers(many, None)) == 50


def test_workspace_policy_over_the_defaults() -> None:
    defaults = Policy(admins=frozenset({"UENV"}), confirm_above=Decimal("0.5"))
    assert policy_settings.apply(defaults, {}, installer=None) == defaults
    stored = policy_settings.stored_form(
        replace(defaults, daily_cap=Decimal("5"), max_call_seconds=600, blocked_prefixes=("1900",))
    )
    applied = policy_settings.apply(Policy(), stored, installer="UINSTALL")
    assert applied.admins == {"UENV", "UINSTALL"}  # whoever installed stays an admin
    assert (applied.daily_cap, applied.max_call_seconds) == (Decimal("5"), 600)
    assert applied.blocked_prefixes == ("1900",) and applied.confirm_above == Decimal("0.5")
    # Unreadable stored values fall back to no limit rather than crash a workspace.
    odd = policy_settings.apply(
        Policy(daily_cap=Decimal(1)),
        {
            "daily_cap": "lots",
            "max_call_cost": "-1",
            "max_call_seconds": "ten",
            "confirm_above": None,
        },
        installer=None,
    )
    assert (odd.daily_cap, odd.max_call_cost, odd.max_call_seconds, odd.confirm_above) == (
        None,
        None,
        None,
        None,
    )


def test_profile_phones_is_a_flag_off_by_default() -> None:
    field = next(f for f in policy_settings.FIELDS if f.name == "profile_phones")
    assert Policy().profile_phones is False
    assert policy_settings.policy_from_env({}).profile_phones is False
    assert policy_settings.policy_from_env({"TALKETY_SLACK_PROFILE_PHONES": "1"}).profile_phones
    stored = policy_settings.stored_form(Policy(profile_phones=True))
    assert stored["profile_phones"] is True
    assert policy_settings.apply(Policy(), stored, installer=None).profile_phones
    # Something else stored there is not read as yes.
    odd = policy_settings.apply(Policy(), {"profile_phones": "yes"}, installer=None)
    assert odd.profile_phones is False
    assert policy_settings.read_form(field, ["on"]) == (True, None)
    assert policy_settings.read_form(field, []) == (False, None)


def test_secret_box_seals_and_refuses_another_key() -> None:
    key = Fernet.generate_key().decode()
    box = SecretBox(key)
    sealed = box.seal({"password": "pw-123", "app_key": "k" * 32})
    assert "pw-123" not in sealed and box.open(sealed)["password"] == "pw-123"
    assert key not in repr(box)
    with pytest.raises(SecretBoxError):
        SecretBox(Fernet.generate_key().decode()).open(sealed)
    assert SecretBox.valid_key(key) and not SecretBox.valid_key("short")


def test_distributed_settings_from_the_environment() -> None:
    env = {
        "SLACK_CLIENT_ID": "123.456",
        "SLACK_CLIENT_SECRET": "client-secret",
        "SLACK_SIGNING_SECRET": "signing",
        "TALKETY_SLACK_SECRET_KEY": Fernet.generate_key().decode(),
        "TALKETY_SLACK_REPORT_CHANNEL": "C0REPORTS",
        "TALKETY_SLACK_REPORT_TIME": "07:30",
    }
    settings = from_env(env)
    assert settings.distributed and settings.missing() == []
    assert settings.report_time == time(7, 30) and settings.report_channel == "C0REPORTS"
    assert "client-secret" in settings.secrets() and "client-secret" not in repr(settings)
    needs = " ".join(from_env({"SLACK_CLIENT_ID": "1", "SLACK_APP_TOKEN": "xapp"}).missing())
    for what in (
        "SLACK_CLIENT_SECRET",
        "SLACK_SIGNING_SECRET",
        "TALKETY_SLACK_SECRET_KEY",
        "Socket Mode",
    ):
        assert what in needs
    with pytest.raises(ConfigError, match="TALKETY_SLACK_REPORT_TIME"):
        from_env({"TALKETY_SLACK_REPORT_TIME": "8 am"})
