"""Slack app for Talkety calls: /call, /conf, /price, /hangup with live status messages.

I/O lives at the edges (listeners/, slack_gateway.py, store/); the Block Kit
builders in blocks/ are pure functions of state, and live/ keeps the posted
messages in step with the calls.
"""
