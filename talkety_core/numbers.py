"""Turn phone numbers as people type them into the digits Talkety dials.

Talkety's wire format is the international number in digits, without `+` or
`00`: `+1 (123) 456-7890` is `11234567890`. This module normalises SPELLING
only. Whether a number exists or can be dialled is the API's call (`pricing`):
the seed's own examples (11234567890, 19876543210) are invalid to
libphonenumber, yet Talkety prices and dials them, so nothing here rejects a
number for being "invalid"; only what cannot be a phone number at all is refused.

How input is read:
- `+…`, `00…` and `tel:+…` are international.
- Digits alone (`11234567890`) are already Talkety's wire format:
  international, unless they start with the trunk prefix 0 (no country code
  starts with 0), which makes them national.
- A national number (leading 0, or typed with spaces, dashes, brackets or
  letters while a default region is given) needs `default_region`, and is
  read the way people of that region dial.
- Letters are read off a phone keypad (`1-800-FLOWERS`). An extension
  (`x12`, `ext. 12`, `;ext=12`) is dropped: Talkety dials the main number.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import phonenumbers
from phonenumbers import CountryCodeSource, NumberParseException, PhoneMetadata, PhoneNumberType

__all__ = [
    "MAX_DIGITS",
    "MIN_DIGITS",
    "PhoneNumberError",
    "PremiumRateNumberError",
    "is_premium_rate",
    "mask_number",
    "parse_number",
]

# E.164 allows 15 digits; below 7 nothing is dialable internationally.
MIN_DIGITS = 7
MAX_DIGITS = 15

# Longer than any phone number however it is spelled: refused before any
# regex or libphonenumber sees it.
_MAX_INPUT_CHARS = 80

_PLUS_SIGNS = "+\uff0b"
# Visual separators people (and web pages they copy from) put in numbers.
_SEPARATORS = frozenset(
    "-.()/[]~"
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d\uff0f\uff08\uff09\uff3b\uff3d"
    "\u2053\u223c\uff5e\u00ad\u200b\u2060"
)
# x12, ext. 12, extension 12, #12 at the end; a letter before the marker
# means it is part of a vanity word ("…BOX 12"), not an extension.
_EXTENSION = re.compile(
    r"\s*[,;]?\s*(?<![A-Za-z])(?:extension|extn|ext|x|\#)\.?\s*[:=]?\s*[0-9]{1,10}\s*\#?\s*$",
    re.IGNORECASE,
)
_ASCII_DIGITS = re.compile(r"[0-9]+")
_WIRE_DIGITS = re.compile(rf"[0-9]{{{MIN_DIGITS},{MAX_DIGITS}}}")
# libphonenumber cannot classify an otherwise invalid NANP number, but the
# whole 1-900 range is premium rate.
_NANP_PREMIUM_PREFIXES = ("1900",)


class PhoneNumberError(ValueError):
    """What was typed cannot be read as a phone number; the message says why."""

    def __init__(self, message: str, *, text: str) -> None:
        super().__init__(message)
        self.text = text


class PremiumRateNumberError(PhoneNumberError):
    """The number is premium rate and the caller asked to block those."""

    def __init__(self, message: str, *, text: str, number: str) -> None:
        super().__init__(message, text=text)
        self.number = number


def parse_number(
    text: str, default_region: str | None = None, *, block_premium: bool = False
) -> str:
    """Talkety's digits for a number as typed: `"+1 (123) 456-7890"` -> `"11234567890"`.

    `default_region` (ISO country code such as "DE") is how national numbers
    are read. Raises PhoneNumberError with a message naming the input;
    PremiumRateNumberError (a PhoneNumberError) when `block_premium` is set
    and the number is premium rate.
    """
    region = _region(default_region, text)
    plus, digits, formatted = _spelling(text)
    if plus:
        number = _international(digits, text)
    elif digits.startswith("00"):  # the ITU international prefix
        number = _international(digits[2:], text)
    elif digits.startswith("0") or (region is not None and formatted):
        if region is None:
            raise PhoneNumberError(
                f"{_quote(text)} is a national number: write it with its country code "
                "(+49 30 1234567, say) or set a default region",
                text=text,
            )
        number = _national(digits, region, text)
    else:  # Talkety's wire format: checked, never rewritten
        _parse_international(digits, text)
        number = digits
    if not _WIRE_DIGITS.fullmatch(number):
        raise _length_error(number, text)
    if block_premium and is_premium_rate(number):
        raise PremiumRateNumberError(
            f"{_quote(text)} is a premium-rate number, and those are blocked here",
            text=text,
            number=number,
        )
    return number


def is_premium_rate(number: str) -> bool:
    """True for a premium-rate number given as Talkety's digits (`19005551234`)."""
    digits = "".join(c for c in number if c in "0123456789")
    if digits.startswith(_NANP_PREMIUM_PREFIXES):
        return True
    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except NumberParseException:
        return False
    return phonenumbers.number_type(parsed) == PhoneNumberType.PREMIUM_RATE


def country_calling_code(region: str | None) -> str | None:
    """The calling code of a two-letter region (`DE` -> `49`); None for none or unknown."""
    if region is None:
        return None
    code = phonenumbers.country_code_for_region(region.strip().upper())
    return str(code) if code else None


def mask_number(number: str, visible: int = 4) -> str:
    """The number with all but its last `visible` characters hidden, for logs and chat.

    A number no longer than `visible` is hidden completely: a mask never
    shows a whole number.
    """
    shown = number[-visible:] if 0 < visible < len(number) else ""
    return "\u2022" * (len(number) - len(shown)) + shown


# --- reading the spelling -------------------------------------------------


class _Spelling(NamedTuple):
    plus: bool  # written with + (international)
    digits: str  # ASCII digits, letters read off the keypad
    formatted: bool  # typed with separators or letters, not as bare digits


def _spelling(text: str) -> _Spelling:
    """What was typed, without separators, extension or URI syntax.

    Anything that is neither a digit, a separator nor a keypad letter makes
    it garbage.
    """
    stripped = text.strip()
    if not stripped:
        raise PhoneNumberError("The phone number is empty", text=text)
    if len(stripped) > _MAX_INPUT_CHARS:
        raise PhoneNumberError(f"{_quote(text)} is far too long to be a phone number", text=text)
    number = _from_tel_uri(stripped, text) if stripped[:4].lower() == "tel:" else stripped
    number = _EXTENSION.sub("", number).strip()
    plus = number[:1] in _PLUS_SIGNS
    if plus:
        number = number[1:]
    kept: list[str] = []
    for char in number:
        if char.isspace() or char in _SEPARATORS:
            continue
        digit = unicodedata.decimal(char, None)  # Arabic-Indic, full-width ... become 0-9
        if digit is not None:
            kept.append(str(digit))
        elif char.isascii() and char.isalpha():
            kept.append(char)
        else:
            raise PhoneNumberError(
                f"{_quote(text)} is not a phone number ({char!r} does not belong in one)",
                text=text,
            )
    body = "".join(kept)
    if not any(c.isdigit() for c in body):
        raise PhoneNumberError(f"{_quote(text)} is not a phone number: it has no digits", text=text)
    return _Spelling(plus, _letters_to_digits(body, text), formatted=not number.isdecimal())


def _from_tel_uri(uri: str, text: str) -> str:
    """The number of an RFC 3966 `tel:` URI, with a `+` phone-context applied."""
    number, *params = uri[4:].split(";")
    for param in params:
        name, _, value = param.partition("=")
        # A local number's context that is a number prefix makes it global;
        # a domain context says nothing about how to dial it from here.
        if name.strip().lower() == "phone-context" and value.strip()[:1] in _PLUS_SIGNS:
            if number.strip()[:1] in _PLUS_SIGNS:
                raise PhoneNumberError(
                    f"{_quote(text)} is not a valid tel: URI (a global number has no context)",
                    text=text,
                )
            return value.strip() + number
    return number


def _letters_to_digits(body: str, text: str) -> str:
    """Read letters off the keypad, but only in something that starts like a number."""
    if body.isdigit():
        return body
    if not body[:1].isdigit() or sum(c.isdigit() for c in body) < 3:
        raise PhoneNumberError(
            f"{_quote(text)} is not a phone number (letters are read off the keypad "
            "only after the digits they belong to, as in 1-800-FLOWERS)",
            text=text,
        )
    return str(phonenumbers.convert_alpha_characters_in_number(body))


# --- international and national readings ---------------------------------


def _international(digits: str, text: str) -> str:
    """Digits after a typed `+` or `00`, with a stray trunk prefix removed (+49 (0)30)."""
    return _e164_digits(_parse_international(digits, text))


def _parse_international(digits: str, text: str) -> phonenumbers.PhoneNumber:
    """libphonenumber's reading of `+digits`; refuses unknown country codes."""
    if not _ASCII_DIGITS.fullmatch(digits):
        raise PhoneNumberError(
            f"{_quote(text)} has no number after the international prefix", text=text
        )
    if len(digits) > MAX_DIGITS:
        raise _length_error(digits, text)
    try:
        return phonenumbers.parse("+" + digits, None)
    except NumberParseException as err:
        if err.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            raise PhoneNumberError(
                f"{_quote(text)} does not start with a country code in use", text=text
            ) from None
        raise _length_error(digits, text) from None


def _national(digits: str, region: str, text: str) -> str:
    """A number as dialled inside `region`.

    libphonenumber's reading is taken when it finds the number valid or saw
    an international prefix (011 in the US). Otherwise its guesses mangle
    numbers it does not know (it reads `1 123 456 7890` in the US as
    +1 234 567 890), so the trunk prefix is simply swapped for the country code.
    """
    try:
        parsed = phonenumbers.parse(digits, region, keep_raw_input=True)
    except NumberParseException:
        parsed = None
    if parsed is not None and (
        phonenumbers.is_valid_number(parsed)
        or parsed.country_code_source == CountryCodeSource.FROM_NUMBER_WITH_IDD
    ):
        return _e164_digits(parsed)
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:  # _region() admits only regions with metadata
        raise PhoneNumberError(f"No numbering plan known for region {region!r}", text=text)
    return f"{metadata.country_code}{_without_trunk_prefix(digits, metadata)}"


def _without_trunk_prefix(digits: str, metadata: PhoneMetadata) -> str:
    """The national number without its trunk prefix (0 in DE, 1 in the US).

    Kept when only the whole has a length the region uses: US area codes
    never start with 1, yet `123 456 7890` must stay ten digits.
    """
    trunk = metadata.national_prefix or ""
    if not trunk or not digits.startswith(trunk):
        return digits
    stripped = digits[len(trunk) :]
    lengths = metadata.general_desc.possible_length if metadata.general_desc else ()
    if lengths and len(digits) in lengths and len(stripped) not in lengths:
        return digits
    return stripped


def _e164_digits(parsed: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)).lstrip("+")


def _region(default_region: str | None, text: str) -> str | None:
    if default_region is None or not default_region.strip():
        return None
    region = default_region.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise PhoneNumberError(
            f"Unknown default region {default_region!r} for {_quote(text)}: "
            "use a two-letter country code such as DE or US",
            text=text,
        )
    return region


# --- messages --------------------------------------------------------------


def _length_error(digits: str, text: str) -> PhoneNumberError:
    if MIN_DIGITS <= len(digits) <= MAX_DIGITS:  # libphonenumber refused it otherwise
        return PhoneNumberError(f"{_quote(text)} is not a phone number", text=text)
    if len(digits) < MIN_DIGITS:
        return PhoneNumberError(
            f"{_quote(text)} is too short for a phone number "
            f"(at least {MIN_DIGITS} digits with the country code)",
            text=text,
        )
    return PhoneNumberError(
        f"{_quote(text)} is too long for a phone number "
        f"(at most {MAX_DIGITS} digits with the country code)",
        text=text,
    )


def _quote(text: str) -> str:
    shown = text.strip()
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return repr(shown)
