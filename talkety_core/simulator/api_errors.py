"""The API's error codes with their HTTP statuses (talkety-api.md), and the
exception that carries one from wherever it is detected to the HTTP layer."""

from __future__ import annotations

from enum import IntEnum


class ErrorCode(IntEnum):
    AUTHENTICATION_FAILED = 100
    UNKNOWN_APP_KEY = 101
    UNKNOWN_ACTION = 110
    MISSING_PARAMETER = 120
    MALFORMED_PARAMETER = 121
    INVALID_NUMBER = 130
    BLOCKED_DESTINATION = 131
    CALL_NOT_FOUND = 140
    CONFERENCE_NOT_FOUND = 141
    NOT_ACTIVE = 142
    INSUFFICIENT_CREDIT = 150
    TOO_MANY_REQUESTS = 160
    INTERNAL_ERROR = 500

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self]


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.AUTHENTICATION_FAILED: 401,
    ErrorCode.UNKNOWN_APP_KEY: 403,
    ErrorCode.UNKNOWN_ACTION: 404,
    ErrorCode.MISSING_PARAMETER: 400,
    ErrorCode.MALFORMED_PARAMETER: 400,
    ErrorCode.INVALID_NUMBER: 400,
    ErrorCode.BLOCKED_DESTINATION: 403,
    ErrorCode.CALL_NOT_FOUND: 404,
    ErrorCode.CONFERENCE_NOT_FOUND: 404,
    ErrorCode.NOT_ACTIVE: 409,
    ErrorCode.INSUFFICIENT_CREDIT: 402,
    ErrorCode.TOO_MANY_REQUESTS: 429,
    ErrorCode.INTERNAL_ERROR: 500,
}


class ApiError(Exception):
    """An `<error>` answer: raised by the engine or parameter parsing, rendered by the server."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
