"""action_id / callback_id names shared by the builders and the listeners."""

HANG_UP = "call_hangup"
REFRESH = "call_refresh"
ADD_PARTICIPANT = "conf_add"
LEG_HANG_UP = "leg_hangup"
CONFIRM_DIAL = "dial_confirm"
CANCEL_DIAL = "dial_cancel"
SET_NUMBER = "home_set_number"

VIEW_CONFERENCE = "conference_modal"
VIEW_ADD = "add_participant_modal"
VIEW_SET_NUMBER = "set_number_modal"

# block_id / action_id of modal inputs
INPUT_FROM = "from"
INPUT_PARTICIPANTS = "participants"
INPUT_NUMBER = "number"

# Shortcuts (manifest.json declares the same callback ids)
SHORTCUT_CALL_NUMBER = "call_number_in_message"
SHORTCUT_PLACE_CALL = "place_call"
SHORTCUT_START_CONFERENCE = "start_conference"

CALL_BACK = "call_back"
VIEW_CALL = "call_modal"
INPUT_TO = "to"
INPUT_PEOPLE = "people"  # colleagues to call, by name
INPUT_STATUS_CHANNEL = "status_channel"

# Distributed mode: an admin connects the workspace's Talkety account, sets its policy.
CONNECT_TALKETY = "home_connect_talkety"
OPEN_SETTINGS = "home_settings"
VIEW_CONNECT = "connect_talkety_modal"
VIEW_SETTINGS = "workspace_settings_modal"
INPUT_TALKETY_URL = "talkety_url"
INPUT_TALKETY_USERNAME = "talkety_username"
INPUT_TALKETY_PASSWORD = "talkety_password"  # noqa: S105 - a block id
INPUT_TALKETY_APP_KEY = "talkety_app_key"
INPUT_ADMINS = "admins"
INPUT_ALLOWED_USERS = "allowed_users"
INPUT_CONFIRM_ABOVE = "confirm_above"
INPUT_DAILY_CAP = "daily_cap"
INPUT_MAX_CALL_COST = "max_call_cost"
INPUT_MAX_MINUTES = "max_minutes"
INPUT_BLOCKED_PREFIXES = "blocked_prefixes"
INPUT_REPORT_CHANNEL = "report_channel"
APPROVE_DIAL = "dial_approve"
DENY_DIAL = "dial_deny"
TRIP_BLOCK = "trip_block_prefix"
TRIP_UNBLOCK = "trip_unblock_prefix"
TRIP_PAUSE = "trip_pause_user"
TRIP_RESUME = "trip_resume_user"
TRIP_HANG_UP = "trip_hang_up"
