"""A dial planned before it is dialled: its numbers allowed, priced and within budget."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from talkety_core import Conference, Pricing

from ..blocks.modals import Choice
from ..errors import UserError
from ..formatting import code, format_money
from ..numbers_input import NumberInputError, split_numbers
from ..store import DialKind, DialPlan, People, RecordState, Requester
from .access import Access
from .numbers import NumberReader, Numbers
from .tools import Part, Tools

MAX_PRICED_NUMBERS = 50
# A second shortcut submission or call-back click within this window dials nothing.
ONCE_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class PriceList:
    """/price's answer: the prices of what could be read, and what could not."""

    pricing: Pricing | None  # None: nothing could be read
    unreadable: list[str]


class Planner(Part):
    def __init__(self, tools: Tools, *, access: Access, numbers: NumberReader) -> None:
        super().__init__(tools)
        self.access = access
        self.numbers = numbers

    # --- prices ------------------------------------------------------------

    async def prices(self, text: str) -> PriceList:
        typed = split_numbers(text)
        if len(typed) > MAX_PRICED_NUMBERS:
            raise UserError(f"I can price at most {MAX_PRICED_NUMBERS} numbers at once.")
        numbers: list[str] = []
        unreadable: list[str] = []
        for number in typed:
            try:
                numbers.append(self.numbers.normalise(number))
            except NumberInputError as err:  # show it with the others, not instead of them
                unreadable.append(str(err))
        if not numbers:
            return PriceList(None, unreadable)
        return PriceList(await self.client.pricing(numbers), unreadable)

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

    # --- plans -------------------------------------------------------------

    async def plan_numbers(self, req: Requester, numbers: Numbers) -> DialPlan:
        """The plan for numbers read by NumberReader.call_numbers or conference_numbers."""
        return await self.plan(req, numbers.kind, numbers.src, numbers.dsts, people=numbers.people)

    async def plan_pair(self, req: Requester, src_text: str, dst: str) -> DialPlan:
        """A call to `dst` from a modal: the same checks as /call."""
        src = self.numbers.normalise(src_text) if src_text else None
        src = src or await self.numbers.saved_or_explain(req, "/call <from> <to>")
        return await self.plan(req, DialKind.CALL, src, [self.numbers.normalise(dst)])

    async def plan_add(self, req: Requester, key: str, text: str) -> DialPlan:
        record = await self.access.controlled(req, key, "add participants to")
        if (
            not record.is_conference
            or record.state is not RecordState.LIVE
            or not record.subject_id
        ):
            raise UserError("Participants can only be added to a running conference.")
        numbers = [self.numbers.normalise(t) for t in split_numbers(text)]
        if not numbers:
            raise UserError("Which number should I add?")
        state = self.tracker.state_of(key)
        if not isinstance(state, Conference):
            state = await self.client.conference_status(record.subject_id)
        if not state.is_active:
            raise UserError("That conference has already ended.")
        present = sum(1 for leg in state.active_legs if not leg.owner)
        self.policy.check_participants(present + len(numbers))
        return await self.plan(
            req, DialKind.ADD, record.src, numbers, target_key=key, price_src=False
        )

    async def plan_call_back(self, req: Requester, key: str) -> tuple[Requester, DialPlan]:
        """A finished call's pair again, through the policy again; where its status goes."""
        record = await self.access.record_of(req, key)
        if record is None or record.is_conference:
            raise UserError("I can only call back a call placed from Slack.")
        if record.user_id != req.user_id:
            raise UserError(
                f"Only <@{record.user_id}> can call back from here (it rings their phone). "
                "Use `/call` to place your own."
            )
        where = req.elsewhere(record.channel_id)
        once = f"call-back:{key}"
        if not await self.store.once_keys.once(once, self.now(), ONCE_WINDOW):
            raise UserError("You just called back from this message; nothing more was dialled.")
        planning = self.plan(where, DialKind.CALL, record.src, list(record.dsts))
        return where, await self.planned_once(once, planning)

    async def planned_once(self, once: str, planning: Awaitable[DialPlan]) -> DialPlan:
        """A plan made under a `once` key: refused (nothing dialled), the key is given
        back, so that trying again after fixing what was wrong is not taken for a repeat."""
        try:
            return await planning
        except BaseException:
            await self.store.once_keys.forget_once(once)
            raise

    async def plan(
        self,
        req: Requester,
        kind: DialKind,
        src: str,
        dsts: Sequence[str],
        *,
        target_key: str | None = None,
        price_src: bool = True,
        people: People = (),
    ) -> DialPlan:
        if src in dsts:
            raise UserError("You can't call the number you are calling from.")
        await self.access.check_allowed(req)
        await self.access.check_prefixes(req, [src, *dsts])
        await self.access.check_budget(req)
        numbers = [src, *dsts] if price_src else list(dsts)
        pricing = await self.client.pricing(numbers)
        refuse_invalid(pricing)
        costs = [n.cost for n in pricing.numbers if n.cost is not None]
        return DialPlan(
            kind,
            src,
            tuple(dsts),
            pricing.total_costs,
            max(costs, default=Decimal(0)),
            target_key,
            people,
        )


def refuse_invalid(pricing: Pricing) -> None:
    invalid = pricing.invalid_numbers
    if invalid:
        listed = ", ".join(code(f"+{n}") for n in invalid)
        raise UserError(
            f"Talkety cannot dial {listed}: not a valid number. Check it "
            "(with the country code) and try again; `/price` shows what is valid."
        )
