"""Runs the simulator in a child process, so benchmarks measure only the client."""

from __future__ import annotations

import asyncio
import socket
import sys
from types import TracebackType
from typing import Self

from bench import login

_SERVE = """
import asyncio, sys
from talkety_core.simulator import serve
host, port, user, password, key, speed = sys.argv[1:7]
asyncio.run(serve(host, int(port), user, password, key, float(speed)))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SimulatorProcess:
    username = login.USERNAME
    password = login.PASSWORD
    app_key = login.APP_KEY

    def __init__(self, speed: float = 1.0) -> None:
        self.port = free_port()
        self.speed = speed
        self.base_url = f"http://127.0.0.1:{self.port}/xml/v1"
        self._process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Self:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            _SERVE,
            "127.0.0.1",
            str(self.port),
            self.username,
            self.password,
            self.app_key,
            str(self.speed),
            stdout=asyncio.subprocess.DEVNULL,
        )
        for _ in range(200):  # up to 10 s for the child to listen
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return self
        raise RuntimeError("the simulator process did not start")

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            await self._process.wait()
