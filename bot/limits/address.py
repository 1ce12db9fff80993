"""Whose address a request counts against, for the per-address limits.

Behind a reverse proxy, Sanic gives the forwarded address in `remote_addr` once it is
told which proxy to trust (SANIC_PROXIES_COUNT, SANIC_REAL_IP_HEADER or
SANIC_FORWARDED_SECRET). Without that, every visitor behind the proxy has the proxy's
address and shares one allowance: `warn_if_proxied` says so, once, when forwarding
headers first arrive from a loopback or private peer, and `startup_warning` says so at
start when the service listens beyond loopback without the setting.

IPv6 visitors are counted per /64, the prefix one home or phone usually gets, so a
visitor cannot take fresh allowances by changing the low bits of an address.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping

from sanic import Request

logger = logging.getLogger(__name__)

PROXY_SETTINGS = ("SANIC_PROXIES_COUNT", "SANIC_REAL_IP_HEADER", "SANIC_FORWARDED_SECRET")
FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")
IPV6_PREFIX = 64
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "")

_proxy_seen = False


def client_address(request: Request) -> str | None:
    """The visitor's address, or None for a caller on this machine.

    A loopback peer is our own web app, a local proxy that forwards no address, or a
    local tool (evaluation, tests): it is not limited per address.
    """
    forwarded = request.remote_addr
    if forwarded:
        return forwarded.strip("[]")  # Sanic writes a forwarded IPv6 address in brackets
    peer = request.ip
    warn_if_proxied(request)
    try:
        return None if ipaddress.ip_address(peer).is_loopback else peer
    except ValueError:  # a UNIX socket or no peer at all: only a local process connects so
        return None


def address_key(address: str | None) -> str | None:
    """What a limit counts: the address itself (IPv4), or its /64 network (IPv6)."""
    if not address:
        return address
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))  # Sanic brackets forwarded IPv6
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)


def warn_if_proxied(request: Request) -> None:
    """Log once per process if a proxy forwards addresses that nobody told us to trust."""
    global _proxy_seen
    if _proxy_seen or request.remote_addr:
        return
    if not any(request.headers.get(name) for name in FORWARDING_HEADERS):
        return
    try:
        peer = ipaddress.ip_address(request.ip)
    except ValueError:
        return
    if peer.is_loopback or peer.is_private:
        _proxy_seen = True
        logger.warning(
            "Requests arrive through a proxy at %s with forwarding headers, but no proxy is "
            "trusted: every visitor behind it shares one address for rate limits and "
            "sign-in throttling. Set SANIC_PROXIES_COUNT (the number of proxies in front, "
            "usually 1).",
            request.ip,
        )


def startup_warning(host: str, env: Mapping[str, str]) -> str | None:
    """A warning for the start-up log if the service may be behind an untrusted proxy."""
    if host in LOOPBACK_HOSTS or any(env.get(name) for name in PROXY_SETTINGS):
        return None
    return (
        f"Listening on {host} without SANIC_PROXIES_COUNT: if a reverse proxy or load "
        "balancer stands in front, every visitor will share its address for rate limits "
        "and sign-in throttling. Set SANIC_PROXIES_COUNT=1 behind one proxy."
    )
