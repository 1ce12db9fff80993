"""SQLite files that only this user can read: the file 0600, its folder 0700.

The conversation log holds what visitors typed (redacted) and the console's accounts; on
a shared machine the process's umask would otherwise leave them readable by every user
(0644 in a 0755 folder). SQLite gives its journal, WAL and shared-memory files the
database file's permissions, so making the file private first covers them too.

The project's own ``var/`` folder is tightened whatever it was; a folder named by
``TRACKER_DB`` elsewhere is made 0700 only if it is created here (tightening a shared
folder such as /tmp would break other programs), and a warning says when others can
enter it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SQLITE_COMPANIONS = ("-journal", "-wal", "-shm")


def private_sqlite_file(path: str | Path, own_folders: tuple[Path, ...] = ()) -> Path:
    """Create the SQLite file ``path`` (and its folder) private to this user; return it.

    An existing file, and its journal, WAL and shared-memory files, are made private too.
    ``own_folders`` are folders that belong to this project alone: they are made 0700 even
    if they exist already.
    """
    path = Path(path)
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=FOLDER_MODE)
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    elif folder.resolve() in {own.resolve() for own in own_folders}:
        os.chmod(folder, FOLDER_MODE)
    elif stat.S_IMODE(folder.stat().st_mode) & 0o077:
        logger.warning(
            "%s can be entered by other users; keep the conversation log in a "
            "folder only this user can open",
            folder,
        )
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
    os.close(descriptor)
    for name in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)):
        if name.exists():
            os.chmod(name, FILE_MODE)
    return path


def sqlite_path(url: str) -> Path | None:
    """The file of an ``sqlite:///...`` URL (None for another database or in memory)."""
    if not url.startswith("sqlite:///"):
        return None
    name = url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(name) if name and name != ":memory:" else None
