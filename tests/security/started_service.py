"""Run a service for the length of a `with` block: started, healthy, then stopped."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.ops.services import Service


@contextmanager
def running(service: Service, timeout: float, stop_timeout: float = 15) -> Iterator[Service]:
    service.start()
    try:
        service.wait_until_healthy(timeout=timeout)
        yield service
    finally:
        service.stop(timeout=stop_timeout)
