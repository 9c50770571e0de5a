"""The app's state, in one database: its parts, each over the tables of one aggregate."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from .approvals import ApprovalStore
from .audit import AuditLog
from .budgets import ChannelBudgetStore
from .calls import CallStore
from .database import Database
from .guards import GuardStore
from .history import CallHistory
from .leases import LeaseStore
from .once_keys import OnceKeys
from .pending import PendingDials
from .steps import StepStore
from .workspaces import WorkspaceStore


class Store:
    def __init__(self, url: str, *, engine: AsyncEngine | None = None) -> None:
        self.db = Database(url, engine=engine)
        self.url = url
        self.engine = self.db.engine  # Slack's installation store shares it
        self.calls = CallStore(self.db)
        self.history = CallHistory(self.db)
        self.pending = PendingDials(self.db)
        self.audit = AuditLog(self.db)
        self.leases = LeaseStore(self.db)
        self.once_keys = OnceKeys(self.db)
        self.workspaces = WorkspaceStore(self.db)
        self.steps = StepStore(self.db)
        self.approvals = ApprovalStore(self.db)
        self.budgets = ChannelBudgetStore(self.db)
        self.guards = GuardStore(self.db)

    async def create(self) -> None:
        """Create the tables, and bring a database made by an older version up to date."""
        await self.db.create()

    async def close(self) -> None:
        await self.db.close()
