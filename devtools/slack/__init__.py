"""Tools for testing and benchmarking the Slack app without Slack: a fake Slack Web API
that keeps Slack's limits and state, and signed requests as Slack sends them. Shared
by tests/slack and bench/, which must not import each other."""
