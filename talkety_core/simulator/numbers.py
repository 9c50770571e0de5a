"""Phone number validity (which numbers Talkety dials) and number_format's rewriting."""

from __future__ import annotations

from .prices import PriceTable, Rate
from .rules import MAX_DIGITS, MIN_DIGITS

# number_format drops these; people write numbers with all of them.
_SEPARATORS = str.maketrans("", "", " \t-.()/\u00a0")
_TEL_SCHEME = "tel:"


def rate_of(number: str, prices: PriceTable) -> Rate | None:
    """The Rate of a dialable wire-format number, or None if it is invalid.

    Valid means: ASCII digits only, MIN_DIGITS..MAX_DIGITS of them, no leading 0
    (the wire format has no trunk or international prefix), and a priced prefix.
    """
    if not (number.isascii() and number.isdigit()):
        return None
    if not MIN_DIGITS <= len(number) <= MAX_DIGITS or number.startswith("0"):
        return None
    return prices.lookup(number)


def to_international(raw: str, default_country_code: str) -> str:
    """Rewrite a human spelling of a number into wire format (digits, no `+`).

    `+CC...` and `00CC...` are international; a single leading `0` is a trunk
    prefix in the account's own country; anything else is taken as already
    international. The result may still be invalid (see `rate_of`).
    """
    text = raw.strip()
    if text[: len(_TEL_SCHEME)].lower() == _TEL_SCHEME:
        text = text[len(_TEL_SCHEME) :]
    text = text.split(";", 1)[0]  # RFC 3966 parameters such as ;ext=12
    text = text.translate(_SEPARATORS)
    if text.startswith("+"):
        return text[1:]
    if text.startswith("00"):
        return text[2:]
    if text.startswith("0"):
        return default_country_code + text[1:]
    return text
