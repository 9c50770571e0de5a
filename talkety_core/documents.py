"""Reading Talkety's XML documents into models, and nothing else.

Every failure while reading a body becomes TalketyParseError, whatever the
bytes: callers never see expat, KeyError or decimal exceptions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import xmltodict

from .dial_token import split_custom_data
from .errors import TalketyParseError
from .models import Call, CallStatus, Conference, FormattedNumber, PricedNumber, Pricing

# call_list answers at most 1,000 calls of well under 1 KiB each.
MAX_BODY_BYTES = 4 * 1024 * 1024

# A dict lookup: calling the enum (and its _missing_) costs more, per call read.
_STATUSES = {status.value: status for status in CallStatus}
_ZERO = Decimal(0)

# The vendor's own conference sample closes <conference_start> with
# </call_start> (and likewise end and status). Only that slip is mended.
_VENDOR_SLIP = re.compile(rb"<(conference_(start|end|status))>([^<]*)</call_\2>")

T = TypeVar("T")

_ERROR_CODE = re.compile(r"-?[0-9]{1,9}")
# An amount no bill reaches in any currency, and longer text than the API's 5 decimals
# could need: beyond either, the document is not to be believed (nor formatted).
MAX_AMOUNT = Decimal(10) ** 9
_MAX_AMOUNT_TEXT = 24

# The fields calls and conferences share, in the order both declare them.
_Shared = tuple[
    str,  # id
    CallStatus,
    str,  # status_raw
    str,  # src
    str,  # dst
    datetime | None,  # start
    datetime | None,  # end
    str | None,  # via
    str | None,  # src_name
    str | None,  # dst_name
    int,  # duration
    Decimal,  # total_costs
    str | None,  # custom_data
]


def parse_body(body: bytes) -> tuple[str, Any]:
    """Return (root tag, content) of a body, mending only the vendor's known slip."""
    if len(body) > MAX_BODY_BYTES:
        raise TalketyParseError(f"response larger than {MAX_BODY_BYTES} bytes")
    # Exception, not expat's errors alone: a declared encoding Python does not know is a
    # LookupError, and whatever else odd bytes make the parser raise is ours to word.
    try:
        doc = _xml_to_dict(body)
    except Exception as err:
        mended = _VENDOR_SLIP.sub(rb"<\1>\3</\1>", body)
        if mended == body:
            raise TalketyParseError(f"response is not well-formed XML ({_reason(err)})") from None
        try:
            doc = _xml_to_dict(mended)
        except Exception as err2:
            raise TalketyParseError(f"response is not well-formed XML ({_reason(err2)})") from None
    if not isinstance(doc, dict) or len(doc) != 1:
        raise TalketyParseError("response has no single root element")
    ((root, content),) = doc.items()
    return str(root), content


def _xml_to_dict(body: bytes) -> Any:
    # disable_entities refuses DTD entities (billion laughs, external files);
    # strip_whitespace makes every text stripped, and None when empty (see _text).
    return xmltodict.parse(body, disable_entities=True, strip_whitespace=True)


def _reason(err: Exception) -> str:
    return str(err).splitlines()[0][:120] if str(err) else type(err).__name__


def read(root: str, content: Any, expected: str, reader: Callable[[Any], T]) -> T:
    """Apply `reader` to a document whose root must be `expected`."""
    if root != expected:
        raise TalketyParseError(f"expected <{expected}>, got <{root}>")
    try:
        return reader(content)
    except TalketyParseError:
        raise
    except Exception as err:
        raise TalketyParseError(f"unreadable <{expected}> document ({_reason(err)})") from None


def read_error(content: Any) -> tuple[int | None, str]:
    """(code, message) of an <error> document; tolerant of missing parts."""
    if not isinstance(content, dict):
        return None, _text(content) or "unknown error"
    try:
        code_text = _text(content.get("code"))
    except TalketyParseError:  # child elements where the code should be
        code_text = None
    # ASCII digits of a sane length only: "²".isdigit() is true, and int() refuses both
    # it and numbers of over 4,300 digits.
    code = int(code_text) if code_text and _ERROR_CODE.fullmatch(code_text) else None
    try:
        message = _text(content.get("message"))
    except TalketyParseError:
        message = None
    return code, message or "unknown error"


def read_success(content: Any, key: str) -> str:
    """The id inside a <success> document (`call_id` or `conference_id`)."""
    value = _text(_mapping(content).get(key))
    if not value:
        raise TalketyParseError(f"<success> without <{key}>")
    return value


def read_call(content: Any) -> Call:
    return _read_tagged_call(content)[0]


def _read_tagged_call(content: Any) -> tuple[Call, str | None]:
    """A call and the client's dial token from its custom_data (if any)."""
    d = _mapping(content)
    fields, token = _common_fields(d, _CALL_KEYS, "")
    owner = _text(_attr(d, "@owner")) == "true"
    return _new_call(fields, owner, _text(d.get("conference_id"))), token


def _new_call(shared: _Shared, owner: bool, conference_id: str | None) -> Call:
    """Call(*shared, owner=owner, conference_id=conference_id), at under half the cost.

    A frozen dataclass's __init__ sets each field through object.__setattr__;
    setting the slots directly is what a page of a thousand calls and every
    status poll want. Every field is set, so the result is an ordinary Call.
    """
    call = _new_instance(Call)
    (id_, status, raw, src, dst, start, end, via, src_name, dst_name, duration, costs, data) = (
        shared
    )
    _set_id(call, id_)
    _set_status(call, status)
    _set_status_raw(call, raw)
    _set_src(call, src)
    _set_dst(call, dst)
    _set_start(call, start)
    _set_end(call, end)
    _set_via(call, via)
    _set_src_name(call, src_name)
    _set_dst_name(call, dst_name)
    _set_duration(call, duration)
    _set_total_costs(call, costs)
    _set_custom_data(call, data)
    _set_owner(call, owner)
    _set_conference_id(call, conference_id)
    return call


def _slot_setter(name: str) -> Callable[[Call, Any], None]:
    setter: Callable[[Call, Any], None] = vars(Call)[name].__set__
    return setter


_new_instance = object.__new__
_set_id = _slot_setter("id")
_set_status = _slot_setter("status")
_set_status_raw = _slot_setter("status_raw")
_set_src = _slot_setter("src")
_set_dst = _slot_setter("dst")
_set_start = _slot_setter("start")
_set_end = _slot_setter("end")
_set_via = _slot_setter("via")
_set_src_name = _slot_setter("src_name")
_set_dst_name = _slot_setter("dst_name")
_set_duration = _slot_setter("duration")
_set_total_costs = _slot_setter("total_costs")
_set_custom_data = _slot_setter("custom_data")
_set_owner = _slot_setter("owner")
_set_conference_id = _slot_setter("conference_id")

# The elements named after the kind (status, start, end, via), spelled once, not per read.
_Keys = tuple[str, str, str, str]
_CALL_KEYS: _Keys = ("call_status", "call_start", "call_end", "call_via")
_CONFERENCE_KEYS: _Keys = (
    "conference_status",
    "conference_start",
    "conference_end",
    "conference_via",
)


def _common_fields(d: dict[str, Any], keys: _Keys, dst: str) -> tuple[_Shared, str | None]:
    """What calls and conferences share, in the order both models declare them
    (positional: a page reads a thousand). `keys` are the kind's own elements."""
    get = d.get
    status_key, start_key, end_key, via_key = keys
    custom_data, token = split_custom_data(_text(get("custom_data")))
    raw = _text(get(status_key)) or ""
    fields: _Shared = (
        _required(d, "id"),
        _STATUSES.get(raw, CallStatus.UNKNOWN),
        raw,
        _text(get("src")) or "",
        _text(get("dst")) or dst,
        _time(get(start_key)),
        _time(get(end_key)),
        _text(get(via_key)),
        _text(get("src_name")),
        _text(get("dst_name")),
        _int(get("duration")),
        _decimal(get("total_costs")) or _ZERO,
        custom_data,
    )
    return fields, token


def read_calls(content: Any) -> list[Call]:
    """A <calls> list; empty or absent means no calls."""
    return [call for call, _token in read_tagged_calls(content)]


def read_tagged_calls(content: Any) -> list[tuple[Call, str | None]]:
    """A <calls> list with each call's dial token, for reconciliation."""
    return [_read_tagged_call(c) for c in _as_list(_mapping(content).get("call"))]


def read_conference(content: Any) -> Conference:
    d = _mapping(content)
    fields, _token = _common_fields(d, _CONFERENCE_KEYS, "webconference")
    conference_id = fields[0]
    legs = tuple(
        _with_conference(read_call(c), conference_id)
        for c in _as_list(_mapping(d.get("calls")).get("call"))
        if isinstance(c, dict)  # the seed prints "..." between legs
    )
    return Conference(*fields, legs=legs)


def _with_conference(leg: Call, conference_id: str) -> Call:
    return leg if leg.conference_id == conference_id else replace(leg, conference_id=conference_id)


def read_pricing(content: Any) -> Pricing:
    d = _mapping(content)
    numbers = tuple(
        PricedNumber(
            number=_text(n) or "",
            valid=_text(_attr(n, "@valid")) == "true",
            cost=_decimal(_attr(n, "@cost")),
        )
        for n in _as_list(_mapping(d.get("numbers")).get("number"))
    )
    total = _decimal(d.get("total_costs"))
    if total is None:
        total = sum((n.cost for n in numbers if n.valid and n.cost is not None), Decimal(0))
    return Pricing(total_costs=total, numbers=numbers)


def read_numbers(content: Any) -> list[FormattedNumber]:
    return [
        FormattedNumber(
            input=_text(_attr(n, "@input")) or "",
            number=_text(n) or "",
            valid=_text(_attr(n, "@valid")) == "true",  # as in pricing: only a clear yes
        )
        for n in _as_list(_mapping(content).get("number"))
    ]


def _as_list(value: Any) -> list[Any]:
    """Repeated elements as a list, however many there are (xmltodict gives
    a list for two or more, the element itself for one, None for none)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _mapping(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TalketyParseError("expected child elements, got text")
    return value


def _attr(node: Any, name: str) -> Any:
    # xmltodict strips element text but not attribute values.
    value = node.get(name) if isinstance(node, dict) else None
    return value.strip() or None if isinstance(value, str) else value


def _text(value: Any) -> str | None:
    """Text of a leaf element (or of an element with attributes); None if empty."""
    if value.__class__ is str:  # already stripped and never empty: the common case first
        return value
    if isinstance(value, dict):
        value = value.get("#text")
    if value is None:
        return None
    if not isinstance(value, str):
        raise TalketyParseError("expected text, got child elements")
    return value.strip() or None


def _required(d: dict[str, Any], key: str) -> str:
    value = _text(d.get(key))
    if value is None:
        raise TalketyParseError(f"missing <{key}>")
    return value


def _int(value: Any) -> int:
    text = _text(value)
    return int(text) if text else 0


def _decimal(value: Any) -> Decimal | None:
    text = _text(value)
    if text is None:
        return None
    # The text's length first: it bounds the digits for free, before Decimal reads it.
    if len(text) > _MAX_AMOUNT_TEXT:
        raise TalketyParseError(f"not a plausible amount: {text[:40]!r}")
    number = Decimal(text)
    if not number.is_finite() or number < 0 or number >= MAX_AMOUNT:
        raise TalketyParseError(f"not a plausible amount: {text[:40]!r}")
    return number


def _time(value: Any) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    moment = datetime.fromisoformat(text)  # reads the trailing "Z" from Python 3.11 on
    if moment.tzinfo is None:  # the API speaks UTC even when it forgets to say so
        return moment.replace(tzinfo=UTC)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)
