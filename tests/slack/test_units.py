"""Pure pieces: number input, formatting, policy, configuration, the CLI."""

from __future__ import annotations

import argparse
import io
import logging
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from slack_app import cli
from slack_app.app import SlackTalketyApp
from slack_app.config import ConfigError, from_env, normalise_database_url
from slack_app.formatting import format_duration, format_money, mask
from slack_app.numbers_input import read_numbers_input, split_numbers
from slack_app.policy import Policy, PolicyError
from slack_app.redact import RedactingFilter


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("+1 123 456 7890", ["+1 123 456 7890"]),
        ("11234567890 19876543210", ["11234567890", "19876543210"]),
        ("+1 123 456 7890, 030 1234567", ["+1 123 456 7890", "030 1234567"]),
        ("030 1234567 040 7654321", ["030 1234567", "040 7654321"]),
        ("+44 20 7946 0000 +1 987 654 3210", ["+44 20 7946 0000", "+1 987 654 3210"]),
        ("1234567 7654321", ["1234567", "7654321"]),
        ("a;b\nc", ["a", "b", "c"]),
        ("", []),
    ],
)
def test_split_numbers(text: str, numbers: list[str]) -> None:
    assert split_numbers(text) == numbers


def test_from_and_to_words() -> None:
    given = read_numbers_input("from +1 123 456 7890 to 19876543210, 14165550100")
    assert given.src == "+1 123 456 7890"
    assert given.numbers == ("19876543210", "14165550100")
    assert read_numbers_input("19876543210").src is None


def test_money_and_durations() -> None:
    assert format_money(Decimal("0.0105")) == "$0.0105"
    assert format_money(Decimal("0.07644")) == "$0.0764"
    assert format_money(Decimal("0")) == "$0.00"
    assert format_money(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert format_money(Decimal("0.5"), "SEK") == "0.50 SEK"
    assert format_duration(5) == "5s"
    assert format_duration(125) == "2m 05s"
    assert format_duration(3725) == "1h 02m 05s"
    assert mask("11234567890", 4).endswith("7890") and "1123" not in mask("11234567890", 4)
    assert mask("11234567890", 99) == "+11234567890"


def test_policy_decisions() -> None:
    policy = Policy(
        allowed_users=frozenset({"U1"}),
        admins=frozenset({"UA"}),
        blocked_prefixes=("882",),
        confirm_above=Decimal("0.5"),
        max_call_cost=Decimal("1"),
        daily_cap=Decimal("5"),
    )
    assert policy.may_call("U1") and policy.may_call("UA") and not policy.may_call("U2")
    assert policy.may_call("U2", ["U2"])
    assert policy.may_control("UA", "U1") and not policy.may_control("U2", "U1")
    with pytest.raises(PolicyError, match=r"\+882"):
        policy.check_prefixes(["882123456"])
    assert policy.needs_confirmation([Decimal("0.6")])
    assert not Policy(confirm_above=None).needs_confirmation([Decimal("99")])
    assert policy.over_daily_cap(Decimal("5"), "USD")
    assert policy.over_daily_cap(Decimal("4.99"), "USD") is None
    with pytest.raises(PolicyError, match="daily limit"):
        policy.check_daily_cap(Decimal("6"), "USD")
    Policy(rate_limit=(0, 60)).check_rate(100)  # 0: no limit


def test_settings_from_environment() -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s3cret",
        "SLACK_API_URL": "http://127.0.0.1:9/api",
        "DATABASE_URL": "postgresql://db/talkety",
        "PORT": "8123",
        "TALKETY_REGION": "de",
        "TALKETY_SLACK_ADMINS": "UA, UB",
        "TALKETY_SLACK_ALLOWED_USERGROUPS": "S1",
        "TALKETY_SLACK_CONFIRM_ABOVE": "0.25",
        "TALKETY_SLACK_MAX_CALL_MINUTES": "1.5",
        "TALKETY_SLACK_DAILY_CAP": "10",
        "TALKETY_SLACK_BLOCKED_PREFIXES": "882,883",
        "TALKETY_SLACK_ALLOW_PREMIUM": "yes",
        "TALKETY_SLACK_RATE_LIMIT": "3/30",
        "TALKETY_SLACK_INSTANCE_ID": "web-1",
        "TALKETY_SLACK_RECONCILE_WINDOW": "120",
    }
    settings = from_env(env)
    assert settings.timings.reconcile_window == 120.0
    assert from_env({}).timings.reconcile_window == 600.0  # ten minutes
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.database_url == "postgresql+asyncpg://db/talkety"
    assert settings.port == 8123 and settings.instance_id == "web-1"
    policy = settings.policy
    assert policy.default_region == "DE" and policy.admins == {"UA", "UB"}
    assert policy.confirm_above == Decimal("0.25") and policy.max_call_seconds == 90
    assert policy.blocked_prefixes == ("882", "883") and not policy.block_premium
    assert policy.rate_limit == (3, 30)
    assert "xoxb-1" not in repr(settings) and "s3cret" not in repr(settings)
    assert not settings.socket_mode and settings.missing() == []
    assert from_env({"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "x"}).socket_mode
    assert normalise_database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    for bad in (
        {"PORT": "web"},
        {"TALKETY_SLACK_DAILY_CAP": "lots"},
        {"TALKETY_SLACK_RATE_LIMIT": "many"},
        {"TALKETY_SLACK_MAX_CALL_MINUTES": "x"},
        {"TALKETY_SLACK_POLL_INTERVAL": "x"},
    ):
        with pytest.raises(ConfigError):
            from_env(bad)


def test_missing_configuration_says_what_and_where(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["--sim"]) == 1
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in err and "SLACK_SIGNING_SECRET" in err and "manifest.json" in err

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    for name in ("TALKETY_APP_KEY", "TALKETY_USERNAME", "TALKETY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main([]) == 1
    assert "TALKETY_APP_KEY" in capsys.readouterr().err
    monkeypatch.setenv("PORT", "web")
    assert cli.main([]) == 2
    assert cli.main(["--port", "x"]) == 2


def test_configure_parser_for_the_core_cli() -> None:
    parser = argparse.ArgumentParser()
    cli.configure_parser(parser)
    args = parser.parse_args(["--port", "4000", "--sim"])
    assert args.port == 4000 and args.sim and args.handler is cli.run_from_args


def test_without_the_slack_extra_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "slack_app.config", None)  # as if never installed
    assert cli.main([]) == 1
    assert "pip install 'talkety[slack]'" in capsys.readouterr().err


def test_redacting_filter() -> None:
    redact = RedactingFilter(["hunter2-password"])
    assert redact.redact("login hunter2-password xoxb-123-abc") == "login *** xox…***"


def test_every_talkety_failure_has_a_sentence() -> None:
    from slack_app.errors import friendly  # noqa: PLC0415
    from talkety_core import (  # noqa: PLC0415
        TalketyApiError,
        TalketyAuthenticationError,
        TalketyCallOutcomeUnknownError,
        TalketyConnectionError,
        TalketyDestinationBlockedError,
        TalketyError,
        TalketyInsufficientCreditError,
        TalketyInvalidNumberError,
        TalketyMissingParameterError,
        TalketyNotActiveError,
        TalketyNotFoundError,
        TalketyRateLimitError,
        TalketyServerError,
    )

    api = {"action": "call_connect"}
    cases = [
        (TalketyCallOutcomeUnknownError("call_connect", "timeout"), "may or may not"),
        (TalketyInsufficientCreditError(150, "no", **api), "out of credit"),
        (TalketyInvalidNumberError(130, "bad number", **api), "bad number"),
        (TalketyDestinationBlockedError(131, "no", **api), "blocks"),
        (TalketyRateLimitError(160, "slow", retry_after=3, **api), "in 3 seconds"),
        (TalketyRateLimitError(160, "slow", **api), "in a moment"),
        (TalketyAuthenticationError(100, "no", **api), "TALKETY_PASSWORD"),
        (TalketyNotActiveError(142, "no", **api), "already ended"),
        (TalketyNotFoundError(140, "no", **api), "does not know"),
        (TalketyMissingParameterError(120, "src missing", **api), "src missing"),
        (TalketyConnectionError("down"), "cannot be reached"),
        (TalketyServerError(500, "boom", **api), "cannot be reached"),
        (TalketyApiError(999, "odd", **api), "odd"),
        (TalketyError("?"), "Something went wrong"),
    ]
    for error, words in cases:
        assert words in friendly(error)


def test_no_misleading_token_warning_on_start(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    # Bolt reads SLACK_BOT_TOKEN itself; the app's own client carries it.
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s3cret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "TALKETY_APP_KEY": "k",
        "TALKETY_USERNAME": "u",
        "TALKETY_PASSWORD": "p",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    SlackTalketyApp(from_env(env))
    assert "will be unused" not in caplog.text


def test_redacting_filter_covers_args_tracebacks_and_stacks() -> None:
    """What a handler prints of a record: the message with its args, the traceback of
    its exception (an aiohttp error names the URL, app key included), its stack."""
    secret = "0123456789abcdef-app-key"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter([secret]))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise RuntimeError(f"GET http://api/xml/v1/{secret}/call_list failed")
        except RuntimeError:
            logger.exception("request to %s failed", f"/xml/v1/{secret}")
        logger.warning("stack", stack_info=True)  # the stack shows this: 0123456789abcdef-app-key
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "m %s", (secret,), None)
        record.exc_text = f"Traceback: {secret}"
        handler.handle(record)
    finally:
        logger.removeHandler(handler)
    printed = stream.getvalue()
    assert "RuntimeError: GET http://api/xml/v1/***/call_list failed" in printed
    assert "request to /xml/v1/*** failed" in printed
    assert "Traceback: ***" in printed
    assert "the stack shows this: ***" in printed
    assert secret not in printed
