"""Each workspace's own Talkety account and policy (distributed mode), and the numbers
its people saved as theirs."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from .database import Part, runs_to_completion
from .records import TalketyAccountRecord
from .schema import TalketyAccountRow, UserRow, WorkspaceSettingsRow


@runs_to_completion
class WorkspaceStore(Part):
    async def talkety_account(self, team_id: str) -> TalketyAccountRecord | None:
        async with self._session() as session:
            row = await session.get(TalketyAccountRow, team_id)
            return None if row is None else TalketyAccountRecord.from_row(row)

    async def save_talkety_account(self, account: TalketyAccountRecord) -> None:
        async with self._session.begin() as session:
            await session.merge(TalketyAccountRow(**asdict(account)))

    async def forget_talkety_account(self, team_id: str) -> None:
        async with self._session.begin() as session:
            await session.execute(
                delete(TalketyAccountRow).where(TalketyAccountRow.team_id == team_id)
            )

    async def connected_teams(self) -> list[str]:
        async with self._session() as session:
            return list((await session.execute(select(TalketyAccountRow.team_id))).scalars())

    async def workspace_version(self, team_id: str) -> tuple[object, object]:
        """When the workspace's Talkety account and its settings were last saved."""
        async with self._session() as session:
            account = await session.get(TalketyAccountRow, team_id)
            settings = await session.get(WorkspaceSettingsRow, team_id)
            return (
                None if account is None else (account.connected_at, account.sealed),
                None if settings is None else (settings.updated_at, settings.policy),
            )

    async def workspace_policy(self, team_id: str) -> dict[str, Any]:
        async with self._session() as session:
            row = await session.get(WorkspaceSettingsRow, team_id)
            stored = json.loads(row.policy) if row is not None else {}
            return stored if isinstance(stored, dict) else {}

    async def save_workspace_policy(
        self, team_id: str, policy: dict[str, Any], user_id: str, now: datetime
    ) -> None:
        async with self._session.begin() as session:
            await session.merge(
                WorkspaceSettingsRow(
                    team_id=team_id,
                    policy=json.dumps(policy, sort_keys=True),
                    updated_by=user_id,
                    updated_at=now,
                )
            )

    async def saved_number(self, team_id: str, user_id: str) -> str | None:
        async with self._session() as session:
            row = await session.get(UserRow, (team_id, user_id))
            return None if row is None else row.number

    async def save_number(self, team_id: str, user_id: str, number: str) -> None:
        async with self._session.begin() as session:
            row = await session.get(UserRow, (team_id, user_id))
            if row is None:
                session.add(UserRow(team_id=team_id, user_id=user_id, number=number))
            else:
                row.number = number
