"""API- and user-derived text in messages stays text: no channel pings, no disguised
links, no code span broken out of; and money always formats."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from slack_app.blocks.replies import price_blocks
from slack_app.formatting import code, escape, format_money, mask, status_label
from talkety_core import CallStatus
from talkety_core.models import PricedNumber, Pricing

HOSTILE = "connected <!channel> <https://evil.example/x|verify> & `"


def _markup(text: str) -> bool:
    return "<!" in text or "<http" in text or "<@" in text


def test_an_unknown_status_from_the_api_pings_nobody() -> None:
    label = status_label(CallStatus.UNKNOWN, HOSTILE)
    assert not _markup(label)
    assert "&lt;!channel&gt;" in label


def test_escape_is_slacks_three_entities() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"


@pytest.mark.parametrize("text", ["148", "a`b", "```", "` <!here> `", HOSTILE])
def test_a_code_span_cannot_be_broken_out_of(text: str) -> None:
    span = code(text)
    assert span.startswith("`") and span.endswith("`")
    assert span.count("`") == 2
    assert not _markup(span)


def test_numbers_from_the_api_are_escaped_where_they_are_shown() -> None:
    assert not _markup(mask("<!channel>12345678", 4))
    assert not _markup(mask("<!channel>", -1))
    pricing = Pricing(
        Decimal("0.01"),
        (PricedNumber("<!channel>", True, Decimal("0.01")), PricedNumber("<@U1>", False)),
    )
    _, blocks = price_blocks(pricing, "USD")
    assert not _markup(json.dumps(blocks))


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1E+30"), "$1,000,000,000,000,000,000,000,000,000,000.00"),
        (Decimal("0.00913"), "$0.0091"),
        (Decimal("NaN"), "? USD"),
        (Decimal("-Infinity"), "? USD"),
    ],
)
def test_format_money_never_raises(amount: Decimal, shown: str) -> None:
    assert format_money(amount, "USD") == shown
