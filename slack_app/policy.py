"""Who may call what, and how much: pure decisions, no I/O.

Calls cost money, so every check answers with a sentence the user can act on
(raised as PolicyError) instead of a bare "no".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from talkety_core import Call, Conference

from .formatting import format_duration, format_money


class PolicyError(Exception):
    """The request is refused; str() is the friendly reason."""


@dataclass(frozen=True)
class Policy:
    # Empty allowed_* means everyone in the workspace may call.
    allowed_users: frozenset[str] = field(default_factory=frozenset)
    allowed_usergroups: frozenset[str] = field(default_factory=frozenset)
    admins: frozenset[str] = field(default_factory=frozenset)
    # Per-minute price (any one number) above which the user must confirm.
    confirm_above: Decimal | None = Decimal("0.50")
    max_call_cost: Decimal | None = None
    max_call_seconds: int | None = None
    daily_cap: Decimal | None = None
    blocked_prefixes: tuple[str, ...] = ()
    block_premium: bool = True
    rate_limit: tuple[int, int] = (5, 60)  # dials per seconds, per user
    mask_visible: int = 4
    default_region: str | None = None
    max_participants: int = 20
    # A colleague called by name without a saved number is rung on their Slack profile's
    # phone. Off by default: a profile phone was not given to be rung from Slack.
    profile_phones: bool = False
    # A second person approves calls dearer than this a minute (any one number), or to
    # these prefixes, in the approvers' channel, within approval_seconds.
    approve_above: Decimal | None = None
    approve_prefixes: tuple[str, ...] = ()
    approvals_channel: str | None = None
    approval_seconds: int = 15 * 60
    # Tripwires (slack_app/tripwires.py says why these defaults): alerts go to this
    # channel, if set, and to each admin's DM; 0 turns a rule off.
    alerts_channel: str | None = None
    spend_alert_factor: int = 5
    spend_alert_floor: Decimal | None = Decimal("5")
    short_calls_alert: int = 5
    usual_hours_history: int = 10

    @property
    def restricted(self) -> bool:
        return bool(self.allowed_users or self.allowed_usergroups)

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admins

    def may_call(self, user_id: str, usergroup_members: Iterable[str] = ()) -> bool:
        if not self.restricted or self.is_admin(user_id) or user_id in self.allowed_users:
            return True
        return user_id in set(usergroup_members)

    def may_control(self, user_id: str, owner_id: str) -> bool:
        """Hang up, add participants: the one who started it, or an admin."""
        return user_id == owner_id or self.is_admin(user_id)

    def check_prefixes(self, numbers: Iterable[str], also: Iterable[str] = ()) -> None:
        """`also`: prefixes blocked beyond the policy's (by an admin, from an alert)."""
        blocked = (*self.blocked_prefixes, *also)
        for number in numbers:
            for prefix in blocked:
                if number.startswith(prefix):
                    raise PolicyError(
                        f"Calls to numbers starting with +{prefix} are blocked in this "
                        "workspace. Ask an admin if you need one."
                    )

    def check_participants(self, count: int) -> None:
        if count > self.max_participants:
            raise PolicyError(
                f"A conference can have at most {self.max_participants} participants "
                f"here; you asked for {count}."
            )

    def check_rate(self, recent_dials: int) -> None:
        count, window = self.rate_limit
        if count and recent_dials >= count:
            raise PolicyError(
                f"Easy there: at most {count} calls per {format_duration(window)} each. "
                "Try again in a moment."
            )

    def check_daily_cap(self, spent_today: Decimal, currency: str) -> None:
        if self.daily_cap is not None and spent_today >= self.daily_cap:
            raise PolicyError(
                f"You have spent {format_money(spent_today, currency)} today, your daily "
                f"limit of {format_money(self.daily_cap, currency)}. It resets at 00:00 UTC."
            )

    def check_channel_budget(
        self, spent: Decimal, budget: Decimal, channel_id: str, currency: str
    ) -> None:
        if spent >= budget:
            raise PolicyError(
                f"<#{channel_id}> has spent {format_money(spent, currency)} this month, its "
                f"budget of {format_money(budget, currency)}. It resets on the 1st (UTC); an "
                "admin can change it with `/call budget`."
            )

    def needs_confirmation(self, per_minute_prices: Iterable[Decimal]) -> bool:
        if self.confirm_above is None:
            return False
        return any(price > self.confirm_above for price in per_minute_prices)

    def approval_reason(self, dsts: Iterable[str], highest: Decimal, currency: str) -> str | None:
        """Why a dial needs a second person's approval, or None."""
        for number in dsts:
            prefix = next((p for p in self.approve_prefixes if number.startswith(p)), None)
            if prefix is not None:
                return f"calls to numbers starting with +{prefix} need an approver here"
        if self.approve_above is not None and highest > self.approve_above:
            return (
                f"a number on it costs {format_money(highest, currency)} a minute, above the "
                f"{format_money(self.approve_above, currency)} that needs an approver here"
            )
        return None

    def limit_reached(self, subject: Call | Conference, currency: str) -> str | None:
        """Why a live call must be hung up now, or None."""
        if self.max_call_cost is not None and subject.total_costs >= self.max_call_cost:
            return (
                f"reached the maximum cost per call ({format_money(self.max_call_cost, currency)})"
            )
        if self.max_call_seconds is not None and subject.duration >= self.max_call_seconds:
            return f"reached the maximum duration ({format_duration(self.max_call_seconds)})"
        return None

    def over_channel_budget(
        self, spent: Decimal, budget: Decimal, channel_id: str, currency: str
    ) -> str | None:
        if spent >= budget:
            return f"<#{channel_id}> reached its monthly budget ({format_money(budget, currency)})"
        return None

    def over_daily_cap(self, spent_today: Decimal, currency: str) -> str | None:
        if self.daily_cap is not None and spent_today >= self.daily_cap:
            return f"reached the daily spend limit ({format_money(self.daily_cap, currency)})"
        return None
