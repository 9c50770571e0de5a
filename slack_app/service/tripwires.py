"""Tripwires at work: the rules (slack_app/tripwires.py) run on each dial (a new country,
an unusual hour) and on every sweep (spend this hour, short calls to one prefix); each
pattern alerts once, in the alerts channel and each admin's DM, with one-click actions
that admins alone may take, each audited."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from ..blocks.alert import alert_message
from ..blocks.kit import Block
from ..errors import UserError
from ..store import AuditAction, AuditEntry, CallRecord, RecordState, Requester
from ..store.guards import Alert, Restriction
from ..store.summary import country_of
from ..tripwires import (
    PastCall,
    Pattern,
    Trip,
    calling_code,
    new_country,
    short_calls,
    spend_spike,
    unusual_hour,
)
from .hangups import HangUps
from .tools import Part, Tools

_LOGGER = logging.getLogger(__name__)

HOUR = timedelta(hours=1)
USUAL = timedelta(days=30)
FOREVER = timedelta(days=365 * 100)  # a country once seen stays seen

# Once per this, per pattern and subject: the key names the subject.
ONCE = {
    Pattern.SPEND_SPIKE: HOUR,
    Pattern.SHORT_CALLS: HOUR,
    Pattern.UNUSUAL_HOUR: timedelta(days=1),
}


def past(record: CallRecord) -> PastCall:
    return PastCall(
        record.user_id,
        record.dsts,
        record.created_at,
        record.cost,
        record.duration,
        record.state.is_final,
    )


class Tripwires(Part):
    def __init__(self, tools: Tools, *, hangups: HangUps, team_id: str | None) -> None:
        super().__init__(tools)
        self.hangups = hangups
        self.team_id = team_id  # None: every workspace's (single-workspace mode)

    # --- watching ---------------------------------------------------------------

    async def after_dial(self, req: Requester, record: CallRecord) -> None:
        """A new country, an unusual hour: looked at as the call is placed. Never fails a
        dial: a tripwire that cannot look says so in the log."""
        try:
            home = calling_code(record.src)
            for number in record.dsts:
                if calling_code(number) == home:
                    continue  # the caller's own country: not where fraud goes
                if await self._first_to_country(req.team_id, number, record.key):
                    first = new_country(req.user_id, number, country_of(number))
                    await self._fire(req.team_id, first, once=None)
            now = self.now()
            before = await self.store.history.calls_between(
                req.team_id, now - USUAL, record.created_at, req.user_id
            )
            trip = unusual_hour(
                req.user_id,
                record.dsts[0],
                record.created_at,
                [past(r) for r in before if r.state is not RecordState.NOT_PLACED],
                history=self.policy.usual_hours_history,
            )
            if trip is not None:
                await self._fire(req.team_id, trip, once=f"{req.user_id}:{now:%Y%m%d}")
        except Exception:
            _LOGGER.exception("Tripwires could not look at call %s", record.key)

    async def watch(self) -> None:
        """Spend this hour and short calls, over the last hour's calls (a sweeper job)."""
        now = self.now()
        recent = await self.store.history.calls_between(self.team_id, now - HOUR, now)
        by_team: dict[str, list[CallRecord]] = defaultdict(list)
        for record in recent:
            if record.state is not RecordState.NOT_PLACED:
                by_team[record.team_id].append(record)
        for team_id, records in by_team.items():
            for trip in short_calls(map(past, records), threshold=self.policy.short_calls_alert):
                await self._fire(team_id, trip, once=f"{trip.prefix}:{now:%Y%m%d%H}")
            for user_id in {r.user_id for r in records}:
                await self._spend_of(team_id, user_id, [r for r in records if r.user_id == user_id])

    async def _spend_of(self, team_id: str, user_id: str, hour: list[CallRecord]) -> None:
        floor = self.policy.spend_alert_floor or Decimal(0)
        if sum((r.cost for r in hour), Decimal(0)) <= floor:
            return  # the usual spend is read only for those who might be over it
        start = min(r.created_at for r in hour)
        before = await self.store.history.calls_between(team_id, start - USUAL, start, user_id)
        trip = spend_spike(
            user_id,
            [past(r) for r in hour],
            [past(r) for r in before if r.state is not RecordState.NOT_PLACED],
            factor=self.policy.spend_alert_factor,
            floor=floor,
            currency=self.display.currency,
        )
        if trip is not None:
            await self._fire(team_id, trip, once=f"{user_id}:{self.now():%Y%m%d%H}")

    async def _first_to_country(self, team_id: str, number: str, placing: str) -> bool:
        """Whether this is the workspace's first call to `number`'s country (calls before
        tripwires existed count: the first look notes every country called so far)."""
        now = self.now()
        if await self.store.once_keys.once(f"tw-seeded:{team_id}", now, FOREVER):
            called = await self.store.history.calls_between(team_id, now - FOREVER, now)
            # The call being placed is not history.
            codes = {calling_code(d) for r in called if r.key != placing for d in r.dsts}
            if codes:
                keys = [f"tw-country:{team_id}:{code}" for code in codes]
                await self.store.once_keys.once_many(keys, now, FOREVER)
        key = f"tw-country:{team_id}:{calling_code(number)}"
        return await self.store.once_keys.once(key, now, FOREVER)

    async def _fire(self, team_id: str, trip: Trip, *, once: str | None) -> None:
        now = self.now()
        if once is not None:
            key = f"tw:{trip.pattern}:{team_id}:{once}"
            if not await self.store.once_keys.once(key, now, ONCE[trip.pattern]):
                return
        alert = await self.store.guards.add_alert(
            team_id, trip.pattern, trip.user_id, trip.prefix, trip.summary, now
        )
        detail = {"pattern": trip.pattern, "alert": alert.id, "prefix": trip.prefix}
        await self.store.audit.add(
            AuditEntry(now, team_id, trip.user_id, AuditAction.TRIPWIRE, detail=json.dumps(detail))
        )
        text, blocks = await self.render(alert)
        places = [self.policy.alerts_channel] if self.policy.alerts_channel else []
        for place in [*places, *sorted(self.policy.admins)]:
            posted = await self.gateway.post_message(place, text, blocks)
            if not posted.ok:
                _LOGGER.warning("A tripwire alert could not reach %s: %s", place, posted.error)

    # --- acting -------------------------------------------------------------------

    async def act(self, req: Requester, alert_id: str, action: str) -> tuple[str, list[Block]]:
        """An admin's click on an alert; the alert as it stands after it."""
        if not self.policy.is_admin(req.user_id):
            raise UserError("Only the app's admins can act on fraud alerts.")
        alert = await self.store.guards.alert(alert_id)
        if alert is None or alert.team_id != req.team_id:
            raise UserError("I don't know that alert.")
        guards, now, by = self.store.guards, self.now(), req.user_id
        match action:
            case "blocked":
                await guards.restrict(req.team_id, Restriction.PREFIX, alert.prefix, by, now)
            case "unblocked":
                await guards.lift(req.team_id, Restriction.PREFIX, alert.prefix)
            case "paused":
                await guards.restrict(req.team_id, Restriction.USER, alert.user_id, by, now)
            case "resumed":
                await guards.lift(req.team_id, Restriction.USER, alert.user_id)
            case "hung_up":
                await self._hang_up_all(req, alert.user_id)
        acted = await guards.acted(alert_id, action, by)
        assert acted is not None
        audit = {"alert": alert_id, "did": action, "prefix": alert.prefix, "user": alert.user_id}
        await self.store.audit.add(
            AuditEntry(now, req.team_id, by, AuditAction.GUARD, detail=json.dumps(audit))
        )
        return await self.render(acted)

    async def _hang_up_all(self, req: Requester, user_id: str) -> None:
        for record in await self.store.calls.live_calls(req.team_id, user_id):
            try:
                await self.hangups.hang_up(req, record.key)
            except UserError as err:  # still dialling: its limits and lookup still apply
                _LOGGER.info("Alert hang-up of %s: %s", record.key, err)

    async def render(self, alert: Alert) -> tuple[str, list[Block]]:
        blocked = alert.prefix in await self.store.guards.restricted(
            alert.team_id, Restriction.PREFIX
        )
        paused = alert.user_id in await self.store.guards.restricted(
            alert.team_id, Restriction.USER
        )
        return alert_message(alert, blocked=blocked, paused=paused)
