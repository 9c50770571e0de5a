"""The demo Home Assistant `scripts/run` starts, and the check of the integration against
the newest Home Assistant."""
