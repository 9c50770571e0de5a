"""Basic credentials, both ways."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talkety_core import basic_auth


@given(st.text().filter(lambda u: ":" not in u), st.text())
def test_round_trip(username: str, password: str) -> None:
    assert basic_auth.decode(basic_auth.encode(username, password)) == (username, password)


def test_matches_the_rfc_example() -> None:
    assert basic_auth.encode("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer abc",
        "Basic",
        "Basic !!!not-base64",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),
    ],
)
def test_broken_headers_are_none(header: str) -> None:
    assert basic_auth.decode(header) is None


def test_a_colon_in_the_username_is_refused() -> None:
    with pytest.raises(ValueError, match="':'"):
        basic_auth.encode("a:b", "c")
