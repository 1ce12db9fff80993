"""Whose address a request counts against, for the per-address rate limit."""

from __future__ import annotations

import ipaddress

from sanic import Request


def client_address(request: Request) -> str | None:
    """The visitor's address, or None for a caller on this machine.

    Behind a reverse proxy, Sanic gives the forwarded address in `remote_addr` once it is
    told which proxy to trust (SANIC_PROXIES_COUNT, SANIC_REAL_IP_HEADER or
    SANIC_FORWARDED_SECRET in the environment); otherwise it is empty and the peer's
    address counts. A loopback peer is our own web app, a local proxy that forwards no
    address, or a local tool (evaluation, tests): it is not limited per address.
    """
    forwarded = request.remote_addr
    if forwarded:
        return forwarded
    peer = request.ip
    try:
        return None if ipaddress.ip_address(peer).is_loopback else peer
    except ValueError:  # a UNIX socket or no peer at all: only a local process connects so
        return None
