"""Servers reached by host name, as real users reach them: through the resolver.

A test can give a process it starts extra names in the resolver's hosts file. The
process runs in a mount namespace of its own, with a copy of /etc/hosts bound over
the real one, so the machine's own file is never touched. Where namespaces are not
allowed (no root, no `unshare`), tests that need this are skipped; `localhost`
needs nothing and always runs.
"""

from __future__ import annotations

import functools
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from yarl import URL

# A reserved test name (RFC 6761): it can only ever mean what this hosts file says.
TEST_HOST = "talkety-sim.test"

_BIND_HOSTS = 'mount --bind "$0" /etc/hosts && exec "$@"'


def by_name(url: str, host: str = "localhost") -> str:
    """`url` with its host (a loopback address, or another name for it) replaced."""
    return str(URL(url).with_host(host))


@functools.cache
def hosts_file_allowed() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = [unshare, "--mount", "sh", "-c", "mount --bind /etc/hosts /etc/hosts"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def with_hosts(argv: Sequence[str], folder: Path, names: Sequence[str] = (TEST_HOST,)) -> list[str]:
    """`argv` run with `names` resolving to 127.0.0.1 (skips the test where it cannot)."""
    if not hosts_file_allowed():
        pytest.skip("this machine cannot give a process a hosts file of its own")
    hosts = folder / "hosts"
    extra = "".join(f"127.0.0.1 {name}\n" for name in names)
    hosts.write_text(Path("/etc/hosts").read_text() + "\n" + extra)
    return ["unshare", "--mount", "sh", "-c", _BIND_HOSTS, str(hosts), *argv]


def executable_with_hosts(
    executable: str, folder: Path, names: Sequence[str] = (TEST_HOST,)
) -> str:
    """A script that runs `executable` with `names` in its hosts file: for code that takes
    a program's path (the process is the program itself: `exec` all the way)."""
    script = folder / f"{Path(executable).name}-with-hosts"
    command = shlex.join(with_hosts([executable], folder, names))
    script.write_text(f'#!/bin/sh\nexec {command} "$@"\n')
    script.chmod(0o755)
    return str(script)
