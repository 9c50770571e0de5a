"""Helpers shared by the simulator tests (a plain module, so it can be imported)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from talkety_core import basic_auth
from talkety_core.simulator import SimulatorServer

SEED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "seed"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_VENDOR_SLIP = re.compile(r"<(conference_(start|end|status))>([^<]*)</call_\2>")

Params = Mapping[str, str] | Sequence[tuple[str, str]] | None


@dataclass
class Answer:
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    @property
    def root(self) -> ET.Element:
        return ET.fromstring(self.body)

    def text(self, path: str) -> str | None:
        return self.root.findtext(path)

    @property
    def error_code(self) -> int:
        root = self.root
        assert root.tag == "error", self.body
        return int(root.findtext("code") or "0")

    @property
    def error_message(self) -> str:
        return self.root.findtext("message") or ""

    def call(self) -> dict[str, str]:
        """Children of a <call> as {tag: text}."""
        assert self.root.tag == "call", self.body
        return fields(self.root)


def fields(element: ET.Element) -> dict[str, str]:
    return {child.tag: child.text or "" for child in element}


class Api:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        server: SimulatorServer,
        auth: tuple[str, str] | None = None,
    ) -> None:
        self.session = session
        self.server = server
        sim = server.simulator
        self.auth = auth or (sim.username, sim.password)

    def url(self, action: str, app_key: str | None = None) -> str:
        key = self.server.simulator.app_key if app_key is None else app_key
        return f"{self.server.base_url}/{key}/{action}"

    async def get(self, action: str, params: Params = None, **kwargs: Any) -> Answer:
        return await self.request("GET", action, params=params, **kwargs)

    async def post(self, action: str, data: Params = None, **kwargs: Any) -> Answer:
        return await self.request("POST", action, data=data, **kwargs)

    async def request(
        self,
        method: str,
        action: str,
        *,
        app_key: str | None = None,
        auth: tuple[str, str] | None = None,
        **kwargs: Any,
    ) -> Answer:
        headers = {"Authorization": basic_auth.encode(*(auth or self.auth))}
        async with self.session.request(
            method, self.url(action, app_key), headers=headers, **kwargs
        ) as response:
            body = await response.read()
            return Answer(response.status, response.headers, body)

    # Shortcuts for the common actions.

    async def connect(self, src: str, dst: str, custom_data: str | None = None) -> str:
        params = {"src": src, "dst": dst}
        if custom_data is not None:
            params["custom_data"] = custom_data
        answer = await self.get("call_connect", params)
        assert answer.status == 200, answer.body
        return answer.text("call_id") or ""

    async def status(self, call_id: str) -> dict[str, str]:
        answer = await self.get("call_status", {"call_id": call_id})
        assert answer.status == 200, answer.body
        return answer.call()

    async def conference(self, src: str, *dsts: str, custom_data: str | None = None) -> str:
        params = [("src", src), *(("dst[]", d) for d in dsts)]
        if custom_data is not None:
            params.append(("custom_data", custom_data))
        answer = await self.get("conference_connect", params)
        assert answer.status == 200, answer.body
        return answer.text("conference_id") or ""

    async def conference_status(self, conference_id: str) -> ET.Element:
        answer = await self.get("conference_status", {"conference_id": conference_id})
        assert answer.status == 200, answer.body
        return answer.root

    async def list_ids(self, params: Params = None) -> list[str]:
        answer = await self.get("call_list", params)
        assert answer.status == 200, answer.body
        assert answer.root.tag == "calls"
        return [c.findtext("id") or "" for c in answer.root.findall("call")]


def money(text: str | None) -> Decimal:
    assert text is not None
    return Decimal(text)


def load_seed(name: str) -> ET.Element:
    """A seed example, read as a client must: the vendor's closing-tag slip mended."""
    text = (SEED_DIR / name).read_text(encoding="utf-8")
    return ET.fromstring(_VENDOR_SLIP.sub(r"<\1>\3</\1>", text).encode())


Shape = tuple[str, tuple[str, ...], tuple[Any, ...]]


def shape(element: ET.Element) -> Shape:
    """Tag, attribute names and children's shapes: a document without its values."""
    return element.tag, tuple(element.attrib), tuple(shape(child) for child in element)
