"""Password hashing (argon2id) with a bound on how many checks run at once.

Each argon2 check takes 64 MiB for its duration (argon2-cffi's defaults, the RFC 9106
second recommended option). Run in the default thread pool, a burst of sign-ins would
check as many passwords at once as there are threads, and a pod's memory with them. Here
at most ``parallel`` checks run at once per process (CONSOLE_SIGN_IN_PARALLEL, 2): the
rest wait up to ``wait`` seconds for a turn, then get :class:`Busy` ("try again
shortly"). An unknown email is checked against a dummy hash at the same cost and in the
same queue, so the answer's timing does not say whether an account exists.
"""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()
# Checked when the email is unknown, so a wrong email takes as long as a wrong password.
DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


class Busy(RuntimeError):
    """Every password check slot stayed taken for the whole wait."""


def hash_password(password: str) -> str:
    return hasher.hash(password)


def check(stored: str | None, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches ``stored`` (None: no account), and a new hash if the
    stored one uses older parameters."""
    try:
        hasher.verify(stored or DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored) else None


class PasswordChecker:
    """At most ``parallel`` argon2 checks at once; each waits at most ``wait`` seconds."""

    def __init__(self, parallel: int = 2, wait: float = 5.0):
        self.parallel, self.wait = parallel, wait
        self._slots = asyncio.Semaphore(parallel)
        self._threads = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="argon2")

    async def check(self, stored: str | None, password: str) -> tuple[bool, str | None]:
        try:
            await asyncio.wait_for(self._slots.acquire(), self.wait)
        except asyncio.TimeoutError:
            raise Busy from None
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._threads, check, stored, password)
        finally:
            self._slots.release()

    def close(self) -> None:
        self._threads.shutdown(wait=False)
