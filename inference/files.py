"""Writing files safely: a temporary file beside the target, then a rename.

A failed write (a full disk, Ctrl+C) removes its temporary file, so it neither leaves a
half-written target nor keeps the disk full, and the old file stays as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from inference.errors import BadFileError


def new_file_mode() -> int:
    """The permissions a new regular file gets under the user's umask (``0o666 & ~umask``)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; the folder is created when missing, and
    the file gets the permissions of the user's umask, as any program's new file does.

    Raises
    ------
    BadFileError
        When the file cannot be written (a full disk, no permission), naming it.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise BadFileError(target, f"cannot write the file ({err.strerror})") from None
    try:
        os.fchmod(fd, new_file_mode())  # mkstemp makes the file owner-only
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise BadFileError(target, f"cannot write the file ({err.strerror})") from None
        raise
    return target
