"""What people typed, read as Talkety's digits under the workspace's policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from talkety_core.numbers import PhoneNumberError, parse_number

from ..blocks.modals import Choice
from ..errors import UserError
from ..formatting import code, escape
from ..mentions import Mentions, take_mentions
from ..numbers_found import find_numbers
from ..numbers_input import NumberInputError, read_numbers_input
from ..policy import Policy, PolicyError
from ..store import DialKind, People, Requester
from ..store.workspaces import WorkspaceStore


@dataclass(frozen=True, slots=True)
class Numbers:
    """What a command would dial, read before anything is asked of Talkety; `yours`: the
    first number is the user's own saved one."""

    kind: DialKind
    src: str
    dsts: tuple[str, ...]
    yours: bool
    people: People = ()  # the numbers that are people called by name


class NumberReader:
    def __init__(
        self,
        policy: Policy,
        saved: WorkspaceStore,
        profile_phone: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> None:
        self.policy = policy
        self.saved = saved
        # Read only where the workspace allows it (policy.profile_phones).
        self.profile_phone = profile_phone

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

    async def call_numbers(self, req: Requester, text: str) -> Numbers:
        """What `/call <text>` would dial: numbers, or a person (`/call @alice`)."""
        named = take_mentions(text)
        people = await self.people_numbers(req, named)
        given = read_numbers_input(named.rest)
        numbers = [self.normalise(t) for t in given.numbers]
        src = self.normalise(given.src) if given.src else None
        if src is None and len(numbers) == 2 - bool(people):
            src, numbers = numbers[0], numbers[1:]
        numbers = [*(number for number, _ in people), *numbers]
        if len(numbers) != 1:
            raise UserError(
                "`/call` takes one number to call (and optionally yours first): "
                "`/call +1 416 555 0100` or `/call <from> <to>`. For more people use `/conf`."
            )
        if src is not None:
            return Numbers(DialKind.CALL, src, tuple(numbers), yours=False, people=people)
        saved = await self.saved_or_explain(req, "/call <from> <to>")
        return Numbers(DialKind.CALL, saved, tuple(numbers), yours=True, people=people)

    async def conference_numbers(
        self, req: Requester, text: str, *, src_text: str | None = None
    ) -> Numbers:
        """What `/conf <text>` would dial: numbers and people (`/conf @alice @bob +44 ...`)."""
        named = take_mentions(text)
        people = await self.people_numbers(req, named)
        given = read_numbers_input(named.rest)
        numbers = [self.normalise(t) for t in given.numbers]
        src_typed = src_text or given.src
        src = self.normalise(src_typed) if src_typed else None
        yours = False
        if src is None:
            saved = await self.saved.saved_number(req.team_id, req.user_id)
            if numbers and (saved is None or numbers[0] == saved):
                src, numbers = numbers[0], numbers[1:]
            else:
                src = saved
            yours = src is not None and src == saved
        numbers = [*(number for number, _ in people), *numbers]
        if src is None or not numbers:
            raise UserError(
                "A conference needs your number and at least one participant: "
                "`/conf <from> <to>, <to>` (or save your number with `/call set-number`)."
            )
        self.policy.check_participants(len(numbers))
        return Numbers(DialKind.CONFERENCE, src, tuple(numbers), yours=yours, people=people)

    async def people_numbers(self, req: Requester, named: Mentions) -> People:
        """The number each person named saved themselves (their consent to be rung from
        Slack), else their profile's where the workspace allows it; a person without one is
        refused by name, their number never shown."""
        if named.unresolved:
            raise UserError(
                f"I cannot tell who {', '.join(map(escape, named.unresolved))} is: pick people "
                "from Slack's @ suggestions, so the command carries who they are."
            )
        numbers: list[tuple[str, str]] = []
        for user_id in named.people:
            if user_id == req.user_id:
                raise UserError("That is you: you are rung first anyway. Name whom to call.")
            number = await self.saved.saved_number(req.team_id, user_id)
            if number is None:
                number = await self._from_profile(user_id)
            numbers.append((number, user_id))
        return tuple(numbers)

    async def _from_profile(self, user_id: str) -> str:
        """A person's profile phone, where the workspace allows ringing it; else why not."""
        lookup = self.profile_phone if self.policy.profile_phones else None
        typed = None if lookup is None else await lookup(user_id)
        if typed is None:
            where = "" if lookup is None else " or on their Slack profile"
            raise UserError(
                f"<@{user_id}> has no number for calls{where}, so I cannot ring them. "
                "They can save one with `/call set-number <their number>`."
            )
        try:
            return self.normalise(typed)
        except NumberInputError:
            # Their profile's text is not for others to read: only that it does not read.
            raise UserError(
                f"The phone on <@{user_id}>'s Slack profile is not a number I can call. "
                "They can save one with `/call set-number <their number>`."
            ) from None

    async def saved_or_explain(self, req: Requester, usage: str) -> str:
        saved = await self.saved.saved_number(req.team_id, req.user_id)
        if saved is None:
            raise UserError(
                "Which number should ring first? Save yours once with "
                f"`/call set-number <your number>` (or in my App Home), or use `{usage}`."
            )
        return saved

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


def _reason(err: Exception, typed: str) -> str:
    reason = str(err)
    for prefix in (f"{code(typed)}: ", f"{typed}: "):
        reason = reason.removeprefix(prefix)
    return reason[:120]
