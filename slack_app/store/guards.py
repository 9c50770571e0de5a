"""Tripwire alerts and what admins did about them: prefixes blocked and users paused with
one click (on top of the policy's own rules, in either mode)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .database import Part, runs_to_completion
from .keys import new_key
from .schema import AlertRow, RestrictionRow


class Restriction(StrEnum):
    PREFIX = "prefix"
    USER = "user"


@dataclass(frozen=True, slots=True)
class Alert:
    id: str
    team_id: str
    pattern: str
    user_id: str
    prefix: str
    summary: str
    created_at: datetime
    actions: tuple[tuple[str, str], ...]  # (action, by whom), oldest first

    @classmethod
    def from_row(cls, row: AlertRow) -> Alert:
        actions = tuple((str(a), str(b)) for a, b in json.loads(row.actions or "[]"))
        return cls(
            row.id,
            row.team_id,
            row.pattern,
            row.user_id,
            row.prefix,
            row.summary,
            row.created_at,
            actions,
        )


@runs_to_completion
class GuardStore(Part):
    async def restrict(
        self, team_id: str, kind: Restriction, value: str, by: str, now: datetime
    ) -> bool:
        """True if this made it so (False: it already was)."""
        try:
            async with self._session.begin() as session:
                session.add(
                    RestrictionRow(team_id=team_id, kind=kind, value=value, set_by=by, set_at=now)
                )
        except IntegrityError:
            return False
        return True

    async def lift(self, team_id: str, kind: Restriction, value: str) -> bool:
        async with self._session.begin() as session:
            result = await session.execute(
                delete(RestrictionRow).where(
                    RestrictionRow.team_id == team_id,
                    RestrictionRow.kind == kind,
                    RestrictionRow.value == value,
                )
            )
            return bool(result.rowcount)

    async def restricted(self, team_id: str, kind: Restriction) -> set[str]:
        async with self._session() as session:
            rows = await session.execute(
                select(RestrictionRow.value).where(
                    RestrictionRow.team_id == team_id, RestrictionRow.kind == kind
                )
            )
            return set(rows.scalars())

    async def add_alert(
        self, team_id: str, pattern: str, user_id: str, prefix: str, summary: str, now: datetime
    ) -> Alert:
        row = AlertRow(
            id=new_key(),
            team_id=team_id,
            pattern=pattern,
            user_id=user_id,
            prefix=prefix,
            summary=summary,
            created_at=now,
            actions="[]",
        )
        async with self._session.begin() as session:
            session.add(row)
        return Alert.from_row(row)

    async def alert(self, alert_id: str) -> Alert | None:
        async with self._session() as session:
            row = await session.get(AlertRow, alert_id)
            return None if row is None else Alert.from_row(row)

    async def acted(self, alert_id: str, action: str, by: str) -> Alert | None:
        """Note on the alert that `by` did `action` (read and written in one transaction)."""
        async with self._session.begin() as session:
            row = await session.get(AlertRow, alert_id, with_for_update=True)
            if row is None:
                return None
            row.actions = json.dumps([*json.loads(row.actions or "[]"), [action, by]])
        return Alert.from_row(row)
