"""The Slack app's layers, as the README's architecture names them: each module imports
only from its own layer or those below it (type-only imports too: they are still a
dependency a reader must follow)."""

from __future__ import annotations

import ast
from pathlib import Path

import slack_app

PACKAGE = Path(slack_app.__file__).parent

# Lowest first. A module's layer is that of its first name under slack_app.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset(
        {
            "clock",
            "env",
            "errors",
            "formatting",
            "numbers_input",
            "numbers_found",
            "mentions",
            "tripwires",
            "policy",
            "policy_fields",
            "redact",
            "scopes",
            "secret_box",
            "slack_gateway",
            "in_flight",
            "request_guard",
            "config",
        }
    ),
    frozenset({"store"}),
    frozenset({"blocks"}),
    frozenset({"live", "reports"}),
    frozenset({"service"}),
    frozenset({"workspaces"}),
    frozenset({"context", "listeners", "app", "server", "cli", "__main__", "__init__"}),
)


def layer_of(name: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if name in names)


def imports(path: Path) -> set[str]:
    """The first name under slack_app of everything `path` imports from slack_app."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(parts[: len(parts) - node.level])
            target = [*base, *(node.module.split(".") if node.module else [])]
            if not target:  # `from .. import x` at the top: x is the module
                target = [node.names[0].name]
            found.add(target[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("slack_app."):
            found.add(node.module.split(".")[1])  # type: ignore[union-attr]
    return found


def test_every_module_has_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        layer_of(path.relative_to(PACKAGE).parts[0].removesuffix(".py"))


def test_no_import_runs_up_a_layer() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = layer_of(path.relative_to(PACKAGE).parts[0].removesuffix(".py"))
        for name in imports(path):
            if layer_of(name) > own:
                upward.append(f"{path.relative_to(PACKAGE)} -> {name}")
    assert upward == []
