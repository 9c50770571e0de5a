"""Hanging up from Slack: a call or conference, one participant, or (admins) any id."""

from __future__ import annotations

from talkety_core import (
    Conference,
    TalketyNotActiveError,
    TalketyNotFoundError,
)

from ..errors import UserError
from ..formatting import code
from ..store import AuditAction, AuditEntry, CallRecord, RecordState, Requester
from .access import Access
from .tools import Part, Tools

# What `/hangup <kind> <id>` may name when an id is both a call's and a conference's.
KINDS = {"call": False, "conference": True}


class HangUps(Part):
    def __init__(self, tools: Tools, *, access: Access) -> None:
        super().__init__(tools)
        self.access = access

    async def hang_up(self, req: Requester, key: str) -> str:
        record = await self.access.controlled(req, key, "hang up")
        return await self._hang_up(req, record)

    async def hang_up_by_id(self, req: Requester, subject_id: str, kind: str | None = None) -> str:
        """`/hangup <id>` (or `/hangup call|conference <id>`): a call started here, by its
        Talkety id; admins may end any call or conference of the account."""
        conference = None if kind is None else KINDS[kind]
        placed = await self.store.calls.by_subject(subject_id, team_id=self.tracker.team_id)
        records = [r for r in placed if conference in (None, r.is_conference)]
        if records:
            record = self._one_of(records, subject_id)
            self.access.check_control(req, record, "hang up")
            return await self._hang_up(req, record)
        if not self.policy.is_admin(req.user_id):
            raise UserError(
                f"I don't know a call {code(subject_id)} started from Slack. "
                "`/hangup` with no id lists yours."
            )
        if conference is None:
            conference = await self._kind_of(subject_id)
        await self.client.hang_up(subject_id, conference=conference)
        await self._audit(req, None, subject_id)
        return f"Hung up {code(subject_id)}."

    def _one_of(self, records: list[CallRecord], subject_id: str) -> CallRecord:
        """The call or the conference placed here under `subject_id`: the live one; if
        both are live, the requester must say which."""
        live = [r for r in records if r.state is RecordState.LIVE]
        if len(live) > 1:
            raise UserError(_both(subject_id))
        return (live or records)[0]

    async def _kind_of(self, subject_id: str) -> bool:
        """Whether `subject_id` is a conference's (True) or a call's (False). One number
        can be both: then the live one, and if both are live the admin must say which."""
        found: dict[bool, bool] = {}  # conference? -> live?
        missing: TalketyNotFoundError | None = None
        for conference in (False, True):
            try:
                found[conference] = (
                    await self.client.status(subject_id, conference=conference)
                ).is_active
            except TalketyNotFoundError as err:
                missing = err
        if not found and missing is not None:
            raise missing
        live = [conference for conference, active in found.items() if active]
        if len(live) > 1:
            raise UserError(_both(subject_id))
        return (live or list(found))[0]

    async def _hang_up(self, req: Requester, record: CallRecord) -> str:
        if record.state is RecordState.UNKNOWN or record.subject_id is None:
            raise UserError(
                "I'm still finding out whether that call was placed; try again in a moment."
            )
        if record.state is not RecordState.LIVE:
            return "That call has already ended."
        try:
            await self.client.hang_up(record.subject_id, conference=record.is_conference)
        except TalketyNotActiveError:
            return "That call has already ended."
        except TalketyNotFoundError:
            return "Talkety does not know that call any more."
        finally:
            self.tracker.wake()  # the change shows with the next poll
        await self._audit(req, record, record.subject_id)
        what = "conference" if record.is_conference else "call"
        return f"Hung up {what} {code(record.subject_id)}."

    async def hang_up_leg(self, req: Requester, key: str, leg_id: str) -> str:
        record = await self.access.controlled(req, key, "hang up participants of")
        if (
            not record.is_conference
            or record.state is not RecordState.LIVE
            or record.subject_id is None
        ):
            return "That conference has already ended."
        state = self.tracker.state_of(key)
        if not isinstance(state, Conference) or all(leg.id != leg_id for leg in state.legs):
            state = await self.client.conference_status(record.subject_id)
        leg = next((leg for leg in state.legs if leg.id == leg_id), None)
        if leg is None:
            raise UserError("That participant is not in this conference.")
        if not leg.is_active:
            return "That participant has already left."
        try:
            await self.client.call_disconnect(leg_id)
        except TalketyNotActiveError:
            return "That participant has already left."
        finally:
            self.tracker.wake()
        await self._audit(req, record, leg_id)
        return "Hung up the participant."

    async def _audit(self, req: Requester, record: CallRecord | None, subject_id: str) -> None:
        if record is not None:
            entry = AuditEntry.of_call(
                record, AuditAction.HANGUP, self.now(), by=req.user_id, subject_id=subject_id
            )
        else:  # a call of the account not started from Slack
            entry = AuditEntry(
                self.now(), req.team_id, req.user_id, AuditAction.HANGUP, subject_id=subject_id
            )
        await self.store.audit.add(entry)

    async def my_live_calls(self, req: Requester) -> list[CallRecord]:
        return await self.store.calls.live_calls(req.team_id, req.user_id)


def _both(subject_id: str) -> str:
    return (
        f"{code(subject_id)} is both a call and a conference: say which, with "
        f"`/hangup call {subject_id}` or `/hangup conference {subject_id}`."
    )
