"""What the commands, buttons and modals do: plan, check, confirm, dial, hang up.

Listeners parse Slack payloads and call these; everything a user may get
wrong raises UserError / PolicyError / NumberInputError with a sentence for
them, and Talkety failures are turned into sentences by errors.friendly().
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from talkety_core import (
    Conference,
    Pricing,
    TalketyCallNotFoundError,
    TalketyCallOutcomeUnknownError,
    TalketyClient,
    TalketyError,
    TalketyNotActiveError,
    TalketyNotFoundError,
)
from talkety_core.numbers import PhoneNumberError, parse_number

from .blocks import replies
from .blocks.call_message import Display, render_call_message
from .blocks.modals import Choice
from .errors import UserError, friendly
from .formatting import code, escape, format_money
from .live.tracker import CallTracker, disconnect, utcnow
from .numbers_found import find_numbers
from .numbers_input import NumberInputError, read_numbers_input, split_numbers
from .policy import Policy, PolicyError
from .slack_gateway import (
    CHANNEL_ERRORS,
    RATE_LIMITED,
    ReplyTarget,
    SlackGateway,
    is_transient,
)
from .store import CallRecord, DialKind, PendingDial, RecordState, Store

_LOGGER = logging.getLogger(__name__)

MAX_PRICED_NUMBERS = 50
# A second shortcut submission or call-back click within this window dials nothing.
ONCE_WINDOW = timedelta(minutes=2)
# The same person asking for the same call again this soon is asked before it dials.
REPEAT_WINDOW = timedelta(minutes=2)
CONFIRMATION_TTL = timedelta(minutes=10)
USERGROUP_CACHE_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Requester:
    team_id: str
    user_id: str
    channel_id: str
    response_url: str | None = None
    thread_ts: str | None = None  # asked from a thread: the status goes there too

    @property
    def target(self) -> ReplyTarget:
        return ReplyTarget(self.user_id, self.channel_id, self.response_url)


@dataclass(frozen=True, slots=True)
class Numbers:
    """What a command would dial, read before anything is asked of Talkety; `yours`: the
    first number is the user's own saved one."""

    kind: DialKind
    src: str
    dsts: tuple[str, ...]
    yours: bool


@dataclass(frozen=True, slots=True)
class DialPlan:
    kind: DialKind
    src: str
    dsts: tuple[str, ...]
    per_minute: Decimal  # what the call costs per minute, all numbers together
    highest: Decimal  # the dearest single number
    target_key: str | None = None


class CallService:
    def __init__(
        self,
        *,
        client: TalketyClient,
        store: Store,
        tracker: CallTracker,
        gateway: SlackGateway,
        policy: Policy,
        display: Display,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.client = client
        self.store = store
        self.tracker = tracker
        self.gateway = gateway
        self.policy = policy
        self.display = display
        self.now = now
        self._groups: dict[str, tuple[float, set[str]]] = {}

    # --- numbers and prices ----------------------------------------------

    def normalise(self, typed: str) -> str:
        """Talkety's digits for one typed number under the policy's default country and
        premium-rate rule, or NumberInputError with a reason the user can act on."""
        try:
            return parse_number(
                typed,
                default_region=self.policy.default_region,
                block_premium=self.policy.block_premium,
            )
        except PhoneNumberError as err:
            # Its message names what was typed already: quoted once, not twice.
            raise NumberInputError(escape(str(err))) from None

    async def price(self, text: str) -> tuple[str, list[dict[str, object]]]:
        typed = split_numbers(text)
        if not typed:
            raise UserError(replies.help_text("/price"))
        if len(typed) > MAX_PRICED_NUMBERS:
            raise UserError(f"I can price at most {MAX_PRICED_NUMBERS} numbers at once.")
        numbers: list[str] = []
        unreadable: list[str] = []
        for number in typed:
            try:
                numbers.append(self.normalise(number))
            except NumberInputError as err:  # show it with the others, not instead of them
                unreadable.append(str(err))
        if not numbers:
            raise UserError("\n".join([*unreadable, replies.NUMBERS_HINT]))
        pricing = await self.client.pricing(numbers)
        return replies.price_blocks(pricing, self.display.currency, unreadable)

    # --- planning --------------------------------------------------------

    async def plan_call(self, req: Requester, text: str) -> DialPlan:
        numbers = await self.call_numbers(req, text)
        return await self.plan_numbers(req, numbers)

    async def call_numbers(self, req: Requester, text: str) -> Numbers:
        """What `/call <text>` would dial, read before anything is asked of Talkety."""
        given = read_numbers_input(text)
        numbers = [self.normalise(t) for t in given.numbers]
        src = self.normalise(given.src) if given.src else None
        if src is None and len(numbers) == 2:
            src, numbers = numbers[0], numbers[1:]
        if len(numbers) != 1:
            raise UserError(
                "`/call` takes one number to call (and optionally yours first): "
                "`/call +1 416 555 0100` or `/call <from> <to>`. For more people use `/conf`."
            )
        if src is not None:
            return Numbers(DialKind.CALL, src, tuple(numbers), yours=False)
        saved = await self._saved_or_explain(req, "/call <from> <to>")
        return Numbers(DialKind.CALL, saved, tuple(numbers), yours=True)

    async def plan_numbers(self, req: Requester, numbers: Numbers) -> DialPlan:
        """The plan for numbers read by call_numbers or conference_numbers."""
        return await self._plan(req, numbers.kind, numbers.src, numbers.dsts)

    async def plan_pair(self, req: Requester, src_text: str, dst: str) -> DialPlan:
        """A call to `dst` (already Talkety's digits) from a modal: same checks as /call."""
        src = self.normalise(src_text) if src_text else None
        src = src or await self._saved_or_explain(req, "/call <from> <to>")
        return await self._plan(req, DialKind.CALL, src, [self.normalise(dst)])

    def offer(self, text: str) -> list[Choice]:
        """The numbers in a message, each callable or with the reason it is not."""
        choices = []
        for typed in find_numbers(text, self.policy.default_region):
            try:
                digits = self.normalise(typed)
                self.policy.check_prefixes([digits])
            except (NumberInputError, PolicyError) as err:
                choices.append(Choice(typed, None, _reason(err, typed)))
                continue
            choices.append(Choice(typed, digits))
        return choices

    async def priced(self, choices: Sequence[Choice]) -> list[Choice]:
        """`choices` with each callable number's price per minute (or why Talkety
        cannot call it)."""
        numbers = [c.digits for c in choices if c.digits][:MAX_PRICED_NUMBERS]
        if not numbers:
            return list(choices)
        prices = {n.number: n for n in (await self.client.pricing(numbers)).numbers}
        out = []
        for choice in choices:
            price = prices.get(choice.digits or "")
            if price is None:
                out.append(choice)
            elif not price.valid:
                out.append(Choice(choice.typed, None, "not a valid number"))
            elif price.cost is not None:
                per_minute = format_money(price.cost, self.display.currency)
                out.append(Choice(choice.typed, choice.digits, f"{per_minute}/min"))
            else:
                out.append(choice)
        return out

    async def _record_of(self, req: Requester, key: str) -> CallRecord | None:
        """The record a button or form names, if it is one of the requester's workspace:
        in a channel two workspaces share, one must not act through the other's."""
        record = await self.store.get_call(key)
        return record if record is not None and record.team_id == req.team_id else None

    async def call_back(self, req: Requester, key: str) -> None:
        """Redial a finished call's pair, through the policy again."""
        record = await self._record_of(req, key)
        if record is None or record.is_conference:
            raise UserError("I can only call back a call placed from Slack.")
        if record.user_id != req.user_id:
            raise UserError(
                f"Only <@{record.user_id}> can call back from here (it rings their phone). "
                "Use `/call` to place your own."
            )
        where = Requester(req.team_id, req.user_id, record.channel_id, req.response_url)
        once = f"call-back:{key}"
        if not await self.store.once(once, self.now(), ONCE_WINDOW):
            raise UserError("You just called back from this message; nothing more was dialled.")
        planning = self._plan(where, DialKind.CALL, record.src, list(record.dsts))
        plan = await self.planned_once(once, planning)
        # Calling back the call that just ended is the point: not asked as a repeat.
        await self.submit(where, plan, ask_if_repeated=False)

    async def planned_once(self, once: str, planning: Awaitable[DialPlan]) -> DialPlan:
        """A plan made under a `once` key: refused (nothing dialled), the key is given
        back, so that trying again after fixing what was wrong is not taken for a repeat."""
        try:
            return await planning
        except BaseException:
            await self.store.forget_once(once)
            raise

    async def plan_conference(
        self, req: Requester, text: str, *, src_text: str | None = None
    ) -> DialPlan:
        numbers = await self.conference_numbers(req, text, src_text=src_text)
        return await self.plan_numbers(req, numbers)

    async def conference_numbers(
        self, req: Requester, text: str, *, src_text: str | None = None
    ) -> Numbers:
        """What `/conf <text>` would dial, read before anything is asked of Talkety."""
        given = read_numbers_input(text)
        numbers = [self.normalise(t) for t in given.numbers]
        src_typed = src_text or given.src
        src = self.normalise(src_typed) if src_typed else None
        yours = False
        if src is None:
            saved = await self.store.saved_number(req.team_id, req.user_id)
            if numbers and (saved is None or numbers[0] == saved):
                src, numbers = numbers[0], numbers[1:]
            else:
                src = saved
            yours = src is not None and src == saved
        if src is None or not numbers:
            raise UserError(
                "A conference needs your number and at least one participant: "
                "`/conf <from> <to>, <to>` (or save your number with `/call set-number`)."
            )
        self.policy.check_participants(len(numbers))
        return Numbers(DialKind.CONFERENCE, src, tuple(numbers), yours=yours)

    async def plan_add(self, req: Requester, key: str, text: str) -> DialPlan:
        record = await self.controlled(req, key, "add participants to")
        if (
            not record.is_conference
            or record.state is not RecordState.LIVE
            or not record.subject_id
        ):
            raise UserError("Participants can only be added to a running conference.")
        numbers = [self.normalise(t) for t in split_numbers(text)]
        if not numbers:
            raise UserError("Which number should I add?")
        state = self.tracker.state_of(key)
        if not isinstance(state, Conference):
            state = await self.client.conference_status(record.subject_id)
        if not state.is_active:
            raise UserError("That conference has already ended.")
        present = sum(1 for leg in state.active_legs if not leg.owner)
        self.policy.check_participants(present + len(numbers))
        return await self._plan(
            req, DialKind.ADD, record.src, numbers, target_key=key, price_src=False
        )

    async def _plan(
        self,
        req: Requester,
        kind: DialKind,
        src: str,
        dsts: Sequence[str],
        *,
        target_key: str | None = None,
        price_src: bool = True,
    ) -> DialPlan:
        if src in dsts:
            raise UserError("You can't call the number you are calling from.")
        await self.check_allowed(req)
        self.policy.check_prefixes([src, *dsts])
        await self._check_budget(req)
        numbers = [src, *dsts] if price_src else list(dsts)
        pricing = await self.client.pricing(numbers)
        _refuse_invalid(pricing)
        costs = [n.cost for n in pricing.numbers if n.cost is not None]
        return DialPlan(
            kind, src, tuple(dsts), pricing.total_costs, max(costs, default=Decimal(0)), target_key
        )

    async def check_allowed(self, req: Requester) -> None:
        members: set[str] = set()
        if self.policy.restricted and req.user_id not in self.policy.allowed_users:
            for group in self.policy.allowed_usergroups:
                members |= await self._members(group)
        if not self.policy.may_call(req.user_id, members):
            raise PolicyError("You are not allowed to place calls from this workspace.")

    async def _members(self, group: str) -> set[str]:
        cached = self._groups.get(group)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        members = await self.gateway.usergroup_members(group)
        if members is None:
            return cached[1] if cached else set()
        self._groups[group] = (time.monotonic() + USERGROUP_CACHE_SECONDS, members)
        return members

    async def _check_budget(self, req: Requester) -> None:
        now = self.now()
        count, window = self.policy.rate_limit
        if count:
            recent = await self.store.recent_dials(
                req.team_id, req.user_id, now - timedelta(seconds=window)
            )
            self.policy.check_rate(recent)
        if self.policy.daily_cap is not None:
            spent = await self.store.spend_today(req.team_id, req.user_id, now)
            self.policy.check_daily_cap(spent, self.display.currency)

    async def _saved_or_explain(self, req: Requester, usage: str) -> str:
        saved = await self.store.saved_number(req.team_id, req.user_id)
        if saved is None:
            raise UserError(
                "Which number should ring first? Save yours once with "
                f"`/call set-number <your number>` (or in my App Home), or use `{usage}`."
            )
        return saved

    # --- confirming and dialling -----------------------------------------

    async def submit(self, req: Requester, plan: DialPlan, *, ask_if_repeated: bool = True) -> None:
        """Dial now, or ask first: when the same call was just placed (typed twice, say),
        or when a number is above the price threshold."""
        if ask_if_repeated and plan.kind is not DialKind.ADD:
            placed = await self.store.same_dial_since(
                req.team_id,
                req.user_id,
                plan.kind,
                plan.src,
                plan.dsts,
                self.now() - REPEAT_WINDOW,
            )
            if placed is not None:
                pending = await self._pending(req, plan)
                text, blocks = replies.repeat_blocks(
                    pending, plan.per_minute, self.now() - placed, self.display
                )
                await self.gateway.tell(req.target, text, blocks)
                return
        if self.policy.needs_confirmation([plan.highest]):
            pending = await self._pending(req, plan)
            assert self.policy.confirm_above is not None
            text, blocks = replies.confirm_blocks(
                pending, plan.per_minute, self.policy.confirm_above, self.display
            )
            await self.gateway.tell(req.target, text, blocks)
            return
        await self.place(req, plan)

    async def _pending(self, req: Requester, plan: DialPlan) -> PendingDial:
        return await self.store.new_pending(
            team_id=req.team_id,
            user_id=req.user_id,
            channel_id=req.channel_id,
            kind=plan.kind,
            src=plan.src,
            dsts=plan.dsts,
            price_per_minute=plan.per_minute,
            now=self.now(),
            target_key=plan.target_key,
        )

    async def confirm(self, req: Requester, pending_id: str, *, accept: bool) -> None:
        pending = await self.store.get_pending(pending_id)
        if pending is None or pending.team_id != req.team_id:
            raise UserError("That confirmation is no longer valid.")
        if pending.user_id != req.user_id:
            raise UserError(f"Only <@{pending.user_id}> can answer this.")
        consumed = await self.store.consume_pending(
            pending_id, "used" if accept else "cancelled", self.now() - CONFIRMATION_TTL
        )
        if not consumed:
            raise UserError(
                "This was already answered (or is older than 10 minutes); nothing more was done."
            )
        if not accept:
            await self.gateway.tell(
                req.target, "Cancelled: nothing was dialled.", replace_original=True
            )
            return
        await self.gateway.tell(req.target, "Confirmed, dialling…", replace_original=True)
        where = Requester(req.team_id, req.user_id, pending.channel_id, req.response_url)
        await self._recheck(where)
        await self.place(where, _plan_of(pending), confirmed=True)

    async def _recheck(self, req: Requester) -> None:
        # Time has passed since the plan: the user's rights and budget may have changed.
        await self.check_allowed(req)
        await self._check_budget(req)

    async def place(self, req: Requester, plan: DialPlan, *, confirmed: bool = False) -> None:
        if plan.kind is DialKind.ADD:
            await self._add(req, plan)
            return
        now = self.now()
        record = await self.store.new_call(
            kind=plan.kind,
            team_id=req.team_id,
            user_id=req.user_id,
            channel_id=req.channel_id,
            src=plan.src,
            dsts=plan.dsts,
            price_per_minute=plan.per_minute,
            now=now,
            holder=self.tracker.instance_id,
            lease_until=now + self.tracker.lease_ttl,
            thread_ts=req.thread_ts,
        )
        self.tracker.hold(record.key)
        await self.store.audit(
            now=now,
            team_id=req.team_id,
            user_id=req.user_id,
            action="dial",
            call_key=record.key,
            detail=json.dumps(
                {
                    "kind": plan.kind,
                    "src": plan.src,
                    "dsts": list(plan.dsts),
                    "confirmed": confirmed,
                }
            ),
        )
        try:
            if plan.kind is DialKind.CONFERENCE:
                subject_id = await self.client.conference_connect(
                    plan.src, list(plan.dsts), custom_data=record.tag
                )
            else:
                subject_id = await self.client.call_connect(
                    plan.src, plan.dsts[0], custom_data=record.tag
                )
        except TalketyCallOutcomeUnknownError as err:
            _LOGGER.warning("Dial %s: outcome unknown; reconciling", record.key)
            await self.store.set_unknown(record.key)
            await self._show(req, record.key)
            await self.gateway.tell(req.target, f":warning: {friendly(err)}")
            return
        except TalketyError as err:
            await self.store.set_not_placed(record.key, self.now(), friendly(err))
            await self.tracker.release(record.key)
            raise UserError(friendly(err)) from None
        await self.store.set_placed(record.key, subject_id)
        await self._show(req, record.key)

    async def _show(self, req: Requester, key: str) -> None:
        """Post the call's message in the channel (or a DM), then follow it live."""
        record = await self.store.get_call(key)
        assert record is not None
        # The call is in the store now, whatever happens to its message.
        self.tracker.calls_changed(record.team_id, record.user_id)
        rendered = render_call_message(record, None, self.display, self.now())
        result = await self.gateway.post_message(
            req.channel_id, rendered.text, rendered.blocks, thread_ts=record.thread_ts
        )
        nowhere = not result.ok and result.error in CHANNEL_ERRORS
        if nowhere:
            result = await self.gateway.post_message(req.user_id, rendered.text, rendered.blocks)
            # Not even a direct message, and not for a passing reason: nowhere for good.
            nowhere = (
                not result.ok and result.error != RATE_LIMITED and not is_transient(result.error)
            )
            if result.ok:
                await self.gateway.tell(
                    req.target,
                    "I can't post in this channel (invite me with `/invite @Talkety`), so the "
                    "call's status is in our direct messages.",
                )
        if result.ok and result.channel and result.ts:
            await self.store.set_message(key, result.channel, result.ts)
            record = await self.store.get_call(key)
            assert record is not None
            self.tracker.adopt(record, shown=True)
        elif not nowhere:
            # Not posted yet (Slack failed, limited or refused this once): the updater
            # posts it as soon as Slack lets it, retrying until it lands.
            self.tracker.adopt(record)
        else:  # neither the channel nor a direct message will take it
            await self.store.set_delivery_error(key, result.error or "unknown")
            record = await self.store.get_call(key)
            assert record is not None
            self.tracker.adopt(record)
            await self.gateway.tell(
                req.target,
                f"The call was placed (id {code(record.subject_id or '?')}), but I can't post "
                f"its status anywhere ({result.error}). `/hangup` still lists it.",
            )

    async def _add(self, req: Requester, plan: DialPlan) -> None:
        record = await self.controlled(req, plan.target_key or "", "add participants to")
        if record.subject_id is None or record.state is not RecordState.LIVE:
            raise UserError("That conference has already ended.")
        await self.store.audit(
            now=self.now(),
            team_id=req.team_id,
            user_id=req.user_id,
            action="add",
            call_key=record.key,
            subject_id=record.subject_id,
            detail=json.dumps({"dsts": list(plan.dsts)}),
        )
        try:
            await self.client.conference_add(record.subject_id, list(plan.dsts))
        except TalketyCallOutcomeUnknownError:
            await self.gateway.tell(
                req.target,
                ":warning: Talkety did not answer clearly, so the new participants *may or may "
                "not have been dialled*. I did not dial again; the conference message will show "
                "them if they were.",
            )
        finally:
            self.tracker.wake()  # the change shows with the next poll

    # --- hanging up ------------------------------------------------------

    async def controlled(self, req: Requester, key: str, verb: str) -> CallRecord:
        record = await self._record_of(req, key)
        if record is None:
            raise UserError("I don't know that call.")
        if not self.policy.may_control(req.user_id, record.user_id):
            raise PolicyError(f"Only <@{record.user_id}> or an admin can {verb} this call.")
        return record

    async def hang_up(self, req: Requester, key: str) -> str:
        record = await self.controlled(req, key, "hang up")
        return await self._hang_up(req, record)

    async def hang_up_by_id(self, req: Requester, subject_id: str) -> str:
        record = await self.store.get_by_subject(subject_id, team_id=self.tracker.team_id)
        if record is not None:
            if not self.policy.may_control(req.user_id, record.user_id):
                raise PolicyError(f"Only <@{record.user_id}> or an admin can hang up this call.")
            return await self._hang_up(req, record)
        if not self.policy.is_admin(req.user_id):
            raise UserError(
                f"I don't know a call {code(subject_id)} started from Slack. "
                "`/hangup` with no id lists yours."
            )
        # Admins may end any call of the account, even one not started here.
        try:
            await self.client.call_disconnect(subject_id)
        except TalketyCallNotFoundError:
            await self.client.conference_disconnect(subject_id)
        await self._audit_hangup(req, None, subject_id)
        return f"Hung up {code(subject_id)}."

    async def _hang_up(self, req: Requester, record: CallRecord) -> str:
        if record.state is RecordState.UNKNOWN or record.subject_id is None:
            raise UserError(
                "I'm still finding out whether that call was placed; try again in a moment."
            )
        if record.state is not RecordState.LIVE:
            return "That call has already ended."
        try:
            await disconnect(self.client, record)
        except TalketyNotActiveError:
            return "That call has already ended."
        except TalketyNotFoundError:
            return "Talkety does not know that call any more."
        finally:
            self.tracker.wake()  # the change shows with the next poll
        await self._audit_hangup(req, record.key, record.subject_id)
        what = "conference" if record.is_conference else "call"
        return f"Hung up {what} {code(record.subject_id)}."

    async def hang_up_leg(self, req: Requester, key: str, leg_id: str) -> str:
        record = await self.controlled(req, key, "hang up participants of")
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
        await self._audit_hangup(req, key, leg_id)
        return "Hung up the participant."

    async def _audit_hangup(self, req: Requester, key: str | None, subject_id: str) -> None:
        await self.store.audit(
            now=self.now(),
            team_id=req.team_id,
            user_id=req.user_id,
            action="hangup",
            call_key=key,
            subject_id=subject_id,
        )

    # --- users -----------------------------------------------------------

    async def save_number(self, req: Requester, typed: str) -> str:
        numbers = split_numbers(typed)
        if len(numbers) != 1:
            raise UserError("Give me exactly one number: `/call set-number +1 123 456 7890`.")
        number = self.normalise(numbers[0])
        self.policy.check_prefixes([number])
        pricing = await self.client.pricing([number])
        _refuse_invalid(pricing)
        await self.store.save_number(req.team_id, req.user_id, number)
        return f"Saved: calls will ring you first on {code('+' + number)}."

    async def my_live_calls(self, req: Requester) -> list[CallRecord]:
        return await self.store.live_calls(req.team_id, req.user_id)


def _refuse_invalid(pricing: Pricing) -> None:
    invalid = pricing.invalid_numbers
    if invalid:
        listed = ", ".join(code(f"+{n}") for n in invalid)
        raise UserError(
            f"Talkety cannot dial {listed}: not a valid number. Check it "
            "(with the country code) and try again; `/price` shows what is valid."
        )


def _reason(err: Exception, typed: str) -> str:
    reason = str(err)
    for prefix in (f"{code(typed)}: ", f"{typed}: "):
        reason = reason.removeprefix(prefix)
    return reason[:120]


def _plan_of(pending: PendingDial) -> DialPlan:
    return DialPlan(
        pending.kind,
        pending.src,
        pending.dsts,
        pending.price_per_minute,
        pending.price_per_minute,
        pending.target_key,
    )
