"""Money arithmetic and how amounts are printed. Amounts are always Decimal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from .rules import COST_DECIMALS

# An explicit context: the process-wide decimal context may be changed by others.
_CONTEXT = Context(prec=40)
_QUANTUM = Decimal(1).scaleb(-COST_DECIMALS)


def cost_for(seconds: int, per_minute: Decimal) -> Decimal:
    """Cost of `seconds` whole seconds at `per_minute`, billed per second.

    Multiplying before dividing keeps the result exact whenever it can be, so
    ROUND_HALF_UP sees true halves.
    """
    exact = _CONTEXT.divide(_CONTEXT.multiply(Decimal(seconds), per_minute), Decimal(60))
    return exact.quantize(_QUANTUM, rounding=ROUND_HALF_UP, context=_CONTEXT)


def format_amount(amount: Decimal) -> str:
    """`0.0105`, `1.94022`, `0`, `100`: no exponent and no trailing zeros (as the seed)."""
    text = format(amount.normalize(context=_CONTEXT), "f")
    return "0" if text in ("-0", "0") else text
