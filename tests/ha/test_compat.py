"""devtools.ha.compat: each kind of break it must catch, on a small made-up Home Assistant."""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path

import pytest

from devtools.ha import compat
from ha_integration import INTEGRATION_DIR

HOME_ASSISTANT = {
    "homeassistant/__init__.py": "",
    "homeassistant/const.py": """
        from enum import StrEnum
        from .helpers.deprecation import DeprecatedConstant
        CONF_NAME = "name"
        _DEPRECATED_CONF_OLD = DeprecatedConstant("old", "CONF_NAME", "2027.1")
        OLD_ALIAS = DeprecatedConstant("x", "CONF_NAME", "2027.1")
        type Callback = object
    """,
    "homeassistant/helpers/__init__.py": "",
    "homeassistant/helpers/deprecation.py": """
        def deprecated_function(replacement): ...
        class DeprecatedConstant: ...
    """,
    "homeassistant/helpers/frame.py": "def report_usage(what): ...",
    "homeassistant/helpers/things.py": """
        from .deprecation import deprecated_function
        from .frame import report_usage
        from .base import Base as Base

        @deprecated_function("new")
        def old_helper(): ...

        def reports_always():
            report_usage("is old")

        def fine(): ...

        class Thing(Base):
            def __init__(self, entry=None):
                if entry is None:
                    report_usage("needs an entry")

            def gone_method(self):
                report_usage("is old")

            def sometimes(self, flag):
                try:
                    pass
                except ValueError, TypeError:  # Python 3.14 syntax
                    pass
                if flag:
                    report_usage("flag is old")
    """,
    "homeassistant/helpers/base.py": """
        from .frame import report_usage
        class Base:
            def inherited(self):
                report_usage("is old")
    """,
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _integration(tmp_path: Path, code: str) -> Path:
    directory = tmp_path / "integration"
    _write(directory, {"__init__.py": code})
    return directory


@pytest.fixture
def source(tmp_path: Path) -> compat.Source:
    _write(tmp_path / "ha", HOME_ASSISTANT)
    return compat.Source.from_directory(tmp_path / "ha", "2099.1.0")


def _problems(source: compat.Source, directory: Path) -> list[str]:
    return [finding.what for finding in compat.check(source, directory).problems]


def test_current_names_pass(source: compat.Source, tmp_path: Path) -> None:
    code = """
        from homeassistant.const import CONF_NAME, Callback
        from homeassistant.helpers import things
        from homeassistant.helpers.things import fine
        fine()
    """
    assert _problems(source, _integration(tmp_path, code)) == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from homeassistant.gone import X", "homeassistant.gone no longer exists"),
        ("import homeassistant.gone", "homeassistant.gone no longer exists"),
        ("from homeassistant.const import CONF_MISSING", "const.CONF_MISSING no longer exists"),
        ("from homeassistant.const import CONF_OLD", "keeps it as _DEPRECATED_CONF_OLD"),
        ("from homeassistant.const import OLD_ALIAS", "a DeprecatedConstant"),
        ("from homeassistant.helpers.things import old_helper", "@deprecated_function"),
        ("from homeassistant.helpers.things import reports_always", "reports its use"),
        (
            "from homeassistant.helpers.things import Thing\nThing(entry=1).gone_method()",
            "Thing.gone_method is deprecated",
        ),
        (
            "from homeassistant.helpers.things import Thing\nThing(entry=1).inherited()",
            "Base.inherited is deprecated",
        ),
        (
            "from homeassistant.helpers.things import Thing\nThing(entry=1).sometimes(True)",
            "Thing.sometimes reports a deprecation if flag",
        ),
        (
            "from homeassistant.helpers.things import Thing\nThing()",
            "Thing.__init__ reports a deprecation if entry is None",
        ),
    ],
)
def test_each_break_is_found(
    source: compat.Source, tmp_path: Path, code: str, expected: str
) -> None:
    problems = _problems(source, _integration(tmp_path, code))
    assert any(expected in problem for problem in problems), problems


def test_a_platform_only_newer_releases_load_is_checked_only_against_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(compat.LOADED_ONLY_WITH, "tools.py", "homeassistant.components.tools")
    directory = _integration(tmp_path, "")
    _write(directory, {"tools.py": "from homeassistant.components.tools import Tools, Gone"})
    _write(tmp_path / "old", HOME_ASSISTANT)
    old = compat.Source.from_directory(tmp_path / "old", "2025.4.4")
    assert _problems(old, directory) == []
    _write(tmp_path / "new", {**HOME_ASSISTANT, "homeassistant/components/tools.py": "Tools = 1"})
    new = compat.Source.from_directory(tmp_path / "new", "2026.10.0")
    assert _problems(new, directory) == ["homeassistant.components.tools.Gone no longer exists"]


def test_a_reviewed_condition_is_listed_not_failed(
    source: compat.Source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(compat.REVIEWED, "Thing.sometimes", "we never pass flag")
    code = "from homeassistant.helpers.things import Thing\nThing(entry=1).sometimes(False)"
    report = compat.check(source, _integration(tmp_path, code))
    assert [str(p) for p in report.problems if "sometimes" in p.what] == []
    assert report.reviewed == ["Thing.sometimes: we never pass flag"]


def test_main_reads_a_wheel_and_the_installed_home_assistant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = tmp_path / "homeassistant-2099.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in HOME_ASSISTANT.items():
            archive.writestr(name, textwrap.dedent(text))
    monkeypatch.setattr(compat, "INTEGRATION_DIR", INTEGRATION_DIR)
    # The real integration against a Home Assistant that has none of its imports.
    assert compat.main(["--wheel", str(wheel)]) == 1
    out = capsys.readouterr().out
    assert "Home Assistant 2099.1.0 (newest on PyPI)" in out
    assert "homeassistant.config_entries no longer exists" in out
    assert "(installed, the tests' own)" in out


def test_the_integration_is_current_with_the_installed_home_assistant() -> None:
    installed = compat.installed_source()
    assert installed is not None
    report = compat.check(installed)
    assert report.problems == []
    assert report.imported_names > 50
