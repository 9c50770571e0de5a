"""The GitHub workflows and Dependabot's configuration, checked with the tools GitHub's
ecosystem trusts, since the workflows themselves cannot run here: the JSON schemas
`check-jsonschema` carries (GitHub's workflow and Dependabot schemas) and `zizmor`'s
security audits (pinned actions, least permissions, no template injection, no persisted
credentials), offline. Then what each workflow is for, read from it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, cwd=ROOT
    )


def _load(path: Path) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_the_workflows_are_there() -> None:
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "release.yml", "validate.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_schema(path: Path) -> None:
    checked = _run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_dependabot_schema_and_ecosystems() -> None:
    path = GITHUB / "dependabot.yml"
    checked = _run(BIN / "check-jsonschema", "--builtin-schema", "vendor.dependabot", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ecosystems = {update["package-ecosystem"] for update in _load(path)["updates"]}
    assert ecosystems == {"pip", "github-actions"}


def test_zizmor_finds_nothing() -> None:
    audited = _run(BIN / "zizmor", "--offline", "--no-progress", GITHUB)
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_every_action_is_pinned_to_a_commit() -> None:
    for path in WORKFLOWS:
        for step in _steps(_load(path)):
            if "uses" in step:
                assert PINNED.match(step["uses"]), (path.name, step["uses"])


def test_ci_runs_the_readme_test_command_with_postgres_and_the_newest_python() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/test" in readme
    ci = _load(GITHUB / "workflows" / "ci.yml")
    [job] = ci["jobs"].values()
    assert [step.get("run") for step in job["steps"] if "run" in step] == ["scripts/test"]
    assert "postgres" in job["services"]
    assert job["env"]["TALKETY_TEST_POSTGRES"].startswith("postgresql://")
    [python] = [step for step in job["steps"] if "setup-python" in step.get("uses", "")]
    # The last one listed is the default `python`; 3.14 runs the newest Home Assistant.
    assert python["with"]["python-version"].split() == ["3.11", "3.14", "3.13"]
    assert job["env"]["TALKETY_TEST_NEWEST_PYTHON"] == "python3.14"


def test_hassfest_never_sees_the_slack_manifest() -> None:
    """hassfest takes every manifest.json for an integration's; the job moves the Slack
    app's aside before it runs (in the job, not in the repository)."""
    validate = _load(GITHUB / "workflows" / "validate.yml")
    steps = validate["jobs"]["hassfest"]["steps"]
    moved = next(i for i, step in enumerate(steps) if "mv manifest.json" in step.get("run", ""))
    hassfest = next(i for i, step in enumerate(steps) if "hassfest" in step.get("uses", ""))
    assert moved < hassfest
    assert (ROOT / "manifest.json").is_file()
    hacs = validate["jobs"]["hacs"]["steps"][0]
    assert hacs["uses"].startswith("hacs/action@") and hacs["with"]["category"] == "integration"


def test_release_checks_the_tag_and_publishes_with_trusted_publishing() -> None:
    release = _load(GITHUB / "workflows" / "release.yml")
    assert release[True]["push"]["tags"] == ["v*"]  # YAML reads the `on` key as True
    build, pypi, github = (release["jobs"][name] for name in ("build", "pypi", "github-release"))
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "talkety_core.__version__" in runs and '"$TAG" != "v$version"' in runs
    assert "talkety ha package --output release" in runs and "twine check --strict" in runs
    assert pypi["permissions"] == {"id-token": "write"}  # no token stored anywhere
    assert pypi["environment"]["name"] == "pypi"
    assert github["permissions"] == {"contents": "write"}
    assert "release/talkety.zip" in github["steps"][-1]["run"]
    assert release["permissions"] == {"contents": "read"}
