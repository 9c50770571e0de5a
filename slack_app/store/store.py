"""All database access, behind one small async API.

Every state change that must happen once (finishing a call, consuming a
confirmation, taking a lease) is a single conditional UPDATE whose row count
says whether this instance won: safe with several instances on one database.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, delete, event, func, insert, or_, select, text, update
from sqlalchemy import inspect as inspect_schema
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from .lifecycle import ACTIVE_STATES, FINAL_STATES, TRANSITIONS, DialKind, RecordState
from .records import CallRecord, PendingDial
from .schema import (
    AuditRow,
    Base,
    CallRow,
    LeaseRow,
    OnceRow,
    PendingRow,
    TalketyAccountRow,
    UserRow,
    WorkspaceSettingsRow,
)


def new_key() -> str:
    return secrets.token_hex(16)


def _runs_to_completion(cls: type[Store]) -> type[Store]:
    """Every public operation finishes even when its caller is cancelled.

    Cancelling SQLAlchemy while it opens an aiosqlite connection loses that
    connection, and its thread then keeps the process from ever exiting; a
    write cut in half is no better. Operations take milliseconds, so a
    cancelled caller stops waiting at once and the operation ends on its own.
    """
    for name, method in list(vars(cls).items()):
        if name.startswith("_") or name in _LIFECYCLE or not inspect.iscoroutinefunction(method):
            continue
        setattr(cls, name, _shielded(method))
    return cls


_LIFECYCLE = ("create", "close")


def _shielded(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def run(self: Store, *args: Any, **kwargs: Any) -> Any:
        if self._closed:
            # The engine would quietly open a new pool, whose connections no one closes.
            raise RuntimeError("the store is closed")
        task = asyncio.ensure_future(method(self, *args, **kwargs))
        self._running.add(task)
        task.add_done_callback(self._operation_done)
        return await asyncio.shield(task)

    return run


@_runs_to_completion
class Store:
    def __init__(self, url: str, *, engine: AsyncEngine | None = None) -> None:
        self.url = url
        connect_args: dict[str, Any] = {}
        if url.startswith("sqlite"):
            # Instances share the file: wait for a lock rather than fail.
            connect_args["timeout"] = 30
        self.engine = engine or create_async_engine(url, connect_args=connect_args)
        if url.startswith("sqlite"):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._session = async_sessionmaker(self.engine, expire_on_commit=False)
        self._running: set[asyncio.Future[Any]] = set()
        self._closed = False

    async def create(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
            await conn.run_sync(_one_subject_per_workspace)
            await conn.run_sync(_new_call_columns)

    async def close(self) -> None:
        self._closed = True
        # Operations whose callers were cancelled still hold connections.
        if self._running:
            await asyncio.wait(set(self._running))
        await self.engine.dispose()

    def _operation_done(self, task: asyncio.Future[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a caller that was cancelled never will

    # --- calls -----------------------------------------------------------

    async def new_call(
        self,
        *,
        kind: DialKind,
        team_id: str,
        user_id: str,
        channel_id: str,
        src: str,
        dsts: Sequence[str],
        price_per_minute: Decimal,
        now: datetime,
        holder: str,
        lease_until: datetime,
        thread_ts: str | None = None,
    ) -> CallRecord:
        """A call about to be dialled, leased to `holder` from the start."""
        row = CallRow(
            key=new_key(),
            kind=kind,
            team_id=team_id,
            user_id=user_id,
            channel_id=channel_id,
            src=src,
            dsts=json.dumps(list(dsts)),
            price_per_minute=str(price_per_minute),
            state=RecordState.DIALLING,
            status="connecting",
            last_cost="0",
            duration=0,
            created_at=now,
            final_shown=False,
            thread_ts=thread_ts,
        )
        async with self._session.begin() as session:
            session.add(row)
            session.add(LeaseRow(key=row.key, holder=holder, expires_at=lease_until))
        return CallRecord.from_row(row)

    async def get_call(self, key: str) -> CallRecord | None:
        async with self._session() as session:
            row = await session.get(CallRow, key)
            return None if row is None else CallRecord.from_row(row)

    async def get_by_subject(
        self, subject_id: str, *, team_id: str | None = None
    ) -> CallRecord | None:
        """The call placed under this Talkety id (in one workspace: each has its own
        Talkety account, whose ids may repeat another's)."""
        query = select(CallRow).where(CallRow.subject_id == subject_id)
        if team_id is not None:
            query = query.where(CallRow.team_id == team_id)
        async with self._session() as session:
            row = (await session.execute(query.limit(1))).scalar_one_or_none()
            return None if row is None else CallRecord.from_row(row)

    async def get_calls(self, keys: Iterable[str]) -> list[CallRecord]:
        keys = list(keys)
        if not keys:
            return []
        async with self._session() as session:
            rows = (await session.execute(select(CallRow).where(CallRow.key.in_(keys)))).scalars()
            return [CallRecord.from_row(r) for r in rows]

    async def _update_call(self, key: str, *conditions: Any, **values: Any) -> bool:
        async with self._session.begin() as session:
            result = await session.execute(
                update(CallRow).where(CallRow.key == key, *conditions).values(**values)
            )
            return bool(result.rowcount)

    async def _enter(self, key: str, state: RecordState, **values: Any) -> bool:
        """Move a call to `state` if its current state allows it (lifecycle.TRANSITIONS)."""
        return await self._update_call(
            key, CallRow.state.in_(TRANSITIONS[state]), state=state, **values
        )

    async def set_placed(self, key: str, subject_id: str) -> bool:
        return await self._enter(key, RecordState.LIVE, subject_id=subject_id)

    async def set_unknown(self, key: str) -> None:
        await self._enter(key, RecordState.UNKNOWN)

    async def set_not_placed(self, key: str, now: datetime, reason: str) -> bool:
        return await self._enter(
            key,
            RecordState.NOT_PLACED,
            status="failed",
            ended_at=now,
            final_cost="0",
            auto_hangup=reason,
        )

    async def set_message(self, key: str, channel: str, ts: str) -> None:
        await self._update_call(key, message_channel=channel, message_ts=ts, delivery_error=None)

    async def set_delivery_error(self, key: str, error: str) -> None:
        await self._update_call(key, delivery_error=error)

    async def set_auto_hangup(self, key: str, reason: str) -> bool:
        """Record why the app hung up; False if it already did (hang up once)."""
        return await self._update_call(key, CallRow.auto_hangup.is_(None), auto_hangup=reason)

    async def record_progress(self, progress: Iterable[tuple[str, str, Decimal, int]]) -> None:
        """Latest status/cost/duration of live calls (for spend totals and restarts)."""
        async with self._session.begin() as session:
            for key, status, cost, duration in progress:
                await session.execute(
                    update(CallRow)
                    .where(CallRow.key == key, CallRow.state == RecordState.LIVE)
                    .values(status=status, last_cost=str(cost), duration=duration)
                )

    async def finish(
        self,
        key: str,
        *,
        status: str,
        cost: Decimal,
        duration: int,
        now: datetime,
        detail: str = "",
    ) -> bool:
        """Mark a call ended and audit it in one transaction; True only for the one
        caller that did it (spend counted once, one "ended" entry)."""
        async with self._session.begin() as session:
            result = await session.execute(
                update(CallRow)
                .where(CallRow.key == key, CallRow.state.in_(TRANSITIONS[RecordState.ENDED]))
                .values(
                    state=RecordState.ENDED,
                    status=status,
                    last_cost=str(cost),
                    final_cost=str(cost),
                    duration=duration,
                    ended_at=now,
                )
                .returning(CallRow.team_id, CallRow.user_id, CallRow.subject_id)
            )
            row = result.first()
            if row is None:
                return False
            session.add(
                AuditRow(
                    at=now,
                    team_id=row.team_id,
                    user_id=row.user_id,
                    action="ended",
                    call_key=key,
                    subject_id=row.subject_id,
                    detail=detail,
                    cost=str(cost),
                )
            )
            return True

    async def live_calls(
        self, team_id: str | None = None, user_id: str | None = None
    ) -> list[CallRecord]:
        query = select(CallRow).where(CallRow.state.in_(ACTIVE_STATES))
        if team_id is not None:
            query = query.where(CallRow.team_id == team_id)
        if user_id is not None:
            query = query.where(CallRow.user_id == user_id)
        async with self._session() as session:
            rows = (await session.execute(query.order_by(CallRow.created_at))).scalars()
            return [CallRecord.from_row(r) for r in rows]

    async def spend_today(self, team_id: str, user_id: str, now: datetime) -> Decimal:
        """Calls ended today (UTC) plus the running cost of live ones."""
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        async with self._session() as session:
            rows = await session.execute(
                select(CallRow.final_cost, CallRow.last_cost, CallRow.state).where(
                    CallRow.team_id == team_id,
                    CallRow.user_id == user_id,
                    or_(
                        CallRow.state.in_(ACTIVE_STATES),
                        and_(CallRow.state == RecordState.ENDED, CallRow.ended_at >= midnight),
                    ),
                )
            )
            total = Decimal(0)
            for final_cost, last_cost, state in rows:
                ended = state == RecordState.ENDED and final_cost
                total += Decimal(final_cost if ended else last_cost)
            return total

    # --- users -----------------------------------------------------------

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

    # --- confirmations ---------------------------------------------------

    async def new_pending(
        self,
        *,
        team_id: str,
        user_id: str,
        channel_id: str,
        kind: DialKind,
        src: str,
        dsts: Sequence[str],
        price_per_minute: Decimal,
        now: datetime,
        target_key: str | None = None,
    ) -> PendingDial:
        row = PendingRow(
            id=new_key(),
            team_id=team_id,
            user_id=user_id,
            channel_id=channel_id,
            kind=kind,
            src=src,
            dsts=json.dumps(list(dsts)),
            target_key=target_key,
            price_per_minute=str(price_per_minute),
            state="pending",
            created_at=now,
        )
        async with self._session.begin() as session:
            session.add(row)
        return PendingDial.from_row(row)

    async def get_pending(self, pending_id: str) -> PendingDial | None:
        async with self._session() as session:
            row = await session.get(PendingRow, pending_id)
            return None if row is None else PendingDial.from_row(row)

    async def consume_pending(self, pending_id: str, new_state: str, not_before: datetime) -> bool:
        """pending -> used/cancelled, once: a double click finds it already consumed."""
        async with self._session.begin() as session:
            result = await session.execute(
                update(PendingRow)
                .where(
                    PendingRow.id == pending_id,
                    PendingRow.state == "pending",
                    PendingRow.created_at >= not_before,
                )
                .values(state=new_state)
            )
            return bool(result.rowcount)

    # --- audit -----------------------------------------------------------

    async def audit(
        self,
        *,
        now: datetime,
        team_id: str,
        user_id: str,
        action: str,
        call_key: str | None = None,
        subject_id: str | None = None,
        detail: str = "",
        cost: Decimal | None = None,
    ) -> None:
        async with self._session.begin() as session:
            session.add(
                AuditRow(
                    at=now,
                    team_id=team_id,
                    user_id=user_id,
                    action=action,
                    call_key=call_key,
                    subject_id=subject_id,
                    detail=detail,
                    cost=None if cost is None else str(cost),
                )
            )

    async def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
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

    async def same_dial_since(
        self,
        team_id: str,
        user_id: str,
        kind: DialKind,
        src: str,
        dsts: Sequence[str],
        since: datetime,
    ) -> datetime | None:
        """When `user_id` last dialled this very call (or conference) since `since`,
        placed or under way; None if not."""
        async with self._session() as session:
            created: datetime | None = await session.scalar(
                select(func.max(CallRow.created_at)).where(
                    CallRow.team_id == team_id,
                    CallRow.user_id == user_id,
                    CallRow.kind == kind,
                    CallRow.src == src,
                    CallRow.dsts == json.dumps(list(dsts)),
                    CallRow.created_at >= since,
                    CallRow.state != RecordState.NOT_PLACED,
                )
            )
        if created is not None and created.tzinfo is None:  # an aggregate loses the type
            created = created.replace(tzinfo=UTC)
        return created

    async def recent_dials(self, team_id: str, user_id: str, since: datetime) -> int:
        async with self._session() as session:
            count = await session.scalar(
                select(func.count(AuditRow.id)).where(
                    AuditRow.team_id == team_id,
                    AuditRow.user_id == user_id,
                    AuditRow.action == "dial",
                    AuditRow.at >= since,
                )
            )
            return int(count or 0)

    # --- reports -----------------------------------------------------------

    async def calls_between(
        self, team_id: str | None, start: datetime, end: datetime
    ) -> list[CallRecord]:
        """Calls dialled in [start, end), oldest first (of one workspace, or all)."""
        query = select(CallRow).where(CallRow.created_at >= start, CallRow.created_at < end)
        if team_id is not None:
            query = query.where(CallRow.team_id == team_id)
        async with self._session() as session:
            rows = (await session.execute(query.order_by(CallRow.created_at))).scalars()
            return [CallRecord.from_row(r) for r in rows]

    async def recent_calls(self, team_id: str, user_id: str, limit: int = 10) -> list[CallRecord]:
        """A user's latest calls that are over, latest first."""
        async with self._session() as session:
            rows = (
                await session.execute(
                    select(CallRow)
                    .where(
                        CallRow.team_id == team_id,
                        CallRow.user_id == user_id,
                        CallRow.state.not_in(ACTIVE_STATES),
                    )
                    .order_by(CallRow.created_at.desc())
                    .limit(limit)
                )
            ).scalars()
            return [CallRecord.from_row(r) for r in rows]

    async def audits_of(self, keys: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
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

    async def once(self, key: str, now: datetime, window: timedelta) -> bool:
        """True for the first caller with `key` within `window` (any instance), False
        for every repeat: a double click or a second submission does nothing.

        One INSERT on the usual path (every Slack request takes this path once: the
        replay check); on a conflict, an UPDATE that only an expired key lets through,
        so of two callers racing for an expired key exactly one wins."""
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(OnceRow).values(key=key, created_at=now))
        except IntegrityError:
            async with self.engine.begin() as conn:
                renewed = await conn.execute(
                    update(OnceRow)
                    .where(OnceRow.key == key, OnceRow.created_at < now - window)
                    .values(created_at=now)
                )
            return bool(renewed.rowcount)
        return True

    async def once_many(self, keys: Sequence[str], now: datetime, window: timedelta) -> set[str]:
        """`once` for many distinct keys in one transaction: the keys this caller got."""
        try:
            async with self.engine.begin() as conn:
                held = await conn.execute(
                    select(OnceRow.key, OnceRow.created_at).where(OnceRow.key.in_(keys))
                )
                taken = {key: created for key, created in held}
                new = [key for key in keys if key not in taken]
                if new:
                    await conn.execute(
                        insert(OnceRow), [{"key": key, "created_at": now} for key in new]
                    )
        except IntegrityError:
            # Another instance took one of them meanwhile: each on its own, then.
            return {key for key in keys if await self.once(key, now, window)}
        # Rare (a key asked for again after its window): once() settles races for these.
        expired = [key for key, created in taken.items() if created < now - window]
        return {*new, *[key for key in expired if await self.once(key, now, window)]}

    async def final_shown(self, key: str) -> None:
        """The call's message shows its end: nothing more for anyone to write."""
        async with self.engine.begin() as conn:
            await conn.execute(update(CallRow).where(CallRow.key == key).values(final_shown=True))

    async def delivery_backlog(self, now: datetime) -> tuple[int, float]:
        """Messages behind their calls, in every instance: live calls never posted and
        ended ones not shown ended; and how long the oldest has waited (seconds)."""
        behind = and_(
            CallRow.delivery_error.is_(None),
            or_(
                and_(CallRow.state.in_(ACTIVE_STATES), CallRow.message_ts.is_(None)),
                _NOT_SHOWN_ENDED,
            ),
        )
        since = func.min(func.coalesce(CallRow.ended_at, CallRow.created_at))
        async with self.engine.connect() as conn:
            count, oldest = (
                await conn.execute(select(func.count(), since).select_from(CallRow).where(behind))
            ).one()
        if oldest is None:
            return 0, 0.0
        if oldest.tzinfo is None:  # SQLite gives the aggregate back naive
            oldest = oldest.replace(tzinfo=UTC)
        return int(count), max(0.0, (now - oldest).total_seconds())

    async def prune_once(self, prefix: str, before: datetime) -> None:
        """Keys of `prefix` older than `before`: never asked about again, so forgotten."""
        async with self.engine.begin() as conn:
            await conn.execute(
                delete(OnceRow).where(OnceRow.key.startswith(prefix), OnceRow.created_at < before)
            )

    async def forget_once(self, key: str) -> None:
        """Nothing was done under `key` after all (refused before dialling): allow it."""
        async with self._session.begin() as session:
            await session.execute(delete(OnceRow).where(OnceRow.key == key))

    # --- workspaces (distributed mode) ------------------------------------

    async def talkety_account(self, team_id: str) -> TalketyAccountRow | None:
        async with self._session() as session:
            return await session.get(TalketyAccountRow, team_id)

    async def save_talkety_account(self, row: TalketyAccountRow) -> None:
        async with self._session.begin() as session:
            await session.merge(row)

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

    # --- leases ----------------------------------------------------------

    async def acquire(self, key: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take (or keep) the lease on `key` unless a live holder has it."""
        async with self._session.begin() as session:
            result = await session.execute(
                update(LeaseRow)
                .where(
                    LeaseRow.key == key,
                    or_(LeaseRow.holder == holder, LeaseRow.expires_at < now),
                )
                .values(holder=holder, expires_at=now + ttl)
            )
            if result.rowcount:
                return True
        try:
            async with self._session.begin() as session:
                session.add(LeaseRow(key=key, holder=holder, expires_at=now + ttl))
        except IntegrityError:
            return False  # someone else holds it
        return True

    async def renew(
        self, keys: Iterable[str], holder: str, now: datetime, ttl: timedelta
    ) -> set[str]:
        """Extend the leases still held; returns those (the others were lost)."""
        keys = list(keys)
        if not keys:
            return set()
        async with self._session.begin() as session:
            await session.execute(
                update(LeaseRow)
                .where(LeaseRow.key.in_(keys), LeaseRow.holder == holder)
                .values(expires_at=now + ttl)
            )
            held = await session.execute(
                select(LeaseRow.key).where(LeaseRow.key.in_(keys), LeaseRow.holder == holder)
            )
            return {k for (k,) in held}

    async def release(self, keys: Iterable[str], holder: str) -> None:
        keys = list(keys)
        if not keys:
            return
        async with self._session.begin() as session:
            await session.execute(
                delete(LeaseRow).where(LeaseRow.key.in_(keys), LeaseRow.holder == holder)
            )

    async def orphans(
        self, now: datetime, limit: int = 500, *, team_id: str | None = None
    ) -> list[CallRecord]:
        """Calls nobody holds (holder died, or the lease was released) that still need
        someone: live ones, and ended ones whose message does not show the end yet; of
        one workspace when `team_id` is given."""
        query = (
            select(CallRow)
            .outerjoin(LeaseRow, LeaseRow.key == CallRow.key)
            .where(
                or_(CallRow.state.in_(ACTIVE_STATES), _NOT_SHOWN_ENDED),
                or_(LeaseRow.key.is_(None), LeaseRow.expires_at < now),
            )
        )
        if team_id is not None:
            query = query.where(CallRow.team_id == team_id)
        async with self._session() as session:
            rows = (
                await session.execute(query.order_by(CallRow.created_at).limit(limit))
            ).scalars()
            return [CallRecord.from_row(r) for r in rows]


# Ended, and its message not yet showing it (NULL: records from before the column). A
# dial refused before it was ever shown has nothing to show: its caller was told privately.
_NOT_SHOWN_ENDED = and_(
    or_(
        CallRow.state == RecordState.ENDED,
        and_(CallRow.state.in_(FINAL_STATES), CallRow.message_ts.is_not(None)),
    ),
    CallRow.final_shown.is_(False),
    CallRow.delivery_error.is_(None),
)


def _one_subject_per_workspace(conn: Any) -> None:
    """Databases made before several workspaces existed held a Talkety id once in
    all: each workspace now has its own account, so it is unique per workspace."""
    indexes = {i["name"]: i for i in inspect_schema(conn).get_indexes(CallRow.__tablename__)}
    old = indexes.get("ix_slack_calls_subject_id")
    if old is not None and old["unique"]:
        conn.execute(text("DROP INDEX ix_slack_calls_subject_id"))
        conn.execute(text("CREATE INDEX ix_slack_calls_subject_id ON slack_calls (subject_id)"))
    if "ux_slack_calls_team_subject" not in indexes:
        conn.execute(
            text(
                "CREATE UNIQUE INDEX ux_slack_calls_team_subject "
                "ON slack_calls (team_id, subject_id)"
            )
        )


def _new_call_columns(conn: Any) -> None:
    """Databases made before these columns: added, NULL for every old record (final_shown
    NULL reads as shown; thread_ts NULL as the channel itself)."""
    columns = {c["name"] for c in inspect_schema(conn).get_columns(CallRow.__tablename__)}
    for name, kind in (("final_shown", "BOOLEAN"), ("thread_ts", "VARCHAR(32)")):
        if name not in columns:
            conn.execute(text(f"ALTER TABLE slack_calls ADD COLUMN {name} {kind}"))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and one writer work at once: several instances, one file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
