"""A folder of the user's own moves: every motion file in it becomes a library clip in one style.

A choreographer drops in a folder of clips (Mixamo downloads, captures); each file is read,
cut at its kinematic beats into counts (as :func:`~inference.generate.library.add_user_unit`
does) and tagged with one style, by default the folder's name. A file that cannot be read or
cut is reported by name with the reason, and the others still go in, so one broken take does
not cost the whole session.

The library and its cutting load on first use (they pull in scipy), so the studio can import
this module at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inference.errors import BadFileError, UserFacingError
from inference.jobs import Job, Progress
from inference.motion.importing import clip_name, motion_files, read_motion
from inference.motion.motion import Motion

if TYPE_CHECKING:
    from inference.generate.library import LibraryClip, MoveLibrary


@dataclass(frozen=True, eq=False)
class FolderMove:
    """One clip that went in: its name, its file, the canonical motion and its beat-time clip."""

    name: str
    path: str
    motion: Motion
    clip: LibraryClip


@dataclass(frozen=True, eq=False)
class MoveFolderResult:
    """What a folder import made: the clips that went in, and each failed file with its reason."""

    folder: str
    style: str
    moves: tuple[FolderMove, ...]
    failed: tuple[tuple[str, str], ...]
    """``(file name, reason)`` for every file that did not go in."""

    def summary(self) -> str:
        """One or two sentences for the user: how many went in, which failed and why."""
        went_in = f"Added {_count(len(self.moves), 'move')} as “{self.style}”."
        if not self.failed:
            return went_in
        reasons = "; ".join(f"{name} ({reason})" for name, reason in self.failed)
        if not self.moves:
            return f"No moves went in: {reasons}."
        return f"{went_in} {_count(len(self.failed), 'file')} did not go in: {reasons}."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def style_from_folder(folder: str | Path) -> str:
    """The style name a folder suggests: its name, with underscores read as spaces.

    ``our_girl_crush`` and ``our girl crush`` both give ``"our girl crush"``; hyphens stay,
    so a folder called ``girl-crush`` joins the shipped style of that name.
    """
    name = Path(folder).resolve().name
    return re.sub(r"\s+", " ", name.replace("_", " ")).strip() or "my moves"


def _cut(motion: Motion, name: str, style: str) -> LibraryClip:
    from inference.generate.library import clip_from_motion

    return clip_from_motion(motion, name, "user", style)


def import_move_folder(folder: str | Path, style: str) -> Job[MoveFolderResult]:
    """Read and cut every motion file in ``folder`` as a user clip of ``style``.

    Raises
    ------
    UserFacingError
        If ``folder`` is not a folder or holds no motion files; a single bad file never
        raises, it is listed in :attr:`MoveFolderResult.failed`.
    """
    path = Path(folder)
    if not path.is_dir():
        raise UserFacingError(f"{path.name}: not a folder of moves ({path})")
    files = motion_files([path])
    if not files:
        raise UserFacingError(f"No motion files in {path.name} ({path}).")
    moves: list[FolderMove] = []
    failed: list[tuple[str, str]] = []
    for i, file in enumerate(files):
        yield Progress(100 * i // len(files), f"Adding {file.name} to the move library")
        name = clip_name(file)
        try:
            motion = read_motion(file)
            clip = _cut(motion, name, style)
        except UserFacingError as error:
            failed.append(
                (file.name, error.problem if isinstance(error, BadFileError) else str(error))
            )
        except ValueError as error:  # too short or too still to find two beats in
            failed.append((file.name, str(error).removeprefix(f"{name}: ")))
        else:
            moves.append(FolderMove(name, str(file), motion, clip))
    yield Progress(100, f"Read {len(files)} file(s) from {path.name}")
    return MoveFolderResult(str(path), style, tuple(moves), tuple(failed))


@dataclass(frozen=True)
class ImportMoveFolderRequest:
    """Add a folder of moves on the worker thread (see :func:`import_move_folder`)."""

    folder: str
    style: str

    def job(self) -> Job[MoveFolderResult]:
        return import_move_folder(self.folder, self.style)


def with_user_clips(library: MoveLibrary, clips: Sequence[LibraryClip]) -> MoveLibrary:
    """``library`` plus ``clips``, each cut into 1/2/4/8-count units, ranked once at the end.

    Adding clips one by one (:meth:`MoveLibrary.with_clip`) re-ranks every unit per clip;
    a folder of twenty takes would rank the whole library twenty times.
    """
    from inference.generate.library import UNIT_LENGTHS, MoveLibrary, cut_units, rerank

    if not clips:
        return library
    all_clips = (*library.clips, *clips)
    units = list(library.units)
    for ci in range(len(library.clips), len(all_clips)):
        units.extend(cut_units(all_clips, ci, UNIT_LENGTHS))
    return MoveLibrary(all_clips, tuple(rerank(units)))


def user_library(moves: Sequence[tuple[str, Motion, str]]) -> MoveLibrary:
    """The shipped library plus the user's moves, given as ``(name, motion, style)``."""
    from inference.generate.library import load_library

    return with_user_clips(load_library(), [_cut(m, name, style) for name, m, style in moves])
