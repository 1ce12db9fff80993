"""Faults at start: a conversation database that cannot be created, a damaged or missing model.

Each must be refused with one plain sentence that says what to do, before any service
starts (PostgreSQL down at start is tests/production/test_production_profile.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from make_run import run_make_run

from bot.ops.model import ModelError
from bot.ops.stack import build_stack

pytestmark = pytest.mark.model


def test_make_run_refuses_a_tracker_db_whose_folder_cannot_be_created(
    trained_model: Path, tmp_path: Path
) -> None:
    """`trained_model` first: `make run` must find an up-to-date model and not train one."""
    blocker = tmp_path / "state"
    blocker.write_text("a regular file where the folder should be\n")
    tracker_db = blocker / "conversations" / "tracker.db"
    finished = run_make_run(
        {
            "PROFILE": "embedded",
            "TRACKER_DB": str(tracker_db),
        }
    )
    assert finished.returncode == 1
    assert finished.stderr.strip().splitlines() == [
        f"Could not start the assistant: The conversation database {tracker_db} cannot be "
        f"written ([Errno 20] Not a directory: '{blocker / 'conversations'}'). "
        "Check the folder exists and is writable, or set TRACKER_DB."
    ]
    assert "Starting" not in finished.stdout  # refused before any service started
    assert "Traceback" not in finished.stdout + finished.stderr


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]  # an interrupted copy or download


def garbage(data: bytes) -> bytes:
    return random.Random(7).randbytes(len(data))  # noqa: S311 (not for security)


def corrupted_inside(data: bytes) -> bytes:
    """A bad disk block a third of the way in: the compressed stream cannot be decoded."""
    damaged = bytearray(data)
    start = len(data) // 3
    damaged[start : start + 64] = bytes(b ^ 0xFF for b in damaged[start : start + 64])
    return bytes(damaged)


def empty(_: bytes) -> bytes:
    return b""


@pytest.mark.parametrize("damage", [truncated, garbage, corrupted_inside, empty])
def test_the_stack_refuses_a_damaged_copy_of_the_trained_model(
    trained_model: Path, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    model = tmp_path / trained_model.name
    model.write_bytes(damage(trained_model.read_bytes()))
    stack = build_stack(model, "embedded", tmp_path / "state", free_ports=True)
    with pytest.raises(ModelError) as refused:
        stack.start(timeout=30, report=lambda _: None)
    message = str(refused.value)
    assert message.startswith(f"The model {model} cannot be read (")
    assert message.endswith("Delete it and run `make train` to build it again.")
    assert "\n" not in message
    assert all(service.process is None for service in stack.services)


def test_the_stack_refuses_a_missing_model(tmp_path: Path) -> None:
    model = tmp_path / "careers-0123456789abcdef.tar.gz"
    stack = build_stack(model, "embedded", tmp_path / "state", free_ports=True)
    with pytest.raises(ModelError, match=r"does not exist\. Run `make train` to build it\."):
        stack.start(timeout=30, report=lambda _: None)
    assert all(service.process is None for service in stack.services)
