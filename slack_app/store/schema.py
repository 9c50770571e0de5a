"""Tables (SQLAlchemy 2.0). Money is stored as text so Decimals survive any backend."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .lifecycle import PendingState


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite forgets the zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        moment: datetime = value
        return moment.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class CallRow(Base):
    """One call or conference started from Slack, and the message that shows it."""

    __tablename__ = "slack_calls"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Unique per workspace and kind (index made in Store.create, which mends old databases).
    subject_id: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # call | conference
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    message_channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    src: Mapped[str] = mapped_column(String(32))
    dsts: Mapped[str] = mapped_column(Text)  # JSON list
    price_per_minute: Mapped[str] = mapped_column(String(32), default="0")
    # live: dialled; unknown: outcome unknown, reconciling; ended; not_placed
    state: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(32), default="connecting")
    last_cost: Mapped[str] = mapped_column(String(32), default="0")
    duration: Mapped[int] = mapped_column(Integer, default=0)
    final_cost: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    auto_hangup: Mapped[str | None] = mapped_column(Text)
    delivery_error: Mapped[str | None] = mapped_column(String(64))
    # False until the message shows the call's end: any instance's sweep (orphans) finds
    # it until then. NULL: a record from before this column (taken as shown).
    final_shown: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    thread_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # JSON {number: Slack user id} for the numbers that are people called by name.
    people: Mapped[str | None] = mapped_column(Text, nullable=True)


class LeaseRow(Base):
    """Which instance updates a message and monitors its call, until when."""

    __tablename__ = "slack_leases"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class UserRow(Base):
    __tablename__ = "slack_users"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32))


class PendingRow(Base):
    """A dial waiting for the user's confirmation (the button carries only its id)."""

    __tablename__ = "slack_pending"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # call | conference | add
    src: Mapped[str] = mapped_column(String(32))
    dsts: Mapped[str] = mapped_column(Text)
    target_key: Mapped[str | None] = mapped_column(String(32))  # conference for "add"
    people: Mapped[str | None] = mapped_column(Text, nullable=True)  # as in CallRow
    price_per_minute: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default=PendingState.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditRow(Base):
    """Who called whom, when, at what cost; also what was refused and who hung up."""

    __tablename__ = "slack_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(32))
    call_key: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[str | None] = mapped_column(String(32))


class TalketyAccountRow(Base):
    """A workspace's own Talkety account (distributed mode); `sealed` holds the
    password and app key, encrypted (slack_app.secret_box)."""

    __tablename__ = "slack_talkety_accounts"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(128))
    sealed: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(8))
    region: Mapped[str | None] = mapped_column(String(8))
    connected_by: Mapped[str] = mapped_column(String(32))
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WorkspaceSettingsRow(Base):
    """A workspace's policy, where its admins changed the environment's defaults (JSON)."""

    __tablename__ = "slack_workspace_settings"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    policy: Mapped[str] = mapped_column(Text, default="{}")
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApprovalRow(Base):
    """A pending dial (same id) that a second person must approve: where it was asked, and
    who decided. Whether it was approved is the pending dial's state (answered once)."""

    __tablename__ = "slack_approvals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    reason: Mapped[str] = mapped_column(Text)
    channel_id: Mapped[str] = mapped_column(String(32))  # the approvers'
    message_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(32), nullable=True)


class ChannelBudgetRow(Base):
    """A channel's monthly budget (a team's cost centre): calls placed there stop at it."""

    __tablename__ = "slack_channel_budgets"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    monthly: Mapped[str] = mapped_column(String(32))  # money as text, like every amount
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RestrictionRow(Base):
    """An admin's one-click stop from a tripwire alert: a blocked prefix, a paused user."""

    __tablename__ = "slack_restrictions"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # prefix | user
    value: Mapped[str] = mapped_column(String(32), primary_key=True)
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AlertRow(Base):
    """A tripwire that fired: what it saw, and what admins did about it."""

    __tablename__ = "slack_alerts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    pattern: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))  # whose call tripped it
    prefix: Mapped[str] = mapped_column(String(32))  # the number prefix it is about
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actions: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[action, by], ...]


class StepRow(Base):
    """A Workflow Builder step this app runs, open until Slack has been told how it ended."""

    __tablename__ = "slack_steps"

    execution_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[str] = mapped_column(String(32))  # the caller: the step runs as them
    function: Mapped[str] = mapped_column(String(64))
    # Set in the transaction that saves the call, so a step has a call exactly if it dialled.
    call_key: Mapped[str | None] = mapped_column(String(32), nullable=True)
    refused: Mapped[str | None] = mapped_column(Text, nullable=True)  # why nothing was dialled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)


class OnceRow(Base):
    """Things done at most once per key: a shortcut's dial, a call-back, a day's digest."""

    __tablename__ = "slack_once"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
