"""One function per API action: read the parameters, ask the engine, build the answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from ..actions import Action
from . import render
from .engine import Engine
from .params import Params
from .render import Element
from .rules import CALL_LIST_DEFAULT_LIMIT, CALL_LIST_MAX_LIMIT
from .views import CallQuery

Handler = Callable[[Engine, Params, datetime], Element]


def call_connect(engine: Engine, p: Params, now: datetime) -> Element:
    src, dst, custom_data = p.required("src"), p.required("dst"), p.custom_data()
    return render.success("call_id", engine.call_connect(src, dst, custom_data, now))


def call_disconnect(engine: Engine, p: Params, now: datetime) -> Element:
    return render.success("call_id", engine.call_disconnect(p.identifier("call_id"), now))


def call_status(engine: Engine, p: Params, now: datetime) -> Element:
    return render.call(engine.call_status(p.identifier("call_id"), now))


def call_list(engine: Engine, p: Params, now: datetime) -> Element:
    query = CallQuery(
        status=p.status("call_status"),
        src=p.optional("src"),
        dst=p.optional("dst"),
        since=p.timestamp("since"),
        until=p.timestamp("until"),
        limit=p.integer(
            "limit", default=CALL_LIST_DEFAULT_LIMIT, minimum=1, maximum=CALL_LIST_MAX_LIMIT
        ),
        offset=p.integer("offset", default=0, minimum=0, maximum=None),
    )
    return render.calls(engine.call_list(query, now))


def conference_connect(engine: Engine, p: Params, now: datetime) -> Element:
    src, dsts, custom_data = p.required("src"), p.required_list("dst[]"), p.custom_data()
    return render.success("conference_id", engine.conference_connect(src, dsts, custom_data, now))


def conference_add(engine: Engine, p: Params, now: datetime) -> Element:
    conference_id, dsts = p.identifier("conference_id"), p.required_list("dst[]")
    return render.success("conference_id", engine.conference_add(conference_id, dsts, now))


def conference_disconnect(engine: Engine, p: Params, now: datetime) -> Element:
    conference_id = engine.conference_disconnect(p.identifier("conference_id"), now)
    return render.success("conference_id", conference_id)


def conference_status(engine: Engine, p: Params, now: datetime) -> Element:
    return render.conference(engine.conference_status(p.identifier("conference_id"), now))


def number_format(engine: Engine, p: Params, now: datetime) -> Element:
    return render.numbers(engine.number_format(p.required_list("number[]")))


def pricing(engine: Engine, p: Params, now: datetime) -> Element:
    return render.pricing(engine.pricing(p.required_list("number[]")))


HANDLERS: Mapping[str, Handler] = {
    Action.CALL_CONNECT: call_connect,
    Action.CALL_DISCONNECT: call_disconnect,
    Action.CALL_LIST: call_list,
    Action.CALL_STATUS: call_status,
    Action.CONFERENCE_ADD: conference_add,
    Action.CONFERENCE_CONNECT: conference_connect,
    Action.CONFERENCE_DISCONNECT: conference_disconnect,
    Action.CONFERENCE_STATUS: conference_status,
    Action.NUMBER_FORMAT: number_format,
    Action.PRICING: pricing,
}
