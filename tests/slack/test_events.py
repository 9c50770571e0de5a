"""Events in single-workspace mode: the uninstall events the manifest subscribes to."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.slack.fake_slack import TEAM_ID
from devtools.slack.signing import event_body

from .conftest import Harness


@pytest.mark.parametrize(
    "event",
    [{"type": "app_uninstalled"}, {"type": "tokens_revoked", "tokens": {"bot": ["B1"]}}],
)
async def test_single_workspace_mode_acknowledges_an_uninstall_and_says_what_to_do(
    harness: Harness, event: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Slack resends an event it gets no 200 for; the token is the operator's to replace."""
    await harness.start()
    body, content_type = event_body(event, team=TEAM_ID)
    status, _ = await harness.post(body, content_type=content_type)
    assert status == 200
    await harness.wait_for(lambda: "SLACK_BOT_TOKEN" in caplog.text, "the operator told")
