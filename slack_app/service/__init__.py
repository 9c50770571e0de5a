"""What the commands, buttons and modals do, one job per module: read the numbers
(numbers.py), check who may call and what they may spend (access.py), plan and price a
dial (planner.py), confirm and dial it once (dialler.py), post its message (announcer.py),
hang up (hangups.py) and keep people's own numbers (saved_numbers.py).

Listeners parse Slack payloads and call these; everything a user may get wrong raises
UserError / PolicyError / NumberInputError with a sentence for them, and Talkety failures
are turned into sentences by errors.friendly(). Nothing here renders Block Kit: the
listeners render what these return.
"""
