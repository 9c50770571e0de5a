"""One database for every part of the store: its engine, its tables, and the rule that
every operation runs to completion.

Every state change that must happen once (finishing a call, consuming a
confirmation, taking a lease) is a single conditional UPDATE whose row count
says whether this instance won: safe with several instances on one database.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy import inspect as inspect_schema
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from .schema import Base, CallRow, PendingRow

# Schema changes by several instances at once take turns under this PostgreSQL advisory
# lock (any number of the app's own: "talk" in ASCII).
_SCHEMA_LOCK = 0x74616C6B


class Database:
    def __init__(self, url: str, *, engine: AsyncEngine | None = None) -> None:
        self.url = url
        connect_args: dict[str, Any] = {}
        if url.startswith("sqlite"):
            # Instances share the file: wait for a lock rather than fail.
            connect_args["timeout"] = 30
        self.engine = engine or create_async_engine(url, connect_args=connect_args)
        if url.startswith("sqlite"):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.session = async_sessionmaker(self.engine, expire_on_commit=False)
        self._running: set[asyncio.Future[Any]] = set()
        self.closed = False

    async def create(self) -> None:
        """Create the tables (and mend a database made by an older version). Instances
        started together on a new PostgreSQL database take turns (an advisory lock held
        for the transaction), or all but one would fail on tables made under them."""
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK}
                )
            await conn.run_sync(Base.metadata.create_all)
            await conn.run_sync(_one_subject_per_workspace)
            await conn.run_sync(_new_call_columns)

    async def close(self) -> None:
        self.closed = True
        # Operations whose callers were cancelled still hold connections.
        if self._running:
            await asyncio.wait(set(self._running))
        await self.engine.dispose()

    def run(self, operation: Callable[[], Awaitable[Any]]) -> asyncio.Future[Any]:
        """Start `operation` as a task of its own, which the database waits for on close."""
        if self.closed:
            # The engine would quietly open a new pool, whose connections no one closes.
            raise RuntimeError("the store is closed")
        task = asyncio.ensure_future(operation())
        self._running.add(task)
        task.add_done_callback(self._operation_done)
        return task

    def _operation_done(self, task: asyncio.Future[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a caller that was cancelled never will


class Part:
    """A part of the store over the shared database (calls, leases, ...)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._session = db.session


PartT = TypeVar("PartT", bound=type[Part])


def runs_to_completion(cls: PartT) -> PartT:
    """Every public operation finishes even when its caller is cancelled.

    Cancelling SQLAlchemy while it opens an aiosqlite connection loses that
    connection, and its thread then keeps the process from ever exiting; a
    write cut in half is no better. Operations take milliseconds, so a
    cancelled caller stops waiting at once and the operation ends on its own.
    """
    for name, method in list(vars(cls).items()):
        if not name.startswith("_") and inspect.iscoroutinefunction(method):
            setattr(cls, name, _shielded(method))
    return cls


def _shielded(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def run(self: Part, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.shield(self.db.run(lambda: method(self, *args, **kwargs)))

    return run


def _one_subject_per_workspace(conn: Any) -> None:
    """A Talkety id is unique per workspace (each has its own account) and per kind:
    Talkety numbers calls and conferences separately, so one id can be both. Databases
    made before either held it unique in all, or per workspace: changed to match."""
    indexes = {i["name"]: i for i in inspect_schema(conn).get_indexes(CallRow.__tablename__)}
    old = indexes.get("ix_slack_calls_subject_id")
    if old is not None and old["unique"]:
        conn.execute(text("DROP INDEX ix_slack_calls_subject_id"))
        conn.execute(text("CREATE INDEX ix_slack_calls_subject_id ON slack_calls (subject_id)"))
    if "ux_slack_calls_team_subject" in indexes:
        conn.execute(text("DROP INDEX ux_slack_calls_team_subject"))
    if "ux_slack_calls_team_kind_subject" not in indexes:
        conn.execute(
            text(
                "CREATE UNIQUE INDEX ux_slack_calls_team_kind_subject "
                "ON slack_calls (team_id, kind, subject_id)"
            )
        )


def _new_call_columns(conn: Any) -> None:
    """Databases made before these columns: added, NULL for every old record (final_shown
    NULL reads as shown; thread_ts NULL as the channel itself; people NULL as nobody
    called by name)."""
    added = {
        CallRow.__tablename__: (
            ("final_shown", "BOOLEAN"),
            ("thread_ts", "VARCHAR(32)"),
            ("people", "TEXT"),
        ),
        PendingRow.__tablename__: (("people", "TEXT"),),
    }
    for table, new in added.items():
        columns = {c["name"] for c in inspect_schema(conn).get_columns(table)}
        for name, kind in new:
            if name not in columns:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {kind}"))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and one writer work at once: several instances, one file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
