"""Fuzzing: mutated seed documents through `documents`, and hostile HTTP answers from a
real local server through every client method. Only TalketyError may come out.

Derandomized in CI (tests/conftest.py); each target's size is its own here, together
about two minutes on a CI machine.
"""

from __future__ import annotations

import asyncio
import contextlib

from hypothesis import HealthCheck, given, settings

from talkety_core import TalketyClient, TalketyError
from talkety_core import documents as docs
from talkety_core.errors import TalketyParseError

from .conftest import APP_KEY, PASSWORD, USERNAME
from .hostile import DIALS, READS
from .mutations import HostileAnswer, hostile_answer, mutated_seed, read_every_way
from .scripted import ScriptedServer


@settings(max_examples=3000)
@given(mutated_seed())
def test_mutated_seed_documents_only_ever_raise_parse_error(body: bytes) -> None:
    read_every_way(body)
    with contextlib.suppress(TalketyParseError):
        docs.read_error(docs.parse_body(body)[1])


async def _every_method_against(answer: HostileAnswer) -> None:
    server = ScriptedServer()
    await server.start()
    try:

        async def handler(_request: object) -> object:
            from aiohttp import web  # noqa: PLC0415

            server.answers.insert(0, handler)
            return web.Response(body=answer.body, status=answer.status, headers=answer.headers)

        server.answers.append(handler)
        async with TalketyClient(
            APP_KEY,
            USERNAME,
            PASSWORD,
            base_url=server.base_url,
            retries=0,
            reconcile_delays=(0.0,),
            timeout=5,
            max_retry_after=0.01,
        ) as client:
            for method in (*READS.values(), *DIALS.values()):
                with contextlib.suppress(TalketyError):
                    await method(client)
    finally:
        await server.stop()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_answer())
def test_hostile_answers_through_every_client_method(answer: HostileAnswer) -> None:
    asyncio.run(_every_method_against(answer))
