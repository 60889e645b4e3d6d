"""Importing motion files into the studio: which files a drop means, and the import job.

A dropped or chosen folder imports every motion file in it, in name order, so the takes of a
session land as consecutive clips. Inside a folder a ``.json`` file that is not motion (a
dataset's ``config.json``, a label file) is skipped, because such files sit next to mocap
everywhere, and so is a ``.csv`` whose first row is not 72 numbers (an index table); a file
the user names explicitly is always read, and a bad one is an error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inference.errors import BadFileError, UserFacingError
from inference.jobs import Job, Progress
from inference.motion.formats import INPUT_SUFFIXES, JSON_FORMAT, load_motion
from inference.motion.motion import Motion

_GENERIC_STEMS = {"skeletons", "motion", "poses", "data"}
_JSON_PEEK_BYTES = 4096


@dataclass(frozen=True, eq=False)
class ImportedMotion:
    """One imported file: the clip name it suggests, where it came from, and the motion."""

    name: str
    path: str
    motion: Motion


def clip_name(path: Path) -> str:
    """A clip name for ``path``: its stem, or its folder's name for generic stems.

    Tang 2018 keeps every dance in ``DANCE_X_N/skeletons.json``: the folder names the dance.
    """
    return path.parent.name if path.stem.lower() in _GENERIC_STEMS else path.stem


def _looks_like_motion_json(path: Path) -> bool:
    # Tang data puts its "skeletons" key after megabytes of "center": know it by its name.
    if path.name.lower() == "skeletons.json":
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(_JSON_PEEK_BYTES)
    except OSError:
        return False
    return JSON_FORMAT.encode() in head


def _looks_like_motion_csv(path: Path) -> bool:
    # Mocap folders keep index tables as CSV (CMU_data_index.csv): a motion CSV has a row of
    # 72 numbers (24 SMPL joints x, y, z) first, or after one header row.
    try:
        with path.open("rb") as fh:
            rows = fh.read(_JSON_PEEK_BYTES).splitlines()[:2]
    except OSError:
        return False
    for row in rows:
        fields = row.split(b",")
        try:
            if len(fields) == 72 and all(math.isfinite(float(f)) for f in fields):
                return True
        except ValueError:
            continue
    return False


def motion_files(paths: Iterable[str | Path]) -> list[Path]:
    """The motion files that ``paths`` (files and folders) stand for, in import order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            found.append(path)
            continue
        for child in sorted(path.iterdir()):
            suffix = child.suffix.lower()
            if not child.is_file() or suffix not in INPUT_SUFFIXES:
                continue
            if suffix == ".json" and not _looks_like_motion_json(child):
                continue
            if suffix == ".csv" and not _looks_like_motion_csv(child):
                continue
            found.append(child)
    return found


def read_motion(path: Path) -> Motion:
    """Load one motion file; every failure becomes a :class:`BadFileError` naming the file."""
    if not path.is_file():
        raise BadFileError(path, "no such file")
    try:
        motion = load_motion(path)
    except UserFacingError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, EOFError) as err:
        # Importers validate structure; what slips through (a NaN that reaches Motion, an
        # array of the wrong shape) is still the file's fault, not a bug to crash on.
        raise BadFileError(path, f"not a usable motion ({err})") from None
    if motion.n_frames < 1:
        raise BadFileError(path, "the motion has no frames")
    return motion


def import_motions(paths: tuple[str, ...]) -> Job[list[ImportedMotion]]:
    """Read every motion file ``paths`` stands for; the first bad file stops the import."""
    files = motion_files(paths)
    if not files:
        shown = ", ".join(Path(p).name for p in paths)
        raise UserFacingError(f"No motion files ({', '.join(INPUT_SUFFIXES)}) in {shown}.")
    imported = []
    for i, path in enumerate(files):
        yield Progress(100 * i // len(files), f"Importing {path.name}")
        imported.append(ImportedMotion(clip_name(path), str(path), read_motion(path)))
    yield Progress(100, f"Imported {len(imported)} motion file(s)")
    return imported


@dataclass(frozen=True)
class ImportMotionRequest:
    """Import motion files and folders on the worker thread (see :func:`import_motions`)."""

    paths: tuple[str, ...]

    def job(self) -> Job[list[ImportedMotion]]:
        return import_motions(self.paths)
