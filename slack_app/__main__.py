"""`python -m slack_app`: run the Slack app (see slack_app/cli.py)."""

import sys

from .cli import main

sys.exit(main())
