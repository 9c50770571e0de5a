"""pricing and number_format over HTTP, and the number, price and money rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talkety_core.simulator import ManualClock, PriceTable, Rate, Simulator
from talkety_core.simulator.money import cost_for, format_amount
from talkety_core.simulator.numbers import rate_of, to_international
from talkety_core.simulator.prices import DEFAULT_RATES

from .sim_helpers import Api

SEED_NUMBERS = ["11234567890", "19876543210", "0123456789", "8765432100"]


def numbers_param(*numbers: str) -> list[tuple[str, str]]:
    return [("number[]", n) for n in numbers]


async def test_pricing_reproduces_the_seed(api: Api) -> None:
    answer = await api.get("pricing", numbers_param(*SEED_NUMBERS))
    assert answer.status == 200
    assert answer.text("total_costs") == "0.0219"
    numbers = answer.root.findall("numbers/number")
    assert [(n.text, n.attrib) for n in numbers] == [
        ("11234567890", {"cost": "0.0105", "valid": "true"}),
        ("19876543210", {"cost": "0.0114", "valid": "true"}),
        ("0123456789", {"valid": "false"}),
        ("8765432100", {"valid": "false"}),
    ]
    assert b'<number cost="0.0105" valid="true">11234567890</number>' in answer.body


async def test_pricing_details(api: Api) -> None:
    answer = await api.get(
        "pricing", numbers_param("19005551234", "8821234567", "+44 20", "11234567890")
    )
    numbers = answer.root.findall("numbers/number")
    assert numbers[0].attrib["cost"] == "1.99"  # premium: longest prefix wins
    assert numbers[1].attrib == {"cost": "0.99", "valid": "true"}  # blocked, yet priced
    assert (numbers[2].text, numbers[2].attrib) == ("+44 20", {"valid": "false"})  # as sent
    assert answer.text("total_costs") == "2.9905"


async def test_pricing_only_invalid_numbers(api: Api) -> None:
    answer = await api.get("pricing", numbers_param("0", "abc"))
    assert answer.text("total_costs") == "0"


@pytest.mark.parametrize("action", ["pricing", "number_format"])
@pytest.mark.parametrize("params", [None, [("number", "11234567890")]])
async def test_numbers_are_required(
    api: Api, action: str, params: list[tuple[str, str]] | None
) -> None:
    answer = await api.get(action, params)
    assert (answer.status, answer.error_code) == (400, 120)
    assert "number[]" in answer.error_message


async def test_number_format(api: Api) -> None:
    inputs = [
        "+1 (123) 456-7890",
        "0049 30 1234567",
        "tel:+44-20-7946-0958;ext=12",
        "0123 456 7890",  # national: default country 1
        "11234567890",
        "123",
        'x"<&>\x01',
    ]
    answer = await api.post("number_format", numbers_param(*inputs))
    assert answer.status == 200
    assert answer.root.tag == "numbers"
    got = [(n.attrib["input"], n.text, n.attrib["valid"]) for n in answer.root]
    assert got == [
        ("+1 (123) 456-7890", "11234567890", "true"),
        ("0049 30 1234567", "49301234567", "true"),
        ("tel:+44-20-7946-0958;ext=12", "442079460958", "true"),
        ("0123 456 7890", "11234567890", "true"),
        ("11234567890", "11234567890", "true"),
        ("123", "123", "false"),
        ('x"<&>\ufffd', 'x"<&>\ufffd', "false"),  # XML cannot carry \x01
    ]
    assert list(answer.root[0].attrib) == ["input", "valid"]


async def test_number_format_default_country(
    make_api: Callable[[Simulator], Awaitable[Api]],
) -> None:
    api = await make_api(Simulator(clock=ManualClock(), default_country_code="49"))
    answer = await api.get("number_format", numbers_param("030 1234567"))
    assert answer.root[0].text == "49301234567"


async def test_custom_price_table(make_api: Callable[[Simulator], Awaitable[Api]]) -> None:
    prices = PriceTable.from_mapping({"1": ("0.5", "Testland")})
    api = await make_api(Simulator(clock=ManualClock(), prices=prices))
    answer = await api.get("pricing", numbers_param("11234567890", "4930123456"))
    assert answer.text("total_costs") == "0.5"
    call_id = await api.connect("11234567890", "11234567891")
    assert (await api.status(call_id))["src_name"] == "Testland"


# -- rules, without HTTP ---------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("1123456", True),  # 7 digits
        ("112345", False),  # 6
        ("112345678901234", True),  # 15
        ("1123456789012345", False),  # 16
        ("0123456789", False),
        ("8765432100", False),
        ("11234 67890", False),
        ("", False),
        ("".join(chr(0xFF10 + int(d)) for d in "11234567890"), False),  # full-width
    ],
)
def test_validity(number: str, valid: bool) -> None:
    assert (rate_of(number, PriceTable.default()) is not None) is valid


def test_longest_prefix_wins() -> None:
    table = PriceTable.default()
    assert table.lookup("4930123456") == Rate("4930", Decimal("0.0119"), "Germany")
    assert table.lookup("4940123456") == Rate("49", Decimal("0.0139"), "Germany")
    assert table.lookup("1416555") is not None
    assert table.lookup("7") is None
    assert len(table) == len(DEFAULT_RATES)
    assert {r.prefix for r in table} == set(DEFAULT_RATES)
    assert PriceTable([]).lookup("123") is None


@pytest.mark.parametrize(
    ("prefix", "price"), [("1a", "1"), ("", "1"), ("\u0663", "1"), ("1", "-0.1"), ("1", "NaN")]
)
def test_rate_validation(prefix: str, price: str) -> None:
    with pytest.raises(ValueError):
        Rate(prefix, Decimal(price), "x")


def test_rate_needs_a_decimal() -> None:
    with pytest.raises(ValueError):
        Rate("1", 0.5, "x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 123 456 7890", "11234567890"),
        ("00 44 20 7946 0958", "442079460958"),
        ("(0123) 456.7890", "11234567890"),
        ("TEL:+4930/1234567", "49301234567"),
        ("  4930\t1234567 ", "49301234567"),
        ("+0123", "0123"),
        ("", ""),
    ],
)
def test_to_international(raw: str, expected: str) -> None:
    assert to_international(raw, "1") == expected


@pytest.mark.parametrize(
    ("seconds", "per_minute", "expected"),
    [
        (0, "0.0219", "0"),
        (1, "0.0219", "0.00037"),  # 0.000365 half up
        (65, "0.0219", "0.02373"),  # 0.023725 half up
        (2706, "0.0430", "1.9393"),
        (60, "1.99", "1.99"),
        (1, "1.99", "0.03317"),  # 0.0331666...
    ],
)
def test_cost_for(seconds: int, per_minute: str, expected: str) -> None:
    assert format_amount(cost_for(seconds, Decimal(per_minute))) == expected


@given(
    seconds=st.integers(min_value=0, max_value=10**7),
    per_minute=st.decimals(min_value=0, max_value=100, places=4),
)
def test_cost_is_exact_per_second_rounding(seconds: int, per_minute: Decimal) -> None:
    cost = cost_for(seconds, per_minute)
    exact = Decimal(seconds) * per_minute / 60
    assert abs(cost - exact) <= Decimal("0.000005")
    assert cost.as_tuple().exponent == -5


@given(st.decimals(allow_nan=False, allow_infinity=False, places=5))
def test_format_amount_round_trips_without_exponent(amount: Decimal) -> None:
    text = format_amount(amount)
    assert "E" not in text.upper()
    assert Decimal(text) == amount
    assert text == "0" or not (text.endswith("0") and "." in text)


def test_format_amount_examples() -> None:
    assert format_amount(Decimal("0.01050")) == "0.0105"
    assert format_amount(Decimal("100.00000")) == "100"
    assert format_amount(Decimal("-0.00000")) == "0"
    assert format_amount(Decimal("1.94022")) == "1.94022"
