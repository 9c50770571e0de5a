"""The number each person saved as theirs: the one rung first when they call."""

from __future__ import annotations

from ..errors import UserError
from ..formatting import code
from ..numbers_input import split_numbers
from ..store import Requester
from .numbers import NumberReader
from .planner import refuse_invalid
from .tools import Part, Tools


class SavedNumbers(Part):
    def __init__(self, tools: Tools, *, numbers: NumberReader) -> None:
        super().__init__(tools)
        self.numbers = numbers

    async def save(self, req: Requester, typed: str) -> str:
        numbers = split_numbers(typed)
        if len(numbers) != 1:
            raise UserError("Give me exactly one number: `/call set-number +1 123 456 7890`.")
        number = self.numbers.normalise(numbers[0])
        self.policy.check_prefixes([number])
        refuse_invalid(await self.client.pricing([number]))
        await self.store.workspaces.save_number(req.team_id, req.user_id, number)
        # Saving it is also the consent to be rung by colleagues: say so.
        return (
            f"Saved: calls will ring you first on {code('+' + number)}. Colleagues can now "
            f"call you with `/call <@{req.user_id}>` (they see only its last digits)."
        )
