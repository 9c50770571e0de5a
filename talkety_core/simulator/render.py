"""The XML documents the API answers with, printed like the vendor's samples:
one element per line, empty elements as `<x></x>`, double-quoted declaration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from ..models import FormattedNumber, PricedNumber
from .money import format_amount
from .rules import CALL_VIA, CONFERENCE_DST, CONFERENCE_DST_NAME
from .views import CallView, ConferenceView

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
CONTENT_TYPE = "text/xml; charset=utf-8"

# Anything XML 1.0 cannot carry (echoed user input) is replaced, never sent raw.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Element:
    tag: str
    text: str | None = None
    children: Sequence[Element] = ()
    attrs: Sequence[tuple[str, str]] = field(default_factory=tuple)


def to_bytes(root: Element) -> bytes:
    lines = [DECLARATION]
    _write(root, lines)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _write(element: Element, lines: list[str]) -> None:
    attrs = "".join(f' {name}="{_escape(value, attribute=True)}"' for name, value in element.attrs)
    if element.children:
        lines.append(f"<{element.tag}{attrs}>")
        for child in element.children:
            _write(child, lines)
        lines.append(f"</{element.tag}>")
    else:
        lines.append(f"<{element.tag}{attrs}>{_escape(element.text or '')}</{element.tag}>")


def _escape(text: str, *, attribute: bool = False) -> str:
    text = NOT_XML.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")  # parsers would turn a raw CR into LF
    if attribute:  # parsers normalise raw whitespace in attribute values
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


# -- documents -------------------------------------------------------------------


def success(key: str, value: int) -> Element:
    """`<success>` with `call_id` or `conference_id`."""
    return Element("success", children=[Element(key, str(value))])


def error(code: int, message: str) -> Element:
    return Element("error", children=[Element("code", str(code)), Element("message", message)])


def call(view: CallView) -> Element:
    """A call on its own (call_status, call_list): conference legs say whose they are."""
    children = _call_fields(view, with_via=True)
    if view.custom_data is not None:
        children.append(Element("custom_data", view.custom_data))
    if view.conference_id is not None:
        children.append(Element("conference_id", str(view.conference_id)))
    return Element("call", children=children, attrs=_owner_attr(view))


def calls(views: Iterable[CallView]) -> Element:
    return Element("calls", children=[call(v) for v in views])


def conference(view: ConferenceView) -> Element:
    children = [
        Element("id", str(view.id)),
        Element("conference_start", _time(view.start)),
        Element("conference_end", _time(view.end)),
        Element("conference_status", view.status.value),
        Element("conference_via", CALL_VIA),
        Element("dst", CONFERENCE_DST),
        Element("dst_name", CONFERENCE_DST_NAME),
        Element("src", view.src),
        Element("src_name", view.src_name),
        Element("duration", str(view.duration)),
        Element("total_costs", format_amount(view.total_costs)),
    ]
    if view.custom_data is not None:
        children.append(Element("custom_data", view.custom_data))
    # Legs inside a conference print as in the seed: no call_via, no custom_data
    # (the conference carries it), no conference_id (the parent says it).
    legs = [
        Element("call", children=_call_fields(leg, with_via=False), attrs=_owner_attr(leg))
        for leg in view.legs
    ]
    children.append(Element("calls", children=legs))
    return Element("conference", children=children)


def pricing(numbers: Sequence[PricedNumber]) -> Element:
    total = sum((n.cost for n in numbers if n.cost is not None), start=Decimal(0))
    return Element(
        "pricing",
        children=[
            Element("total_costs", format_amount(total)),
            Element("numbers", children=[_priced(n) for n in numbers]),
        ],
    )


def numbers(formatted: Sequence[FormattedNumber]) -> Element:
    return Element(
        "numbers",
        children=[
            Element(
                "number",
                n.number,
                attrs=(("input", n.input), ("valid", _bool(n.valid))),
            )
            for n in formatted
        ],
    )


def _priced(n: PricedNumber) -> Element:
    if n.cost is None:
        return Element("number", n.number, attrs=(("valid", "false"),))
    return Element("number", n.number, attrs=(("cost", format_amount(n.cost)), ("valid", "true")))


def _call_fields(view: CallView, *, with_via: bool) -> list[Element]:
    fields = [
        Element("id", str(view.id)),
        Element("call_start", _time(view.start)),
        Element("call_end", _time(view.end)),
        Element("call_status", view.status.value),
    ]
    if with_via:
        fields.append(Element("call_via", CALL_VIA))
    fields += [
        Element("dst", view.dst),
        Element("dst_name", view.dst_name),
        Element("src", view.src),
        Element("src_name", view.src_name),
        Element("duration", str(view.duration)),
        Element("total_costs", format_amount(view.total_costs)),
    ]
    return fields


def _owner_attr(view: CallView) -> tuple[tuple[str, str], ...]:
    return (("owner", "true"),) if view.owner else ()


def _time(moment: datetime | None) -> str:
    """`2007-02-26T23:54:28Z`; empty for "not yet"."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bool(value: bool) -> str:
    return "true" if value else "false"
