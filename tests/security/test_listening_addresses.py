"""Rasa, the action server and the web app listen on loopback only, as `make run` starts them.

The check reads the listening sockets of each started process from Linux's /proc,
so it sends no traffic to any other address of the machine.
"""

from __future__ import annotations

import os
import socket

import pytest
from listening_sockets import is_loopback, listening_addresses

pytestmark = pytest.mark.e2e


def assert_loopback_only(service) -> None:
    addresses = listening_addresses(service.process.pid, service.port)
    assert addresses, f"{service.name} is not listening on port {service.port}"
    assert all(is_loopback(address) for address in addresses), (service.name, addresses)


def test_the_action_server_listens_on_loopback_only(assistant):
    assert_loopback_only(assistant.actions_service)


def test_rasa_listens_on_loopback_only(assistant):
    assert_loopback_only(assistant.rasa_service)


def test_the_web_app_listens_on_loopback_only(security_web):
    assert_loopback_only(security_web)


def test_a_listener_on_every_address_is_seen_and_is_not_loopback():
    """The check can fail: a socket bound to 0.0.0.0 is found and is not loopback."""
    with socket.socket() as everywhere:
        everywhere.bind(("0.0.0.0", 0))  # noqa: S104 - binding everywhere is what is tested
        everywhere.listen()
        (address,) = listening_addresses(os.getpid(), everywhere.getsockname()[1])
    assert str(address) == "0.0.0.0"  # noqa: S104 - the address read back, not a bind
    assert not is_loopback(address)
