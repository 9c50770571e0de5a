"""Servers the benchmarks run in processes of their own (`bench.serve`), so that
their CPU is not counted against what is measured. Secrets go through the
environment, never the command line (which `ps` shows)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from types import TracebackType
from typing import Self

from bench import login


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """`python -m bench.serve KIND --port P ARGS...` until the `async with` ends."""

    def __init__(self, kind: str, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._argv = [sys.executable, "-m", "bench.serve", kind, "--port", str(self.port), *args]
        self._env = {**os.environ, **login.environ(), **(env or {})}
        self._process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Self:
        self._process = await asyncio.create_subprocess_exec(
            *self._argv, env=self._env, stdout=asyncio.subprocess.DEVNULL
        )
        for _ in range(400):  # up to 20 s for the child to listen
            if self._process.returncode is not None:
                raise RuntimeError(f"{self._argv[3]} exited with {self._process.returncode}")
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return self
        raise RuntimeError(f"{self._argv[3]} did not start")

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            try:
                async with asyncio.timeout(10):
                    await self._process.wait()
            except TimeoutError:
                self._process.kill()
                await self._process.wait()


class SimulatorProcess(ServerProcess):
    """The Talkety simulator, with the benchmarks' throwaway login."""

    username = login.USERNAME
    password = login.PASSWORD
    app_key = login.APP_KEY

    def __init__(self, speed: float = 1.0) -> None:
        super().__init__("simulator", "--speed", str(speed))
        self.base_url = f"{self.url}/xml/v1"
