"""The bot scopes the app asks for; manifest.json declares the same (a test checks)."""

BOT_SCOPES = (
    "commands",  # slash commands and shortcuts
    "chat:write",  # call messages, answers, the digest
    "chat:write.public",  # a call's message in a public channel the bot is not in
    "im:write",  # status in a DM when the channel refuses it
    "usergroups:read",  # TALKETY_SLACK_ALLOWED_USERGROUPS
    "files:write",  # /call report ... csv
    "users.profile:read",  # a colleague's profile phone, where the workspace allows it
)
