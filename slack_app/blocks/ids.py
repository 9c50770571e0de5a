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
