"""Starting services: a taken port, a failed start and the API token are handled plainly."""

import socket
import sys

import pytest

from bot.ops.services import (
    Service,
    ServiceError,
    action_server,
    free_port,
    port_in_use,
    rasa_server,
)


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


@pytest.mark.parametrize("token", ["t0k3n", "-starts-with-a-dash", "--looks-like-an-option"])
def test_rasa_reads_any_api_token_as_the_token(token, tmp_path):
    # secrets.token_urlsafe starts one token in 64 with "-": Rasa must not take it for an option.
    from rasa.__main__ import create_argument_parser

    service = rasa_server(tmp_path / "model.tar.gz", 5005, "http://127.0.0.1:5055", api_token=token)
    rasa_args = service.args[service.args.index("run") :]
    parsed = create_argument_parser().parse_args(rasa_args)
    assert parsed.enable_api and parsed.auth_token == token


def test_a_service_that_dies_starting_shows_the_end_of_its_log(tmp_path):
    log = tmp_path / "service.log"
    script = "import sys; print('first line'); print('the reason it stopped'); sys.exit(3)"
    service = Service(
        name="Failing service",
        args=[sys.executable, "-c", script],
        host="127.0.0.1",
        port=free_port(),
        health_path="/",
        log_path=log,
    )
    service.start()
    with pytest.raises(ServiceError, match="(?s)code 3 while starting.*the reason it stopped"):
        service.wait_until_healthy(timeout=30)
