"""`python -m devtools.ha.compat`: is the integration current with the newest Home Assistant?

Home Assistant 2026.3 and later need Python 3.14, which cannot be installed
everywhere the tests run, so this reads the newest release instead of running
it: it downloads the `homeassistant` wheel from PyPI (not installed), then
checks, from its source, that

- every Home Assistant module and name the integration imports still exists;
- none of them is marked deprecated there (`deprecated_class`,
  `deprecated_function`, `DeprecatedConstant` and friends, a `_DEPRECATED_`
  twin, or a `report_usage` call at the top of its body);
- no method the integration calls on Home Assistant's objects reports a
  deprecation. A method that reports only under a condition (an argument the
  integration may or may not pass) must be in REVIEWED, with why the
  integration's use is not the deprecated one, so a new one is read by a person.

It checks the installed Home Assistant too (the one the tests run on), so that
only names present in both are used. Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ha_integration import INTEGRATION_DIR

NEWEST_PYTHON = "3.14.9"  # what the newest Home Assistant requires, to choose its wheel
DEPRECATION_DECORATORS = {
    "deprecated_class",
    "deprecated_function",
    "deprecated_substitute",
    "deprecated_hass_argument",
}
DEPRECATION_WRAPPERS = {
    "DeprecatedConstant",
    "DeprecatedConstantEnum",
    "DeprecatedAlias",
    "DeprecatedEntityProperty",
    "DeprecatedEntityAttr",
}
REPORTERS = {"report_usage", "report", "_report_usage"}
# Where the objects the integration is handed come from (hass, entries, flows,
# registries): their methods are looked up here besides the imported modules.
CORE_MODULES = (
    "homeassistant.core",
    "homeassistant.config_entries",
    "homeassistant.data_entry_flow",
    "homeassistant.helpers.entity_platform",
    "homeassistant.helpers.device_registry",
    "homeassistant.helpers.entity_registry",
)
# Methods that report a deprecation only under a condition, with why the
# integration's calls do not meet it. A new entry needs a person to read the
# condition against every call site.
REVIEWED: dict[str, str] = {
    "DataUpdateCoordinator.__init__": "reports when config_entry is not passed; we pass it",
    "DataUpdateCoordinator.async_config_entry_first_refresh": (
        "reports without a config entry or outside setup; we call it in async_setup_entry"
    ),
    "ConfigFlow.async_create_entry": "reports in reauth/reconfigure flows; those abort instead",
    "ConfigFlow._abort_if_unique_id_configured": (
        "reports when `updates` change an entry with an update listener; we pass no updates"
    ),
    "DeviceRegistry.async_get_or_create": "reports a via_device that does not exist; we pass none",
}
# Platforms of the integration that only releases with the loading component import (the
# file: that component's module); older releases never read them, so they are checked
# against the newer releases only.
LOADED_ONLY_WITH = {"llm.py": "homeassistant.components.llm"}
# Home Assistant 2026.x uses Python 3.14's `except A, B:`; older Pythons parse it
# once the tuple is put in parentheses.
_BARE_EXCEPT_TUPLE = re.compile(r"^(\s*except\*?\s+)(?!\()([^:#\n]+?,[^:#\n]+?)(\s*:)", re.M)


@dataclass(frozen=True, slots=True)
class Finding:
    where: str  # file:line in the integration
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class Report:
    version: str
    imported_names: int = 0
    checked_methods: int = 0
    problems: list[Finding] = field(default_factory=list)
    reviewed: list[str] = field(default_factory=list)


class Source:
    """Home Assistant's modules, read from a wheel or an installed tree, parsed once."""

    def __init__(self, read: Callable[[str], str | None], version: str) -> None:
        self._read = read
        self.version = version
        self._trees: dict[str, ast.Module | None] = {}

    @classmethod
    def from_wheel(cls, wheel: Path) -> Source:
        archive = zipfile.ZipFile(wheel)
        names = set(archive.namelist())
        version = wheel.name.split("-")[1]

        def read(path: str) -> str | None:
            return archive.read(path).decode() if path in names else None

        return cls(read, version)

    @classmethod
    def from_directory(cls, root: Path, version: str) -> Source:
        def read(path: str) -> str | None:
            file = root / path
            return file.read_text(encoding="utf-8") if file.is_file() else None

        return cls(read, version)

    def module(self, name: str) -> ast.Module | None:
        if name not in self._trees:
            base = name.replace(".", "/")
            text = self._read(f"{base}.py")
            if text is None:
                text = self._read(f"{base}/__init__.py")
            self._trees[name] = (
                None if text is None else ast.parse(_BARE_EXCEPT_TUPLE.sub(r"\1(\2)\3", text))
            )
        return self._trees[name]

    def is_package(self, name: str) -> bool:
        return self._read(f"{name.replace('.', '/')}/__init__.py") is not None


def _top_level(tree: ast.Module) -> Iterator[ast.stmt]:
    """Module statements, looking into `if TYPE_CHECKING:`/`try:` blocks too."""
    for node in tree.body:
        yield node
        if isinstance(node, ast.If | ast.Try):
            yield from node.body
            yield from node.orelse
            if isinstance(node, ast.Try):
                for handler in node.handlers:
                    yield from handler.body


def _resolve_relative(module: str, node: ast.ImportFrom, package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts if package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


@dataclass(frozen=True, slots=True)
class Definition:
    module: str
    node: ast.stmt | None  # None: a submodule


def find(source: Source, module: str, name: str, depth: int = 0) -> Definition | None:
    """Where `name` is defined when imported from `module` (re-exports followed)."""
    tree = source.module(module)
    if tree is None or depth > 8:
        return None
    for node in _top_level(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name:
                return Definition(module, node)
        elif isinstance(node, ast.Assign | ast.AnnAssign) or type(node).__name__ == "TypeAlias":
            # `type X = ...` (ast.TypeAlias, Python 3.12+) names its target `name`.
            single = getattr(node, "target", None) or getattr(node, "name", None)
            targets = node.targets if isinstance(node, ast.Assign) else [single]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return Definition(module, node)
        elif isinstance(node, ast.ImportFrom):
            origin = _resolve_relative(module, node, source.is_package(module))
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return find(source, origin, alias.name, depth + 1) or (
                        Definition(f"{origin}.{alias.name}", None)
                        if source.module(f"{origin}.{alias.name}") is not None
                        else None
                    )
    if source.module(f"{module}.{name}") is not None:
        return Definition(f"{module}.{name}", None)
    return None


def _call_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _reports(body: Iterable[ast.stmt]) -> tuple[bool, list[str]]:
    """Does this body call a deprecation reporter: (always, [the conditions it does under])."""
    unconditional = False
    conditions: list[str] = []
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and _call_name(node.func) in REPORTERS:
                if isinstance(statement, ast.Expr | ast.Return | ast.Assign):
                    unconditional = True
                elif isinstance(statement, ast.If):
                    conditions.append(ast.unparse(statement.test)[:120])
                else:
                    conditions.append(f"inside a {type(statement).__name__.lower()}")
    return unconditional, conditions


def deprecation(source: Source, definition: Definition, name: str) -> str | None:
    """Why this definition is deprecated, or None."""
    node = definition.node
    tree = source.module(definition.module)
    if tree is not None and find(source, definition.module, f"_DEPRECATED_{name}") is not None:
        return f"{definition.module} keeps it as _DEPRECATED_{name}"
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        for decorator in node.decorator_list:
            if _call_name(decorator) in DEPRECATION_DECORATORS:
                return f"decorated @{_call_name(decorator)} in {definition.module}"
    if (
        isinstance(node, ast.Assign | ast.AnnAssign)
        and node.value is not None
        and _call_name(node.value) in DEPRECATION_WRAPPERS
    ):
        return f"a {_call_name(node.value)} in {definition.module}"
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _reports(node.body)[0]:
        return f"reports its use as deprecated ({definition.module})"
    return None


@dataclass(frozen=True, slots=True)
class Use:
    where: str
    module: str
    name: str


def integration_uses(
    directory: Path, unread: Iterable[str] = ()
) -> tuple[list[Use], dict[str, list[str]]]:
    """Home Assistant imports, and every called or overridden method name with its places,
    in the integration's modules but the `unread` ones (file names)."""
    imports: list[Use] = []
    methods: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.py")):
        if path.name in unread:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("homeassistant"):
                imports += [Use(where, str(node.module), alias.name) for alias in node.names]
            elif isinstance(node, ast.Import):
                imports += [
                    Use(where, alias.name, "")
                    for alias in node.names
                    if alias.name.startswith("homeassistant")
                ]
            elif isinstance(node, ast.Call):
                called = _call_name(node.func)
                if called is not None:
                    methods.setdefault(called, []).append(where)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        methods.setdefault(item.name, []).append(f"{path.name}:{item.lineno}")
    return imports, methods


def _bases(source: Source, module: str, cls: ast.ClassDef) -> Iterator[Definition]:
    for base in cls.bases:
        name = _call_name(base.value if isinstance(base, ast.Subscript) else base)
        definition = find(source, module, name) if name else None
        if definition is not None and isinstance(definition.node, ast.ClassDef):
            yield definition


def _classes(source: Source, modules: Iterable[str]) -> dict[str, tuple[str, ast.ClassDef]]:
    """Classes defined in these modules and, through their bases, in the modules they import."""
    found: dict[str, tuple[str, ast.ClassDef]] = {}
    pending = list(modules)
    seen: set[str] = set()
    while pending:
        module = pending.pop()
        if module in seen or (tree := source.module(module)) is None:
            continue
        seen.add(module)
        for node in _top_level(tree):
            if isinstance(node, ast.ClassDef):
                found.setdefault(f"{module}.{node.name}", (module, node))
                pending += [base.module for base in _bases(source, module, node)]
    return found


def _ancestry(source: Source, classes: Iterable[Definition]) -> set[str]:
    """Qualified names of these classes and all their Home Assistant bases."""
    names: set[str] = set()
    pending = list(classes)
    while pending:
        definition = pending.pop()
        assert isinstance(definition.node, ast.ClassDef)
        qualified = f"{definition.module}.{definition.node.name}"
        if qualified not in names:
            names.add(qualified)
            pending += _bases(source, definition.module, definition.node)
    return names


def check(source: Source, directory: Path = INTEGRATION_DIR) -> Report:
    report = Report(version=source.version)
    unread = [file for file, loader in LOADED_ONLY_WITH.items() if source.module(loader) is None]
    imports, methods = integration_uses(directory, unread)
    imported_classes: list[Definition] = []
    for use in imports:
        label = f"{use.module}.{use.name}" if use.name else use.module
        if source.module(use.module) is None:
            report.problems.append(Finding(use.where, f"{use.module} no longer exists"))
            continue
        if not use.name:
            continue
        report.imported_names += 1
        definition = find(source, use.module, use.name)
        if definition is None:
            # Served by the module's __getattr__ from its _DEPRECATED_ twin, or gone.
            twin = find(source, use.module, f"_DEPRECATED_{use.name}")
            what = f"is deprecated: {use.module} keeps it as _DEPRECATED_{use.name}"
            report.problems.append(
                Finding(use.where, f"{label} {what if twin else 'no longer exists'}")
            )
            continue
        if (why := deprecation(source, definition, use.name)) is not None:
            report.problems.append(Finding(use.where, f"{label} is deprecated: {why}"))
        if isinstance(definition.node, ast.ClassDef):
            imported_classes.append(definition)
            # Constructing or subclassing an imported class runs its __init__.
            methods.setdefault("__init__", []).append(use.where)

    constructed = _ancestry(source, imported_classes)
    modules = {use.module for use in imports} | {d.module for d in imported_classes}
    for qualified, (_module, cls) in sorted(_classes(source, modules | set(CORE_MODULES)).items()):
        class_name = qualified.rsplit(".", 1)[1]
        for item in cls.body:
            if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if item.name not in methods:
                continue
            if item.name == "__init__" and qualified not in constructed:
                continue
            report.checked_methods += 1
            key = f"{class_name}.{item.name}"
            unconditional, conditions = _reports(item.body)
            decorated = any(_call_name(d) in DEPRECATION_DECORATORS for d in item.decorator_list)
            places = ", ".join(methods[item.name][:3])
            if unconditional or decorated:
                report.problems.append(Finding(places, f"{key} is deprecated in {qualified}"))
            elif conditions and key in REVIEWED:
                report.reviewed.append(f"{key}: {REVIEWED[key]}")
            elif conditions:
                report.problems.append(
                    Finding(
                        places,
                        f"{key} reports a deprecation if {' / '.join(conditions)}: read "
                        "it, then change our calls or add it to REVIEWED with why they are not "
                        "affected",
                    )
                )
    return report


def download_newest(directory: Path) -> Path:
    """The newest homeassistant wheel on PyPI, downloaded (never installed)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    command += ["--only-binary=:all:", "--python-version", NEWEST_PYTHON, "homeassistant"]
    result = subprocess.run(  # noqa: S603
        [*command, "--dest", str(directory)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"pip could not download homeassistant:\n{result.stderr[-2000:]}")
    [wheel] = directory.glob("homeassistant-*.whl")
    return wheel


def installed_source() -> Source | None:
    try:
        from homeassistant import const  # noqa: PLC0415 - optional, and heavy
    except ImportError:
        return None
    return Source.from_directory(Path(const.__file__).parents[1], const.__version__)


def _print(report: Report, label: str) -> None:
    print(
        f"Home Assistant {report.version} ({label}): {report.imported_names} imports of names, "
        f"{report.checked_methods} methods the integration calls or overrides"
    )
    for line in report.reviewed:
        print(f"  reviewed: {line}")
    for problem in report.problems:
        print(f"  PROBLEM {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.ha.compat", description=__doc__)
    parser.add_argument("--wheel", type=Path, help="a homeassistant wheel (default: download)")
    args = parser.parse_args(argv)
    reports = []
    with tempfile.TemporaryDirectory() as scratch:
        wheel = args.wheel or download_newest(Path(scratch))
        reports.append((check(Source.from_wheel(wheel)), "newest on PyPI"))
    if (installed := installed_source()) is not None:
        reports.append((check(installed), "installed, the tests' own"))
    for report, label in reports:
        _print(report, label)
    failed = sum(len(report.problems) for report, _ in reports)
    print("OK" if not failed else f"{failed} problem(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
