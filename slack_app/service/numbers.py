"""What people typed, read as Talkety's digits under the workspace's policy."""

from __future__ import annotations

from dataclasses import dataclass

from talkety_core.numbers import PhoneNumberError, parse_number

from ..blocks.modals import Choice
from ..errors import UserError
from ..formatting import code, escape
from ..numbers_found import find_numbers
from ..numbers_input import NumberInputError, read_numbers_input
from ..policy import Policy, PolicyError
from ..store import DialKind, Requester
from ..store.workspaces import WorkspaceStore


@dataclass(frozen=True, slots=True)
class Numbers:
    """What a command would dial, read before anything is asked of Talkety; `yours`: the
    first number is the user's own saved one."""

    kind: DialKind
    src: str
    dsts: tuple[str, ...]
    yours: bool


class NumberReader:
    def __init__(self, policy: Policy, saved: WorkspaceStore) -> None:
        self.policy = policy
        self.saved = saved

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
        """What `/call <text>` would dial."""
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
        saved = await self.saved_or_explain(req, "/call <from> <to>")
        return Numbers(DialKind.CALL, saved, tuple(numbers), yours=True)

    async def conference_numbers(
        self, req: Requester, text: str, *, src_text: str | None = None
    ) -> Numbers:
        """What `/conf <text>` would dial."""
        given = read_numbers_input(text)
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
        if src is None or not numbers:
            raise UserError(
                "A conference needs your number and at least one participant: "
                "`/conf <from> <to>, <to>` (or save your number with `/call set-number`)."
            )
        self.policy.check_participants(len(numbers))
        return Numbers(DialKind.CONFERENCE, src, tuple(numbers), yours=yours)

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
