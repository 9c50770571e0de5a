"""The client against the simulator over loopback: every action and error."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import aiohttp
import pytest
from aiohttp import web

from talkety_core import (
    Call,
    CallStatus,
    Conference,
    TalketyApiError,
    TalketyAppKeyError,
    TalketyAuthenticationError,
    TalketyCallNotFoundError,
    TalketyCallOutcomeUnknownError,
    TalketyClient,
    TalketyConferenceNotFoundError,
    TalketyConnectionError,
    TalketyDestinationBlockedError,
    TalketyError,
    TalketyInsufficientCreditError,
    TalketyInvalidNumberError,
    TalketyMalformedParameterError,
    TalketyMissingParameterError,
    TalketyNotActiveError,
    TalketyParseError,
    TalketyRateLimitError,
    TalketyServerError,
    TalketyTimeoutError,
    TalketyUnknownActionError,
    documents,
)
from talkety_core.actions import Action
from talkety_core.client import _iso, _retry_after
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

from .conftest import APP_KEY, PASSWORD, USERNAME
from .scripted import ScriptedServer
from .seed import seed

A = "11234567890"
B = "19876543210"
C = "4930123456"


async def test_seed_flow_price_connect_status_disconnect(
    client: TalketyClient, clock: ManualClock
) -> None:
    pricing = await client.pricing([A, B])
    assert pricing.total_costs == Decimal("0.0219")
    assert [(n.number, n.cost) for n in pricing.numbers] == [
        (A, Decimal("0.0105")),
        (B, Decimal("0.0114")),
    ]

    call_id = await client.call_connect(A, B)
    call = await client.call_status(call_id)
    assert (call.id, call.src, call.dst, call.status) == (call_id, A, B, CallStatus.CONNECTING)
    assert call.start is not None and call.start.tzinfo is not None

    clock.advance(60 * 60)
    call = await client.call_status(call_id)
    assert call.status is CallStatus.CONNECTED
    assert call.total_costs > 0
    assert call.total_costs == round(Decimal(call.duration) * Decimal("0.0219") / 60, 5)

    assert await client.call_disconnect(call_id) == call_id
    ended = await client.call_status(call_id)
    assert ended.status is CallStatus.DISCONNECTED
    assert ended.end is not None
    with pytest.raises(TalketyNotActiveError) as info:
        await client.call_disconnect(call_id)
    assert (info.value.code, info.value.action, info.value.http_status) == (
        142,
        "call_disconnect",
        409,
    )


async def test_custom_data_comes_back_untouched(client: TalketyClient) -> None:
    for custom in (None, "", "order 42: ring twice", "tky1:looks-like-ours"):
        call_id = await client.call_connect(A, B, custom_data=custom)
        assert (await client.call_status(call_id)).custom_data == custom
        (listed,) = [c for c in await client.call_list() if c.id == call_id]
        assert listed.custom_data == custom


async def test_call_list_filters_and_order(client: TalketyClient, clock: ManualClock) -> None:
    first = await client.call_connect(A, B)
    clock.advance(1)
    second = await client.call_connect(B, C)
    clock.advance(60)
    assert [c.id for c in await client.call_list()][:2] == [second, first]
    assert [c.id for c in await client.call_list(src=B)] == [second]
    assert [c.id for c in await client.call_list(dst=B)] == [first]
    assert [c.id for c in await client.call_list(limit=1, offset=1)] == [first]
    assert len(await client.call_list(status=CallStatus.CONNECTED)) == 2
    assert await client.call_list(status="busy") == []
    start = (await client.call_status(second)).start
    assert start is not None
    assert [c.id for c in await client.call_list(since=start)] == [second]
    assert [c.id for c in await client.call_list(until=start)] == [first]  # until is exclusive


async def test_conference_lifecycle(client: TalketyClient, clock: ManualClock) -> None:
    conference_id = await client.conference_connect(A, [B], custom_data="standup")
    clock.advance(30)
    await client.conference_add(conference_id, [C])
    clock.advance(30)
    conference = await client.conference_status(conference_id)
    assert conference.custom_data == "standup"
    assert conference.status is CallStatus.CONNECTED
    owner = conference.owner_leg
    assert owner is not None and owner.dst == A
    assert {leg.dst for leg in conference.legs} == {A, B, C}
    assert conference.total_costs == sum((leg.total_costs for leg in conference.legs), Decimal(0))

    # Hanging up one participant leaves the rest talking...
    other = next(leg for leg in conference.legs if leg.dst == B)
    await client.call_disconnect(other.id)
    assert (await client.conference_status(conference_id)).is_active
    # ...the owner's leg ends the conference.
    await client.call_disconnect(owner.id)
    ended = await client.conference_status(conference_id)
    assert not ended.is_active
    assert all(not leg.is_active for leg in ended.legs)
    with pytest.raises(TalketyNotActiveError):
        await client.conference_add(conference_id, [B])
    with pytest.raises(TalketyNotActiveError):
        await client.conference_disconnect(conference_id)


async def test_conference_disconnect_and_legs_in_call_list(client: TalketyClient) -> None:
    conference_id = await client.conference_connect(A, [B, C])
    legs = [c for c in await client.call_list() if c.conference_id == conference_id]
    assert sorted(leg.dst for leg in legs) == sorted([A, B, C])  # the owner's and two more
    assert [leg.dst for leg in legs if leg.owner] == [A]
    assert await client.conference_disconnect(conference_id) == conference_id
    assert not (await client.conference_status(conference_id)).is_active


async def test_number_format(client: TalketyClient) -> None:
    formatted = await client.number_format(["+1 (123) 456-7890", "0049 30 123456", "abc"])
    assert [(f.input, f.number, f.valid) for f in formatted][:2] == [
        ("+1 (123) 456-7890", A, True),
        ("0049 30 123456", C, True),
    ]
    assert not formatted[2].valid


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda c: c.call_connect("0123456789", B), TalketyInvalidNumberError, 130),
        (lambda c: c.call_connect(A, "882123456789"), TalketyDestinationBlockedError, 131),
        (lambda c: c.call_status("999999"), TalketyCallNotFoundError, 140),
        (lambda c: c.conference_status("999999"), TalketyConferenceNotFoundError, 141),
        (lambda c: c.call_status("not-a-number"), TalketyMalformedParameterError, 121),
        (lambda c: c.call_list(limit=5000), TalketyMalformedParameterError, 121),
        (lambda c: c.conference_connect(A, []), TalketyMissingParameterError, 120),
    ],
)
async def test_api_errors_map_to_their_classes(
    client: TalketyClient, call: object, error: type[TalketyApiError], code: int
) -> None:
    with pytest.raises(error) as info:
        await call(client)  # type: ignore[operator]
    assert info.value.code == code
    assert str(code) in str(info.value)


async def test_bad_credentials_and_app_key(server: SimulatorServer) -> None:
    async with TalketyClient(APP_KEY, USERNAME, "wrong", base_url=server.base_url) as api:
        with pytest.raises(TalketyAuthenticationError) as info:
            await api.pricing([A])
    assert (info.value.code, info.value.http_status) == (100, 401)
    assert not isinstance(info.value, TalketyAppKeyError)
    async with TalketyClient("nope", USERNAME, PASSWORD, base_url=server.base_url) as api:
        with pytest.raises(TalketyAppKeyError) as info:
            await api.pricing([A])
    assert (info.value.code, info.value.http_status) == (101, 403)


async def test_unknown_action(client: TalketyClient) -> None:
    with pytest.raises(TalketyUnknownActionError):
        await client._request("call_teleport", [])  # type: ignore[arg-type]


async def test_insufficient_credit(clock: ManualClock) -> None:
    sim = Simulator(
        username=USERNAME, password=PASSWORD, app_key=APP_KEY, clock=clock, credit=Decimal(0)
    )
    async with (
        SimulatorServer(sim) as server,
        TalketyClient(APP_KEY, USERNAME, PASSWORD, base_url=server.base_url) as api,
    ):
        with pytest.raises(TalketyInsufficientCreditError) as info:
            await api.call_connect(A, B)
    assert info.value.http_status == 402
    assert sim.requests_by_action["call_connect"] == 1


async def test_rate_limit_is_honoured_then_succeeds(clock: ManualClock) -> None:
    sim = Simulator(
        username=USERNAME, password=PASSWORD, app_key=APP_KEY, clock=clock, rate_limit=(1.0, 1)
    )
    slept: list[float] = []
    async with (
        SimulatorServer(sim) as server,
        TalketyClient(APP_KEY, USERNAME, PASSWORD, base_url=server.base_url) as api,
    ):

        async def fake_sleep(seconds: float) -> None:
            slept.append(seconds)
            clock.advance(seconds)

        api._sleep = fake_sleep
        await api.pricing([A])
        assert (await api.pricing([B])).total_costs == Decimal("0.0114")
        assert slept and slept[0] >= 1  # Retry-After, not a blind backoff
        # Dialling after a 429 is safe to resend: the API refused it outright.
        call_id = await api.call_connect(A, B)
        assert [c.id for c in await api.call_list()] == [call_id]

        api.retries = 0  # the clock has not moved since call_list: the bucket is empty
        with pytest.raises(TalketyRateLimitError) as info:
            await api.pricing([A])
        assert info.value.retry_after is not None and info.value.retry_after >= 1


async def test_read_actions_retry_transient_failures(client: TalketyClient, sim: Simulator) -> None:
    call_id = await client.call_connect(A, B)
    sim.faults.fail_next(Action.CALL_STATUS, status=500, count=2)
    assert (await client.call_status(call_id)).id == call_id
    assert sim.requests_by_action["call_status"] == 3

    sim.faults.fail_next(Action.CALL_STATUS, status=500, count=10)
    with pytest.raises(TalketyServerError):
        await client.call_status(call_id)
    assert sim.requests_by_action["call_status"] == 3 + 4  # 1 + retries

    sim.faults.drop_before_effect(Action.CALL_LIST)
    sim.faults.malformed_next(Action.CALL_LIST)
    assert [c.id for c in await client.call_list()] == [call_id]


async def test_hang_up_retries_like_a_read(client: TalketyClient, sim: Simulator) -> None:
    call_id = await client.call_connect(A, B)
    sim.faults.fail_next(Action.CALL_DISCONNECT, status=500)
    assert await client.call_disconnect(call_id) == call_id


# --- no double dialling ---------------------------------------------------


async def test_dropped_after_dialling_is_reconciled_not_redialled(
    client: TalketyClient, sim: Simulator
) -> None:
    sim.faults.drop_after_effect(Action.CALL_CONNECT)
    call_id = await client.call_connect(A, B, custom_data="mine")
    calls = await client.call_list()
    assert [c.id for c in calls] == [call_id]  # placed exactly once
    assert calls[0].custom_data == "mine"
    assert sim.requests_by_action["call_connect"] == 1


async def test_unreadable_answer_to_a_dial_is_reconciled(
    client: TalketyClient, sim: Simulator
) -> None:
    sim.faults.malformed_next(Action.CALL_CONNECT)
    call_id = await client.call_connect(A, B)
    assert [c.id for c in await client.call_list()] == [call_id]


async def test_dial_that_never_took_effect_is_reported_unknown_not_resent(
    client: TalketyClient, sim: Simulator
) -> None:
    client.reconcile_delays = (0.0, 0.0)
    for fault in (sim.faults.drop_before_effect, sim.faults.fail_next):
        fault(Action.CALL_CONNECT)
        with pytest.raises(TalketyCallOutcomeUnknownError) as info:
            await client.call_connect(A, B)
        assert "may or may not have been placed" in str(info.value)
    assert sim.requests_by_action["call_connect"] == 2  # once per attempt, never resent
    assert await client.call_list() == []


async def test_timeout_after_sending_a_dial_is_reconciled(
    client: TalketyClient, sim: Simulator
) -> None:
    client.timeout = 0.5
    client.reconcile_delays = (0.0,)
    sim.faults.hold(Action.CALL_CONNECT)  # dialled, and the answer never comes in time
    call_id = await client.call_connect(A, B)
    sim.faults.release()
    assert [c.id for c in await client.call_list()] == [call_id]
    assert sim.requests_by_action["call_connect"] == 1


async def test_timeout_with_a_failing_lookup_is_unknown(
    client: TalketyClient, sim: Simulator
) -> None:
    client.timeout = 0.5
    client.retries = 0
    client.reconcile_delays = (0.0,)
    sim.faults.hold(Action.CALL_CONNECT)
    sim.faults.fail_next(Action.CALL_LIST)
    with pytest.raises(TalketyCallOutcomeUnknownError, match="lookup that should tell failed"):
        await client.call_connect(A, B)
    sim.faults.release()
    (placed,) = await client.call_list()
    assert placed.src == A
    assert sim.requests_by_action["call_connect"] == 1


async def test_conference_connect_dropped_is_reconciled(
    client: TalketyClient, sim: Simulator
) -> None:
    sim.faults.drop_after_effect(Action.CONFERENCE_CONNECT)
    conference_id = await client.conference_connect(A, [B, C], custom_data="all hands")
    conference = await client.conference_status(conference_id)
    assert conference.custom_data == "all hands"
    assert sim.requests_by_action["conference_connect"] == 1


async def test_conference_add_dropped_is_reconciled(
    client: TalketyClient, sim: Simulator, clock: ManualClock
) -> None:
    conference_id = await client.conference_connect(A, [B])
    clock.advance(30)
    sim.faults.drop_after_effect(Action.CONFERENCE_ADD)
    assert await client.conference_add(conference_id, [C]) == conference_id
    conference = await client.conference_status(conference_id)
    assert [leg.dst for leg in conference.legs].count(C) == 1
    assert sim.requests_by_action["conference_add"] == 1

    client.reconcile_delays = (0.0,)
    sim.faults.drop_before_effect(Action.CONFERENCE_ADD)
    with pytest.raises(TalketyCallOutcomeUnknownError):
        await client.conference_add(conference_id, [C])


async def test_dial_is_resent_only_when_the_connection_never_opened(
    scripted: ScriptedServer,
) -> None:
    port = scripted.port
    await scripted.stop()  # nothing listens: connect fails before sending
    revived = ScriptedServer()
    attempts: list[float] = []

    async def revive(seconds: float) -> None:
        attempts.append(seconds)
        if len(attempts) == 2:
            await revived.start(port)
            revived.answer("<success><call_id>77</call_id></success>")

    async with TalketyClient(APP_KEY, USERNAME, PASSWORD, base_url=scripted.base_url) as api:
        api._sleep = revive
        try:
            assert await api.call_connect(A, B) == "77"
        finally:
            await revived.stop()
    assert len(revived.requests) == 1
    assert len(attempts) == 2


async def test_connection_refused_becomes_connection_error(scripted: ScriptedServer) -> None:
    await scripted.stop()
    async with TalketyClient(
        APP_KEY, USERNAME, PASSWORD, base_url=scripted.base_url, retries=1, backoff=0.001
    ) as api:
        with pytest.raises(TalketyConnectionError) as info:
            await api.pricing([A])
    assert type(info.value) is TalketyConnectionError
    assert APP_KEY not in str(info.value)


# --- answers the simulator never gives --------------------------------------


async def test_seed_conference_served_verbatim(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    scripted.answer(seed("conference.xml"))
    conference = await scripted_client.conference_status("263")
    assert conference.id == "263"
    method, path, params = scripted.requests[0]
    assert (method, path, params) == (
        "GET",
        f"/xml/v1/{APP_KEY}/conference_status",
        {"conference_id": "263"},
    )


async def test_read_parameters_reach_the_server_exactly(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    # The client encodes queries itself: whatever needs quoting must still
    # arrive as sent, and repeated names stay repeated and in order.
    seen: list[list[tuple[str, str]]] = []

    async def record(request: web.Request) -> web.StreamResponse:
        seen.append(list(request.query.items()))
        return web.Response(text="<calls></calls>")

    scripted.answers.append(record)
    since = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    await scripted_client.call_list(src="+49 30 1234", dst="Zürich&x=1", since=since, limit=5)
    assert seen[0] == [
        ("src", "+49 30 1234"),
        ("dst", "Zürich&x=1"),
        ("since", "2026-03-01T09:30:00Z"),
        ("limit", "5"),
    ]

    async def record_pricing(request: web.Request) -> web.StreamResponse:
        seen.append(list(request.query.items()))
        return web.Response(text="<pricing><total_costs>0</total_costs></pricing>")

    scripted.answers.append(record_pricing)
    await scripted_client.pricing(["123", "4 5", "123"])
    assert seen[1] == [("number[]", "123"), ("number[]", "4 5"), ("number[]", "123")]


async def test_writes_are_posted_as_forms(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    scripted.answer("<success><conference_id>5</conference_id></success>")
    await scripted_client.conference_connect(A, [B, C])
    method, path, params = scripted.requests[0]
    assert method == "POST"
    assert path.endswith("/conference_connect")
    assert params["src"] == A
    assert params["custom_data"].startswith("tky1:")


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "code"),
    [
        (
            400,
            "<error><code>999</code><message>new in v2</message></error>",
            {},
            TalketyApiError,
            999,
        ),
        (
            200,
            "<error><code>140</code><message>gone</message></error>",
            {},
            TalketyCallNotFoundError,
            140,
        ),
        (502, "<html>Bad gateway</html>", {}, TalketyServerError, None),
        (401, "<html>login</html>", {}, TalketyAuthenticationError, None),
        (418, "<html>teapot</html>", {}, TalketyApiError, None),
        (404, "<call><id>1</id></call>", {}, TalketyApiError, None),
        (
            429,
            "<error><code>160</code><message>slow down</message></error>",
            {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
            TalketyRateLimitError,
            160,
        ),
    ],
)
async def test_odd_answers(
    scripted: ScriptedServer,
    scripted_client: TalketyClient,
    status: int,
    body: str,
    headers: dict[str, str],
    error: type[TalketyError],
    code: int | None,
) -> None:
    scripted.answer(body, status=status, headers=headers)
    with pytest.raises(error) as info:
        await scripted_client.call_status("1")
    assert type(info.value) is error
    assert getattr(info.value, "code", None) == code
    if isinstance(info.value, TalketyRateLimitError):
        assert info.value.retry_after == 0.0  # a date in the past


async def test_wrong_document_and_garbage_are_parse_errors(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    scripted.answer("<pricing><total_costs>1</total_costs></pricing>")
    with pytest.raises(TalketyParseError, match="expected <call>"):
        await scripted_client.call_status("1")
    scripted.answer(b"\x00\xff garbage")
    with pytest.raises(TalketyParseError):
        await scripted_client.call_status("1")


async def test_slow_read_times_out(scripted: ScriptedServer) -> None:
    scripted.stall(2)
    async with TalketyClient(
        APP_KEY, USERNAME, PASSWORD, base_url=scripted.base_url, timeout=0.2, retries=0
    ) as api:
        with pytest.raises(TalketyTimeoutError):
            await api.pricing([A])


# --- secrets and sessions ---------------------------------------------------


async def test_secrets_never_reach_logs_reprs_or_errors(
    client: TalketyClient, sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client.reconcile_delays = (0.0,)
    errors: list[BaseException] = []
    sim.faults.drop_before_effect(Action.CALL_CONNECT)
    sim.faults.fail_next(Action.PRICING, count=10)
    for attempt in (client.call_connect(A, B), client.pricing([A]), client.call_status("x")):
        try:
            await attempt
        except TalketyError as err:
            errors.append(err)
    assert len(errors) == 3
    text = caplog.text + repr(client) + "".join(f"{e!s}{e!r}" for e in errors)
    assert PASSWORD not in text
    assert APP_KEY not in text
    # No chained aiohttp exception (whose text has the URL) rides along.
    assert all(
        e.__cause__ is None and (e.__context__ is None or e.__suppress_context__) for e in errors
    )


async def test_injected_session_is_left_open(server: SimulatorServer) -> None:
    async with aiohttp.ClientSession() as session:
        async with TalketyClient(
            APP_KEY, USERNAME, PASSWORD, base_url=server.base_url, session=session
        ) as api:
            await api.pricing([A])
        assert not session.closed
    own = TalketyClient(APP_KEY, USERNAME, PASSWORD, base_url=server.base_url)
    await own.pricing([A])
    session = own._session
    await own.close()
    assert session is not None and session.closed


async def test_dial_answered_with_the_wrong_document_is_reconciled(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    scripted.answer("<pricing><total_costs>0</total_costs></pricing>")

    async def listing(request: web.Request) -> web.StreamResponse:
        # The dial's token as the API would store it.
        token = scripted.requests[0][2]["custom_data"]
        return web.Response(
            text=f"<calls><call><id>9</id><call_status>connecting</call_status>"
            f"<custom_data>{token}</custom_data></call></calls>"
        )

    scripted.answers.append(listing)
    assert await scripted_client.call_connect(A, B) == "9"
    assert [r[1].rsplit("/", 1)[1] for r in scripted.requests] == ["call_connect", "call_list"]
    assert scripted.requests[1][2]["src"] == A


async def test_conference_found_without_its_id_is_reported_with_its_legs(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    scripted.answer("", status=503)

    async def listing(request: web.Request) -> web.StreamResponse:
        token = scripted.requests[0][2]["custom_data"]
        return web.Response(
            text=f"<calls><call><id>31</id><call_status>connecting</call_status>"
            f"<custom_data>{token}</custom_data></call></calls>"
        )

    scripted.answers.append(listing)
    with pytest.raises(TalketyCallOutcomeUnknownError) as info:
        await scripted_client.conference_connect(A, [B])
    assert info.value.leg_ids == ("31",)
    assert "owner leg" in str(info.value)


def test_retry_after_and_timestamp_edge_cases() -> None:
    assert _retry_after(None) is None
    assert _retry_after("soon") is None
    assert _retry_after("-3") == 0.0
    assert _retry_after("2.5") == 2.5
    assert _retry_after("Wed, 21 Oct 2099 07:28:00") > 0  # type: ignore[operator]
    with pytest.raises(ValueError, match="aware"):
        _iso(datetime(2026, 1, 1))


async def test_hang_up_whose_answer_was_lost_is_still_a_success(
    client: TalketyClient, sim: Simulator
) -> None:
    call_id = await client.call_connect(A, B)
    sim.faults.drop_after_effect(Action.CALL_DISCONNECT)
    assert await client.call_disconnect(call_id) == call_id  # the retry meets "not active"
    conference_id = await client.conference_connect(A, [B])
    sim.faults.drop_after_effect(Action.CONFERENCE_DISCONNECT)
    assert await client.conference_disconnect(conference_id) == conference_id
    with pytest.raises(TalketyNotActiveError):  # without a lost answer, 142 is news
        await client.conference_disconnect(conference_id)


async def test_bodies_without_length_are_read_whole_and_capped(
    scripted: ScriptedServer, scripted_client: TalketyClient
) -> None:
    calls = "".join(
        f"<call><id>{i}</id><call_status>connected</call_status></call>" for i in range(2000)
    )
    scripted.answer_chunked(f"<calls>{calls}</calls>".encode())
    assert len(await scripted_client.call_list(limit=1000)) == 2000  # many chunks, all read
    scripted.answer_chunked(
        b"<calls>" + b" " * (documents.MAX_BODY_BYTES + 10) + b"</calls>", 65536
    )
    with pytest.raises(TalketyParseError, match="larger than"):
        await scripted_client.call_list()
    scripted.answer(b"<calls>" + b" " * (documents.MAX_BODY_BYTES + 10) + b"</calls>")
    with pytest.raises(TalketyParseError, match="larger than"):
        await scripted_client.call_list()


# --- finding a dial by its tag -----------------------------------------------


async def test_find_dial_by_the_callers_tag(
    client: TalketyClient, sim: Simulator, clock: ManualClock
) -> None:
    """What an app that outlives the client (the Slack app after a restart) looks up."""
    start = clock.now()
    older = await client.call_connect(A, B, custom_data="slack:T1:42")
    clock.advance(30 * 60)
    newer = await client.call_connect(A, B, custom_data="slack:T1:42")
    await client.call_connect(A, B, custom_data="slack:T1:43")  # another dial
    await client.call_connect(B, A, custom_data="slack:T1:42")  # from another number
    found = await client.find_dial(A, "slack:T1:42", since=clock.now())
    assert [c.id for c in found] == [newer]  # 30 min back is past the clock-skew margin
    found = await client.find_dial(A, "slack:T1:42", since=start + timedelta(minutes=5))
    assert [c.id for c in found] == [newer, older]  # newest first; 5 min is within it
    assert await client.find_dial(A, "slack:T1:99", since=start) == []
    assert sim.requests_by_action["call_list"] == 3  # one page per lookup


async def test_find_dial_finds_a_conferences_legs(client: TalketyClient) -> None:
    conference_id = await client.conference_connect(A, [B, C], custom_data="tag-7")
    legs = await client.find_dial(A, "tag-7", since=datetime.now(UTC))
    assert {leg.conference_id for leg in legs} == {conference_id}
    assert len(legs) == 3  # the owner and both participants


async def test_status_and_hang_up_of_either_kind(client: TalketyClient) -> None:
    call_id = await client.call_connect(A, B)
    conference_id = await client.conference_connect(A, [B, C])
    call = await client.status(call_id, conference=False)
    conference = await client.status(conference_id, conference=True)
    assert (call.id, isinstance(call, Call)) == (call_id, True)
    assert (conference.id, isinstance(conference, Conference)) == (conference_id, True)
    assert await client.hang_up(call_id, conference=False) == call_id
    assert await client.hang_up(conference_id, conference=True) == conference_id
    assert not (await client.status(call_id, conference=False)).is_active
    assert not (await client.status(conference_id, conference=True)).is_active


async def test_conference_connect_timeout_after_sending_is_reconciled(
    client: TalketyClient, sim: Simulator
) -> None:
    client.timeout = 0.5
    client.reconcile_delays = (0.0,)
    sim.faults.hold(Action.CONFERENCE_CONNECT)
    conference_id = await client.conference_connect(A, [B, C], custom_data="mine")
    conference = await client.conference_status(conference_id)
    assert conference.custom_data == "mine"
    assert sim.requests_by_action["conference_connect"] == 1


@pytest.mark.parametrize("fault", ["timeout", "server_error"])
async def test_conference_add_ambiguous_failures_are_reconciled(
    client: TalketyClient, sim: Simulator, clock: ManualClock, fault: str
) -> None:
    """A timeout after sending, or a 5xx, is never answered by adding again."""
    conference_id = await client.conference_connect(A, [B])
    clock.advance(30)
    client.reconcile_delays = (0.0,)
    if fault == "timeout":
        client.timeout = 0.5
        sim.faults.hold(Action.CONFERENCE_ADD)
        assert await client.conference_add(conference_id, [C]) == conference_id
    else:
        sim.faults.fail_next(Action.CONFERENCE_ADD, status=502)
        with pytest.raises(TalketyCallOutcomeUnknownError):
            await client.conference_add(conference_id, [C])
    legs = [leg.dst for leg in (await client.conference_status(conference_id)).legs]
    assert legs.count(C) == (1 if fault == "timeout" else 0)
    assert sim.requests_by_action["conference_add"] == 1


async def test_a_dial_that_never_got_a_connection_is_not_called_ambiguous(
    server: SimulatorServer, sim: Simulator
) -> None:
    """The only pooled connection is busy past the connect timeout: the dial was never
    written, so it may be tried again, and the caller is told it was not placed."""
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector) as session:
        client = TalketyClient(
            APP_KEY,
            USERNAME,
            PASSWORD,
            base_url=server.base_url,
            session=session,
            timeout=5,
            connect_timeout=0.2,
            retries=1,
            backoff=0.01,
        )
        sim.faults.hold(Action.CALL_LIST)
        busy = asyncio.create_task(client.call_list())  # holds the one connection
        async with asyncio.timeout(5):
            while not sim.requests_by_action["call_list"]:  # noqa: ASYNC110 - the server's count
                await asyncio.sleep(0.01)
        with pytest.raises(TalketyConnectionError, match="cannot connect") as info:
            await client.call_connect(A, B)
        assert not isinstance(info.value, TalketyCallOutcomeUnknownError)
        assert sim.requests_by_action["call_connect"] == 0  # never sent, so never placed
        sim.faults.release()
        await busy
        assert await client.call_connect(A, B)  # the pool is free again: dialled once
        assert sim.requests_by_action["call_connect"] == 1
