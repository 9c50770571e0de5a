"""parse_number normalises spelling into Talkety's digits and refuses only non-numbers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talkety_core.numbers import (
    PhoneNumberError,
    PremiumRateNumberError,
    is_premium_rate,
    mask_number,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        # International spellings; the region does not matter for them.
        ("+1 (123) 456-7890", None, "11234567890"),
        ("+1 (123) 456-7890", "DE", "11234567890"),
        ("+1.987.654.3210", None, "19876543210"),
        ("0049 30 1234567", None, "49301234567"),
        ("0049 30 1234567", "US", "49301234567"),
        ("+49 (0)30 1234567", None, "49301234567"),  # the stray trunk 0 goes
        ("+39 06 12345678", None, "390612345678"),  # Italy keeps its 0
        ("\uff0b49 30 1234567", None, "49301234567"),  # full-width plus
        (
            "+\u0664\u0669\u0663\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667",
            None,
            "49301234567",
        ),
        # Talkety's own wire format stays as it is, even when libphonenumber
        # calls the number invalid (the seed's examples).
        ("11234567890", None, "11234567890"),
        ("19876543210", None, "19876543210"),
        ("11234567890", "US", "11234567890"),
        ("19876543210", "DE", "19876543210"),
        ("  11234567890\n", None, "11234567890"),
        ("1 123 456 7890", None, "11234567890"),
        # National spellings with a default region.
        ("030 1234567", "DE", "49301234567"),
        ("030 1234567", "de", "49301234567"),
        ("0301234567", "DE", "49301234567"),
        ("030/123 45 67", "DE", "49301234567"),
        ("06 12345678", "IT", "390612345678"),
        ("8 495 123-45-67", "RU", "74951234567"),
        ("(202) 555-0123", "US", "12025550123"),
        ("1 (202) 555-0123", "US", "12025550123"),
        ("011 49 30 1234567", "US", "49301234567"),
        # ... also for numbers libphonenumber does not know.
        ("(123) 456-7890", "US", "11234567890"),
        ("1 123 456 7890", "US", "11234567890"),
        ("123-456-7890", "US", "11234567890"),
        # tel: URIs (RFC 3966).
        ("tel:+1-123-456-7890", None, "11234567890"),
        ("TEL:+1-123-456-7890", None, "11234567890"),
        ("tel:+1-123-456-7890;ext=12", None, "11234567890"),
        ("tel:863-1234;phone-context=+1-914-555", None, "19145558631234"),
        # Extensions are dropped: Talkety dials the main number.
        ("+1 123 456 7890 x 12", None, "11234567890"),
        ("+1 123 456 7890 ext. 12", None, "11234567890"),
        ("+1 123 456 7890x12", None, "11234567890"),
        # Keypad letters.
        ("1-800-FLOWERS", None, "18003569377"),
        ("1-800-flowers", "US", "18003569377"),
        ("+1 800 GOT JUNK", None, "18004685865"),
    ],
)
def test_normalises_spelling(text: str, region: str | None, expected: str) -> None:
    assert parse_number(text, region) == expected


@pytest.mark.parametrize(
    ("text", "region", "says"),
    [
        ("", None, "empty"),
        ("   ", None, "empty"),
        ("hello", None, "no digits"),
        ("+", None, "no digits"),
        ("call 555 me", None, "keypad"),
        ("12 ab", None, "keypad"),
        ("123", None, "too short"),
        ("+1 123", None, "too short"),
        ("1234567890123456", None, "too long"),
        ("+49 30 1234567 1234567 1234567", None, "too long"),
        ("1" * 200, None, "far too long"),
        ("030 1234567", None, "national number"),
        ("0123456789", None, "national number"),
        ("+999 1234567", None, "country code"),
        ("00", None, "no number after"),
        ("11234567890!", None, "'!'"),
        ("1123<script>", None, "'<'"),
        ("030 1234567", "XX", "region"),
        ("tel:+1-123-456;phone-context=+1", None, "tel:"),
    ],
)
def test_refuses_what_cannot_be_a_number(text: str, region: str | None, says: str) -> None:
    with pytest.raises(PhoneNumberError, match=re.escape(says)) as caught:
        parse_number(text, region)
    assert caught.value.text == text
    assert isinstance(caught.value, ValueError)


def test_error_names_the_input() -> None:
    with pytest.raises(PhoneNumberError, match=r"'030 1234567' is a national number"):
        parse_number("030 1234567")


def test_empty_region_means_none() -> None:
    assert parse_number("11234567890", "") == "11234567890"
    with pytest.raises(PhoneNumberError, match="national"):
        parse_number("030 1234567", " ")


@pytest.mark.parametrize(
    "text",
    ["+1 900 555 1234", "19001234567", "+1 900 123 4567", "+44 909 8790879"],
)
def test_block_premium_refuses_premium_rate(text: str) -> None:
    assert parse_number(text) is not None  # allowed unless asked
    with pytest.raises(PremiumRateNumberError, match="premium-rate") as caught:
        parse_number(text, block_premium=True)
    assert caught.value.number == parse_number(text)


def test_block_premium_lets_ordinary_numbers_through() -> None:
    assert parse_number("11234567890", block_premium=True) == "11234567890"
    assert parse_number("030 1234567", "DE", block_premium=True) == "49301234567"


def test_is_premium_rate() -> None:
    assert is_premium_rate("19005551234")
    assert is_premium_rate("449098790879")
    assert not is_premium_rate("11234567890")
    assert not is_premium_rate("49301234567")
    assert not is_premium_rate("")


def test_mask_number() -> None:
    assert mask_number("11234567890", visible=4) == "\u2022" * 7 + "7890"
    assert mask_number("11234567890") == "\u2022" * 7 + "7890"
    assert mask_number("11234567890", visible=0) == "\u2022" * 11
    # Never the whole number, however short.
    assert mask_number("1234", visible=4) == "\u2022" * 4


_REGIONS = st.sampled_from([None, "", "DE", "US", "GB", "IT", "RU", "de", "XX"])


@given(text=st.text(max_size=40), region=_REGIONS)
def test_any_text_gives_digits_or_phone_number_error(text: str, region: str | None) -> None:
    try:
        number = parse_number(text, region, block_premium=True)
    except PhoneNumberError:
        return
    assert re.fullmatch(r"[0-9]{7,15}", number)


_PHONE_ALPHABET = st.sampled_from(list("0123456789+-() ./xX#;ABCEFGHOSTtel:=\u00a0\uff10"))


@given(text=st.text(_PHONE_ALPHABET, max_size=30), region=_REGIONS)
def test_number_like_text_gives_digits_or_phone_number_error(text: str, region: str | None) -> None:
    try:
        number = parse_number(text, region)
    except PhoneNumberError:
        return
    assert re.fullmatch(r"[0-9]{7,15}", number)


@given(digits=st.from_regex(r"[1-9][0-9]{6,14}", fullmatch=True))
def test_wire_digits_stay_exactly_as_they_are(digits: str) -> None:
    try:
        number = parse_number(digits, "US")
    except PhoneNumberError as err:
        assert "country code" in str(err)
        return
    assert number == digits
