"""The newest Home Assistant, run here; `python -m devtools.ha.newest pytest [ARGS]` runs
tests/ha on it.

Home Assistant 2026.3 and later need Python 3.14.2 or newer. Where this machine has
one (GitHub's runners, after setup-python), TALKETY_TEST_NEWEST_PYTHON names it.
Elsewhere .ci/run makes a Debian testing root that has it (debootstrap) and names that
root in TALKETY_TEST_NEWEST_ROOT: programs then run chrooted into it, each in a mount
namespace of its own where /proc, /dev, /sys, /tmp, the checkout, the resolver's files
and the trust store are the host's, at the same paths. So a path means the same file
inside and out, the simulator outside is reached as `localhost`, and the mounts go away
with the program.

The tests/ha run uses the newest Home Assistant that has a
pytest-homeassistant-custom-component release (it lags Home Assistant's own releases),
in `.venv-newest-ha`, upgraded on every run.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
TEST_VENV = CHECKOUT / ".venv-newest-ha"
TEST_PLUGIN = "pytest-homeassistant-custom-component"
# What every Home Assistant install has besides Home Assistant: the requirements of the
# components default_config loads (HA OS and the container image come with them; some
# are imported whatever the configuration, e.g. by the action descriptions).
STOCK_COMPONENTS = ("default_config",)

_HOST_DIRS = ("/proc", "/dev", "/sys", "/tmp")  # noqa: S108  # /tmp: where tests make files
_HOST_FILES = ("/etc/hosts", "/etc/resolv.conf", "/etc/ssl/certs/ca-certificates.crt")
# $0 is the root, $1 the directory to start in, then the program; a missing mount point
# is made first (a file's, as an empty file).
_IN_ROOT = r"""
set -e
root=$0 start=$1; shift
for dir in $TALKETY_BIND_DIRS; do
  mkdir -p "$root$dir"; mount --rbind "$dir" "$root$dir"
done
for file in $TALKETY_BIND_FILES; do
  [ -e "$file" ] || continue
  mkdir -p "$(dirname "$root$file")"; [ -e "$root$file" ] || : >"$root$file"
  mount --bind "$file" "$root$file"
done
exec chroot "$root" /bin/sh -c 'cd "$0" && exec "$@"' "$start" "$@"
"""


@dataclass(frozen=True)
class NewestPython:
    """A Python the newest Home Assistant runs on: `python` here, or in `root`."""

    python: str
    root: Path | None = None

    @classmethod
    def from_environment(cls) -> NewestPython | None:
        python = os.environ.get("TALKETY_TEST_NEWEST_PYTHON")
        if not python:
            return None
        root = os.environ.get("TALKETY_TEST_NEWEST_ROOT")
        if root:
            return cls(python, Path(root))
        return cls(shutil.which(python) or python)

    def command(self, argv: Sequence[str], cwd: Path | None = None) -> list[str]:
        """`argv` as a command line of this machine: chrooted when there is a root."""
        if self.root is None:
            return list(argv)
        start = str(cwd or Path.cwd())
        return ["unshare", "--mount", "sh", "-c", _IN_ROOT, str(self.root), start, *argv]

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The environment `command` needs (which host paths the root sees)."""
        env = dict(os.environ if base is None else base)
        for name in ("TALKETY_TEST_NEWEST_PYTHON", "TALKETY_TEST_NEWEST_ROOT"):
            env.pop(name, None)  # inside, this Python is the newest: nothing to delegate to
        if self.root is not None:
            env["TALKETY_BIND_DIRS"] = " ".join((*_HOST_DIRS, str(CHECKOUT)))
            env["TALKETY_BIND_FILES"] = " ".join((*_HOST_FILES, "/etc/pip.conf"))
            env.pop("PIP_FIND_LINKS", None)  # a host folder the root does not have
        return env

    def program(self, path: Path, folder: Path) -> str:
        """A script in `folder` that runs the program at `path` as `command` would, for
        code that takes a program's path (it `exec`s all the way: signals reach it)."""
        if self.root is None:
            return str(path)
        env = self.environment({})
        exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
        script = folder / f"{path.name}-newest"
        command = shlex.join(self.command([str(path)], cwd=folder))
        script.write_text(f'#!/bin/sh\nexport {exports}\nexec {command} "$@"\n')
        script.chmod(0o755)
        return str(script)

    def run(self, argv: Sequence[str], cwd: Path | None = None) -> None:
        subprocess.run(  # noqa: S603
            self.command(argv, cwd), env=self.environment(), check=True, cwd=cwd
        )

    def make_venv(self, venv: Path, *requirements: str, upgrade: bool = False) -> Path:
        """A virtualenv at `venv` with `requirements` and the stock components' own;
        returns its Python's path (as `command` takes it)."""
        python = venv / "bin" / "python"
        if not python.exists():
            self.run([self.python, "-m", "venv", str(venv)])
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        self.run([*pip, *(["--upgrade"] if upgrade else []), *requirements], cwd=CHECKOUT)
        home_assistant = _site_packages(venv) / "homeassistant"
        constraints = home_assistant / "package_constraints.txt"
        stock = stock_requirements(home_assistant / "components", STOCK_COMPONENTS)
        self.run([*pip, "--constraint", str(constraints), *stock])
        return python

    def version(self, python: Path, distribution: str) -> str:
        code = f"import importlib.metadata as m; print(m.version({distribution!r}))"
        found = subprocess.run(  # noqa: S603
            self.command([str(python), "-c", code]),
            env=self.environment(),
            capture_output=True,
            text=True,
            check=True,
        )
        return found.stdout.strip()


def _site_packages(venv: Path) -> Path:
    [site] = venv.glob("lib/python3.*/site-packages")
    return site


def stock_requirements(components: Path, domains: Iterable[str]) -> list[str]:
    """The requirements of `domains` and every component they depend on, from the
    installed Home Assistant's manifests."""
    seen: set[str] = set()
    waiting = list(domains)
    requirements: set[str] = set()
    while waiting:
        domain = waiting.pop()
        if domain in seen:
            continue
        seen.add(domain)
        manifest = json.loads((components / domain / "manifest.json").read_text())
        waiting += manifest.get("dependencies", [])
        requirements.update(manifest.get("requirements", []))
    return sorted(requirements)


def run_tests(newest: NewestPython, pytest_args: Sequence[str]) -> int:
    """tests/ha on the newest Home Assistant the test plugin supports; pytest's status."""
    python = newest.make_venv(TEST_VENV, TEST_PLUGIN, "-e", ".[test]", upgrade=True)
    versions = {name: newest.version(python, name) for name in ("homeassistant", TEST_PLUGIN)}
    print(f"Home Assistant {versions['homeassistant']}, {TEST_PLUGIN} {versions[TEST_PLUGIN]}")
    sys.stdout.flush()
    command = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "tests/ha", *pytest_args]
    return subprocess.run(  # noqa: S603
        newest.command(command, CHECKOUT), env=newest.environment(), cwd=CHECKOUT, check=False
    ).returncode


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "pytest":
        print(__doc__)
        return 2
    newest = NewestPython.from_environment()
    if newest is None:
        print("TALKETY_TEST_NEWEST_PYTHON is not set (.ci/run sets it)", file=sys.stderr)
        return 2
    return run_tests(newest, args[1:])


if __name__ == "__main__":
    sys.exit(main())
