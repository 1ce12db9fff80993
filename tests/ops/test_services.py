"""Starting a service on a port that is taken says so plainly."""

import socket

import pytest

from bot.ops.services import ServiceError, action_server, port_in_use


def test_a_port_in_use_gets_a_clear_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert port_in_use("127.0.0.1", port)
        service = action_server(port)
        with pytest.raises(ServiceError, match=f"port {port} on 127.0.0.1 is already in use"):
            service.start()
        assert service.process is None
