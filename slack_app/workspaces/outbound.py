"""Where the app may send a workspace's Talkety requests (distributed mode).

Whoever installs a public app is an admin of it, and an admin types the Talkety URL:
without limits the app server would request any address for them, from inside the
operator's network, and tell them how it answered. So a workspace's URL must be
https on a host the operator allows, every address it resolves to must be public
(checked on the addresses actually connected to, so DNS rebinding does not pass),
and redirects are not followed. Single-workspace mode, whose URL the operator sets,
is not limited.
"""

from __future__ import annotations

import ipaddress
import logging
import socket

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from yarl import URL

from ..config import TalketyHosts

_LOGGER = logging.getLogger(__name__)
# What a workspace admin is told for every refusal: the same words whatever the reason,
# so the form cannot be used to tell one internal address from another.
UNREACHABLE = (
    "I can't reach a Talkety API at that address. This app connects only to the "
    "Talkety servers its operator allows, over https."
)


def refusal(rule: TalketyHosts, url: str) -> str | None:
    """Why a workspace may not use `url` (for the operator's log), or None."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        return "not a URL"
    if parsed.scheme != "https" and (rule.https_only or parsed.scheme != "http"):
        return f"scheme {parsed.scheme or 'none'!r} is not https"
    host = (parsed.host or "").lower().rstrip(".")
    if host not in {h.lower().rstrip(".") for h in rule.hosts}:
        return f"host {host!r} is not in TALKETY_SLACK_API_HOSTS"
    # aiohttp connects to an address literal without asking the resolver.
    if rule.public_only and _is_ip(host) and not is_public(host):
        return f"address {host} is not public"
    return None


def is_public(address: str) -> bool:
    """A globally routable unicast address: not loopback, private, link-local (cloud
    metadata), multicast, reserved or unspecified, in IPv4 or IPv6 (v4-mapped too)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class PublicOnlyResolver(AbstractResolver):
    """The default resolver, with every non-public answer dropped: the connector then
    connects only to what is left, or fails as if the host did not resolve."""

    def __init__(self) -> None:
        self._resolver = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._resolver.resolve(host, port, family)
        public = [answer for answer in answers if is_public(answer["host"])]
        if not public:
            _LOGGER.warning("Refused to connect to %s: no public address", host)
            raise OSError(f"{host} has no public address")
        return public

    async def close(self) -> None:
        await self._resolver.close()


def session_for(rule: TalketyHosts) -> aiohttp.ClientSession:
    """The session every workspace's Talkety client shares."""
    if not rule.public_only:
        return aiohttp.ClientSession()
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=PublicOnlyResolver()))
