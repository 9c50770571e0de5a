"""The audit log: who dialled, added, hung up; what ended at what cost."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from .database import Part, runs_to_completion
from .lifecycle import AuditAction
from .records import AuditEntry
from .schema import AuditRow


def audit_row(entry: AuditEntry) -> AuditRow:
    # The row's columns are the entry's fields; money is stored as text.
    return AuditRow(**{**asdict(entry), "cost": None if entry.cost is None else str(entry.cost)})


@runs_to_completion
class AuditLog(Part):
    async def add(self, entry: AuditEntry) -> None:
        async with self._session.begin() as session:
            session.add(audit_row(entry))

    async def latest(self, limit: int = 100) -> list[dict[str, Any]]:
        async with self._session() as session:
            rows = (
                await session.execute(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))
            ).scalars()
            return [
                {
                    "at": r.at,
                    "team_id": r.team_id,
                    "user_id": r.user_id,
                    "action": r.action,
                    "call_key": r.call_key,
                    "subject_id": r.subject_id,
                    "detail": r.detail,
                    "cost": None if r.cost is None else Decimal(r.cost),
                }
                for r in rows
            ]

    async def dials_since(self, team_id: str, user_id: str, since: datetime) -> int:
        async with self._session() as session:
            count = await session.scalar(
                select(func.count(AuditRow.id)).where(
                    AuditRow.team_id == team_id,
                    AuditRow.user_id == user_id,
                    AuditRow.action == AuditAction.DIAL,
                    AuditRow.at >= since,
                )
            )
            return int(count or 0)

    async def of_calls(self, keys: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """(action, detail) of each call's audit rows, oldest first."""
        keys = list(keys)
        found: dict[str, list[tuple[str, str]]] = {k: [] for k in keys}
        if not keys:
            return found
        async with self._session() as session:
            rows = await session.execute(
                select(AuditRow.call_key, AuditRow.action, AuditRow.detail)
                .where(AuditRow.call_key.in_(keys))
                .order_by(AuditRow.id)
            )
            for key, action, detail in rows:
                found[key].append((action, detail))
        return found
