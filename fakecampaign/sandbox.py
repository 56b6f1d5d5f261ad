"""Reading a file a request names, confined to the one directory the operator chose at start.

``POST /_fakecampaign/seed {"path": ...}`` once opened any file the server could read (issue 8: /etc/shadow was
read, /dev/zero ran the process out of memory, a FIFO blocked the server). Now the path must name a regular
file inside the seed directory (``--seed-dir``, by default the directory of ``--fixtures``; without either,
no request can name a file). The checks:

- no ``..`` part at all, and the path as written must lie inside the directory (so nothing about files
  outside it, not even whether they exist, shows in an answer);
- the real path (symlinks resolved) must still lie inside it: a symlink cannot lead out;
- the file is opened without blocking and without following a last-moment symlink, then checked on the open
  descriptor: a regular file (not a FIFO, device or directory) of at most ``seed_max_bytes`` bytes;
- it is read at most ``seed_max_bytes + 1`` bytes, so a file that grows after the check is still refused.

Callers run this in a worker thread (``api/control.py``): a slow disk must not stall the event loop.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath

from fakecampaign.errors import InvalidFixture, SeedPathRefused

OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def read_within(root: Path | None, requested: str, *, max_bytes: int) -> str:
    """The UTF-8 text of ``requested`` (relative to ``root``, or absolute inside it); refused otherwise."""
    if root is None:
        raise SeedPathRefused(reason="seeding from a server-side file is off; start with --seed-dir DIR")
    if "\x00" in requested:
        raise InvalidFixture(requested, "", "cannot read the file: the path contains a NUL character")
    written = PurePath(requested)
    if ".." in written.parts:
        raise SeedPathRefused(reason="the path must not contain '..'")
    base = root.resolve()
    candidate = base / written  # an absolute ``written`` replaces ``base``
    if not candidate.is_relative_to(base):
        raise SeedPathRefused(reason="the path must be inside the seed directory")
    try:
        real = candidate.resolve(strict=True)
    except (OSError, ValueError, RuntimeError) as error:  # ValueError: unencodable; RuntimeError: symlink loop
        raise InvalidFixture(requested, "", f"cannot read the file: {_why(error)}") from None
    if not real.is_relative_to(base):
        raise SeedPathRefused(reason="the path leads outside the seed directory (through a symlink)")
    return _read_regular(real, requested, max_bytes)


def _read_regular(real: Path, requested: str, max_bytes: int) -> str:
    try:
        fd = os.open(real, OPEN_FLAGS)
    except OSError as error:
        raise InvalidFixture(requested, "", f"cannot read the file: {_why(error)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidFixture(requested, "", "cannot read the file: not a regular file")
        data = _read_at_most(fd, max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InvalidFixture(requested, "", f"cannot read the file: larger than {max_bytes} bytes (seed_max_bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidFixture(requested, "", f"cannot read the file: not UTF-8 ({error.reason})") from None


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _why(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    if isinstance(error, ValueError):
        return "the path cannot be encoded"
    return "symlink loop"
