"""Whose address a limit counts: IPv6 visitors per /64, proxies noticed and named."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from bot.limits import address
from bot.limits.address import address_key, client_address, startup_warning


def request(peer: str, forwarded: str = "", **headers: str):
    return SimpleNamespace(ip=peer, remote_addr=forwarded, headers=headers)


@pytest.mark.parametrize(
    ("seen", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::9", "2001:db8:1:2::/64"),
        ("[2001:db8:1:2::9]", "2001:db8:1:2::/64"),  # as Sanic writes a forwarded one
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("not an address", "not an address"),
        (None, None),
    ],
)
def test_ipv6_visitors_count_per_64(seen, key):
    assert address_key(seen) == key


def test_a_forwarded_address_is_the_visitors():
    assert client_address(request("10.0.0.2", "[2001:db8::1]")) == "2001:db8::1"
    assert client_address(request("203.0.113.9")) == "203.0.113.9"
    assert client_address(request("127.0.0.1")) is None  # our own web app, local tools


def test_an_untrusted_proxy_is_named_once(caplog, monkeypatch):
    monkeypatch.setattr(address, "_proxy_seen", False)
    with caplog.at_level(logging.WARNING, logger="bot.limits.address"):
        client_address(request("10.0.0.2"))  # no forwarding headers: no proxy seen
        assert caplog.text == ""
        client_address(request("93.184.216.34", **{"x-forwarded-for": "198.51.100.1"}))
        assert caplog.text == ""  # a public peer is not a proxy of ours
        for _ in range(3):
            client_address(request("10.0.0.2", **{"x-forwarded-for": "198.51.100.1"}))
    assert caplog.text.count("SANIC_PROXIES_COUNT") == 1


def test_listening_beyond_loopback_without_a_trusted_proxy_is_named_at_start():
    assert startup_warning("127.0.0.1", {}) is None
    assert startup_warning("0.0.0.0", {"SANIC_PROXIES_COUNT": "1"}) is None  # noqa: S104
    warning = startup_warning("0.0.0.0", {})  # noqa: S104
    assert "SANIC_PROXIES_COUNT" in warning and "share" in warning
