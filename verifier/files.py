"""The one way the verifier reads a user's file: a regular file, read with a byte cap.

Programs, DFA files, the other program of an `equivalent` claim (and every later input) go
through `read_text`. A device (`/dev/zero`), a FIFO, a socket or a folder is refused before a
single byte is read, and a file that grows past the cap is refused after reading at most
cap + 1 bytes, whatever `st_size` says (it is 0 for devices and special files). Operating
system errors become one plain reason (`file name too long`), never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: The largest program or DFA file read (bytes).
MAX_INPUT_BYTES = 1 << 20

_CHUNK = 1 << 16
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


class UnreadableFile(Exception):
    """PATH could not be read as text; REASON says why in a user's words."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of the regular file PATH (a leading byte-order mark dropped).

    Reads at most LIMIT + 1 bytes. Raises UnreadableFile for a missing file, a special file
    (device, FIFO, socket, folder), a file of more than LIMIT bytes, or bytes that are not
    UTF-8. Never blocks: the file is opened non-blocking, so a FIFO without writer is refused.
    """
    data = read_bytes(path, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(path, f"not UTF-8 text (byte {error.start + 1})") from None
    return text.removeprefix("\ufeff")


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file PATH (weight files), with the refusals of `read_text`
    (special files, more than LIMIT bytes, operating-system errors) as UnreadableFile."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except (OSError, ValueError) as error:
        raise UnreadableFile(path, os_reason(error)) from None
    try:
        return _read_regular(fd, path, limit)
    finally:
        os.close(fd)


def _read_regular(fd: int, path: Path, limit: int) -> bytes:
    info = os.fstat(fd)
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise UnreadableFile(path, f"not a regular file ({kind})")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(path, "not a regular file")
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        try:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
        except OSError as error:
            raise UnreadableFile(path, os_reason(error)) from None
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise UnreadableFile(path, f"file is larger than {limit} bytes")
    return b"".join(chunks)


def os_reason(error: OSError | ValueError) -> str:
    """An operating-system error in a user's words (no errno, no repeated path)."""
    if isinstance(error, ValueError):
        return "invalid file name"
    if error.errno == errno.ENAMETOOLONG:
        return "file name too long"
    text = error.strerror or (os.strerror(error.errno) if error.errno else str(error))
    return text[:1].lower() + text[1:]
