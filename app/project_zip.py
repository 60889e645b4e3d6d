"""Reading a project zip within a budget, so a crafted file cannot take gigabytes or minutes.

Every size is checked against a limit *before* anything is read or allocated: the number of
members (from the zip's end record, before the central directory is parsed), each member's
declared inflated size, the total of all arrays, and each array's shape in its ``.npy`` header.
Members are read in bounded chunks, and a member that inflates past its declared size fails
its CRC check instead of filling memory. Every problem is a :class:`ProjectFileError` that
names the file, the member and the limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from app.model.project_reader import MAX_MOTIONS
from inference.errors import BadFileError

MAX_MEMBERS = MAX_MOTIONS + 16
"""project.json, the beat grid, one ``.npz`` per motion, the song, and a little slack."""
MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_ARRAY_MEMBER_BYTES = 256 * 1024 * 1024
"""One motion's arrays: about 3 hours of canonical motion at 30 fps."""
MAX_ARRAYS_BYTES = 1024 * 1024 * 1024
"""All the arrays of one project together."""
MAX_SONG_BYTES = 1024 * 1024 * 1024
"""An embedded song (a 20-minute 24-bit 96 kHz WAV is 690 MB)."""
_MAX_ARRAYS_PER_MEMBER = 16
_CHUNK = 1 << 20


class ProjectFileError(BadFileError):
    """A project file that cannot be opened; the message names the file and the problem."""


def size_text(n_bytes: int) -> str:
    """``1536`` → ``"1.5 KB"``: sizes in messages, in the units file managers use."""
    value = float(n_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def declared_members(stream: IO[bytes]) -> int:
    """How many members the zip's end record declares (0 when there is none to read).

    Read before :class:`zipfile.ZipFile` parses the central directory, which builds one object
    per member: a 100 MB file of a million empty members would otherwise cost gigabytes.
    """
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    tail_size = min(size, 22 + 0xFFFF)  # the end record plus the longest comment
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return 0  # no end record: zipfile reports the damage
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    locator = tail[at - 20 : at] if at >= 20 else b""
    if entries == 0xFFFF and locator[:4] == b"PK\x06\x07":  # zip64: the count is elsewhere
        (record_at,) = struct.unpack("<Q", locator[8:16])
        stream.seek(record_at)
        record = stream.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            (entries,) = struct.unpack("<Q", record[32:40])
    stream.seek(0)
    return int(entries)


class ProjectArchive:
    """An open project zip whose members are read only within the budgets above."""

    def __init__(self, source: Path, archive: zipfile.ZipFile) -> None:
        self.source = source
        self._archive = archive
        self._arrays_left = MAX_ARRAYS_BYTES

    @classmethod
    @contextlib.contextmanager
    def open(cls, source: Path) -> Iterator[ProjectArchive]:
        if not source.exists():
            raise ProjectFileError(source, "the file does not exist")
        if source.is_dir():
            raise ProjectFileError(source, "this is a folder, not a project file")
        if not source.is_file():
            raise ProjectFileError(source, "this is a device or pipe, not a project file")
        try:
            stream = open(source, "rb")  # noqa: SIM115 (closed by the ZipFile or below)
        except PermissionError as error:
            raise ProjectFileError(source, "the file cannot be read (no permission)") from error
        except OSError as error:
            raise ProjectFileError(source, f"the file cannot be read ({error.strerror})") from error
        with stream:
            try:
                members = declared_members(stream)
                if members > MAX_MEMBERS:
                    raise ProjectFileError(
                        source,
                        f"this project declares {members:,} files inside it; the limit is "
                        f"{MAX_MEMBERS:,}",
                    )
                archive = zipfile.ZipFile(stream)
            except (zipfile.BadZipFile, EOFError, struct.error, ValueError) as error:
                raise ProjectFileError(
                    source, "not a valid project file (the zip is damaged, truncated or not a zip)"
                ) from error
            except PermissionError as error:
                raise ProjectFileError(source, "the file cannot be read (no permission)") from error
            except OSError as error:
                raise ProjectFileError(
                    source, f"the file cannot be read ({error.strerror})"
                ) from error
            with archive:
                yield cls(source, archive)

    def _info(self, member: str, limit: int) -> zipfile.ZipInfo:
        try:
            info = self._archive.getinfo(member)
        except KeyError:
            raise ProjectFileError(self.source, f"{member} is missing from the project") from None
        if info.file_size > limit:
            raise ProjectFileError(
                self.source,
                f"{member} inflates to {size_text(info.file_size)}; the limit is "
                f"{size_text(limit)}",
            )
        return info

    def _check_budget(self, where: str, n_bytes: int) -> None:
        if n_bytes > self._arrays_left:
            raise ProjectFileError(
                self.source,
                f"{where} inflates to {size_text(n_bytes)}, past the "
                f"{size_text(MAX_ARRAYS_BYTES)} that all of a project's arrays may take",
            )

    @contextlib.contextmanager
    def _reading(self, member: str) -> Iterator[None]:
        """Turn every way a member can fail to read into one clear error."""
        try:
            yield
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise ProjectFileError(self.source, f"{member} is damaged ({error})") from error
        except (NotImplementedError, RuntimeError) as error:  # unknown method, encrypted
            raise ProjectFileError(
                self.source, f"{member} is stored in a way the studio cannot read ({error})"
            ) from error

    def read(self, member: str, limit: int = MAX_JSON_BYTES) -> bytes:
        """The bytes of ``member``, refused before reading if it declares more than ``limit``."""
        info = self._info(member, limit)
        with self._reading(member), self._archive.open(info) as stream:
            return _read_at_most(stream, info.file_size)

    def arrays(self, member: str) -> dict[str, np.ndarray[Any, Any]]:
        """The numeric arrays of an ``.npz`` member (never pickled objects), within budget."""
        info = self._info(member, MAX_ARRAY_MEMBER_BYTES)
        # The raw member is held only while its arrays are read; the arrays themselves count
        # against the budget for as long as the project is open.
        self._check_budget(member, info.file_size)
        raw = self.read(member, info.file_size)
        try:
            inner = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            raise ProjectFileError(self.source, f"{member} is not a valid array file") from error
        with inner:
            entries = inner.infolist()
            if len(entries) > _MAX_ARRAYS_PER_MEMBER:
                raise ProjectFileError(
                    self.source, f"{member} holds {len(entries):,} arrays; the limit is 16"
                )
            arrays = {}
            for entry in entries:
                name = entry.filename.removesuffix(".npy")
                arrays[name] = self._npy(inner, entry, f"{member}: {name}")
        return arrays

    def _npy(
        self, inner: zipfile.ZipFile, entry: zipfile.ZipInfo, where: str
    ) -> np.ndarray[Any, Any]:
        # A compressed .npz can hold its own zip bomb: its inflated size counts too.
        self._check_budget(where, entry.file_size)
        self._arrays_left -= entry.file_size
        with self._reading(where), inner.open(entry) as stream:
            try:
                version = np.lib.format.read_magic(stream)
                header = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape, fortran, dtype = header(stream)
            except (ValueError, SyntaxError, TypeError) as error:
                raise ProjectFileError(
                    self.source, f"{where} is not a valid array ({error})"
                ) from error
            if dtype.hasobject:
                raise ProjectFileError(
                    self.source, f"{where} holds Python objects, which are refused for safety"
                )
            if dtype.kind not in "fiub" or dtype.fields is not None:
                raise ProjectFileError(self.source, f"{where} is not numeric")
            n_bytes = math.prod(shape) * dtype.itemsize
            if n_bytes > entry.file_size:  # the header claims more data than the member holds
                raise ProjectFileError(
                    self.source, f"{where} declares {math.prod(shape):,} values it does not hold"
                )
            data = _read_at_most(stream, n_bytes)
        if len(data) != n_bytes:
            raise ProjectFileError(self.source, f"{where} is truncated")
        array = np.frombuffer(data, dtype=dtype)
        return array.reshape(shape, order="F" if fortran else "C")

    def extract(self, member: str, directory: Path) -> Path:
        """Unpack ``member`` (the embedded song) into ``directory`` under its content's hash.

        Streamed in chunks: the song never sits in memory whole.
        """
        info = self._info(member, MAX_SONG_BYTES)
        suffix = Path(member).suffix.lower()
        if not (suffix[1:].isalnum() and len(suffix) <= 6):
            suffix = ""
        temporary = directory / f".{os.getpid()}-{hashlib.sha1(member.encode()).hexdigest()}.tmp"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            out = open(temporary, "wb")  # noqa: SIM115 (closed by the with below)
        except OSError as error:
            raise ProjectFileError(
                self.source, f"the embedded song cannot be unpacked into {directory} ({error})"
            ) from error
        digest = hashlib.sha1()
        try:
            with out, self._reading(member), self._archive.open(info) as stream:
                left = info.file_size
                while left > 0 and (chunk := stream.read(min(_CHUNK, left))):
                    digest.update(chunk)
                    out.write(chunk)
                    left -= len(chunk)
            target = directory / f"{digest.hexdigest()[:16]}{suffix}"
            if not target.exists():
                os.replace(temporary, target)
            return target
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _read_at_most(stream: IO[bytes], n_bytes: int) -> bytes:
    """Up to ``n_bytes`` from ``stream``, read in chunks so no single read can balloon."""
    chunks = []
    left = n_bytes
    while left > 0 and (chunk := stream.read(min(_CHUNK, left))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
