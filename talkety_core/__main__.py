"""`python -m talkety_core ...` is the `talkety` command."""

from .cli import main

raise SystemExit(main())
