"""Reading and writing ``.eightcount`` project files, safely.

A project file is a zip holding ``project.json`` (with a ``format_version``), the numeric arrays
as ``.npz`` files (never pickled objects), and optionally the song itself. Writes are atomic:
the zip is written to a temporary file beside the target and renamed over it only once it is
complete, so a full disk or a crash never leaves a half-written project behind. Loading reads
within size budgets (:mod:`app.project_zip`) and validates every field
(:mod:`app.model.project_reader`) before it builds a :class:`Project`, so a bad file never
touches the project that is open.

The song
    The file stores the song's absolute path and its path relative to the project file, and
    opening looks for it at both and beside the project. A song is embedded (stored inside the
    project) only when it is a regular file of at most :data:`MAX_SONG_BYTES` that the studio
    decoded as this project's song, or one the loader itself unpacked from a project: a
    ``project.json`` naming ``/etc/passwd`` or ``/dev/zero`` can never copy it into a file.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from app.model import Clip, GenerationParams, MotionAsset, Project, Song, VideoSource
from app.model.fields import FieldError
from app.model.project_reader import (
    FORMAT_VERSION,
    OLDEST_FORMAT_VERSION,
    VIDEO_KEYPOINTS,
    SongReference,
    project_from_document,
    upgrade,
)
from app.project_zip import (
    MAX_JSON_BYTES,
    MAX_SONG_BYTES,
    ProjectArchive,
    ProjectFileError,
    size_text,
)
from inference.errors import UserFacingError

__all__ = [
    "FORMAT_VERSION",
    "PROJECT_SUFFIX",
    "ProjectFileError",
    "ProjectSaveError",
    "load_project",
    "save_project",
]

PROJECT_SUFFIX = ".eightcount"
_PROJECT_JSON = "project.json"
_GRID_ARRAYS = "arrays/beat_grid.npz"
_CHUNK = 1 << 20


class ProjectSaveError(UserFacingError):
    """A project could not be written; the previous file on disk is unchanged."""


def default_cache_dir() -> Path:
    """Where songs embedded in projects are unpacked to."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eightcount" / "songs"


# -- saving ------------------------------------------------------------------------------------


def save_project(
    project: Project,
    path: str | Path,
    decoded_song: str | None = None,
    cache_dir: Path | None = None,
) -> list[str]:
    """Write ``project`` to ``path`` atomically; returns notes for the user (may be empty).

    Parameters
    ----------
    decoded_song
        The file the studio decoded as the project's song. An embedded song is stored only if
        it is this file (or was unpacked from a project into ``cache_dir``); otherwise the
        project is saved without it, and a note says why.

    Raises
    ------
    ProjectSaveError
        When the file cannot be written (disk full, no permission, ...). The file that was at
        ``path`` before, if any, is left exactly as it was.
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    trusted = _trusted_song_files(decoded_song, cache_dir or default_cache_dir())
    try:
        with open(temporary, "wb") as stream:
            notes = _write_zip(project, stream, target.parent, trusted)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise ProjectSaveError(_save_problem(target, error)) from error
    return notes


def _save_problem(target: Path, error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "there is no permission to write there"
    else:
        reason = error.strerror or str(error)
    return f"Could not save {target.name}: {reason}. The previous file was left unchanged."


def _write_zip(
    project: Project, stream: io.BufferedWriter, folder: Path, trusted: _TrustedSongs
) -> list[str]:
    notes: list[str] = []
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        document = _project_to_json(project, folder)
        grid = project.beat_grid
        _write_npz(
            archive,
            _GRID_ARRAYS,
            {
                "beats": np.asarray(grid.beats, dtype=np.float64),
                "counts": np.asarray(grid.counts, dtype=np.int64),
                # Redundant with counts, but files written before counts existed only had
                # downbeats, and keeping it lets such readers still see the bars.
                "downbeats": np.asarray(grid.downbeats, dtype=np.float64),
            },
        )
        for motion in project.motions.values():
            arrays = dict(motion.arrays)
            if motion.video is not None:
                arrays[VIDEO_KEYPOINTS] = motion.video.keypoints
            _write_npz(archive, _motion_member(motion.id), arrays)
        song = project.song
        if song is not None and song.embedded:
            member = f"song/{Path(song.path).name}"
            problem = _write_song(archive, song.path, member, trusted)
            if problem is None:
                document["song"]["embedded_file"] = member
            else:
                notes.append(f"The song was not embedded in the project: {problem}.")
        archive.writestr(_PROJECT_JSON, json.dumps(document, indent=2, allow_nan=False))
    return notes


_TrustedSongs = tuple[str | None, Path]
"""The decoded song file (absolute) and the folder of songs unpacked from projects."""


def _trusted_song_files(decoded_song: str | None, cache_dir: Path) -> _TrustedSongs:
    decoded = os.path.realpath(decoded_song) if decoded_song else None
    return decoded, Path(os.path.realpath(cache_dir))


def _write_song(
    archive: zipfile.ZipFile, song_path: str, member: str, trusted: _TrustedSongs
) -> str | None:
    """Copy the song into ``member``; returns why it was not copied, or None.

    The file is checked before it is opened (a FIFO would block the open, a device would
    stream forever) and again through the open descriptor (the path may have been swapped in
    between); at most the size seen then is copied, in chunks.
    """
    name = Path(song_path).name
    real = os.path.realpath(song_path)
    decoded, cache_dir = trusted
    if real != decoded and Path(real).parent != cache_dir:
        return f"{name} was not decoded as this project's song, so it is not copied"
    try:
        before = os.stat(real)
        if not stat.S_ISREG(before.st_mode):
            return f"{song_path} is not a regular file"
        if before.st_size > MAX_SONG_BYTES:
            return (
                f"{name} is {size_text(before.st_size)}; the limit for an embedded song is "
                f"{size_text(MAX_SONG_BYTES)}"
            )
        descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        return f"{name} cannot be read ({error.strerror})"
    with open(descriptor, "rb") as source:
        now = os.fstat(descriptor)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            return f"{song_path} changed while it was being saved"
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_STORED  # audio is compressed already
        with archive.open(info, "w") as out:
            left = before.st_size
            while left > 0 and (chunk := source.read(min(_CHUNK, left))):
                out.write(chunk)
                left -= len(chunk)
    return None


def _write_npz(archive: zipfile.ZipFile, member: str, arrays: dict[str, Any]) -> None:
    buffer = io.BytesIO()
    # Integer arrays (beat counts) stay integers; everything else is stored as float64.
    numeric = {
        k: v if isinstance(v, np.ndarray) and v.dtype.kind in "iu" else np.asarray(v, np.float64)
        for k, v in arrays.items()
    }
    np.savez(buffer, allow_pickle=False, **numeric)
    archive.writestr(member, buffer.getvalue())


def _motion_member(motion_id: str) -> str:
    return f"motions/{motion_id}.npz"


def _paths_to_json(path: str, folder: Path) -> dict[str, Any]:
    """A file's absolute path and its path relative to the project's folder."""
    absolute = os.path.abspath(path)
    try:
        relative: str | None = os.path.relpath(absolute, os.path.abspath(folder))
    except ValueError:  # another drive (Windows): no relative path exists
        relative = None
    return {"path": absolute, "relative_path": relative}


def _song_to_json(song: Song, folder: Path) -> dict[str, Any]:
    return {
        **_paths_to_json(song.path, folder),
        "title": song.title,
        "duration": song.duration,
        "embedded": song.embedded,
    }


def _project_to_json(project: Project, folder: Path) -> dict[str, Any]:
    song = project.song
    return {
        "format_version": FORMAT_VERSION,
        "name": project.name,
        "song": None if song is None else _song_to_json(song, folder),
        "beat_grid": {
            "meter": project.beat_grid.meter,
            "duration": project.beat_grid.duration,
            "arrays": _GRID_ARRAYS,
        },
        "parts": [
            {
                "index": p.index,
                "start": p.start,
                "end": p.end,
                "first_beat": p.first_beat,
                "n_beats": p.n_beats,
            }
            for p in project.parts
        ],
        "part_names": {str(k): v for k, v in project.part_names.items()},
        "sections": [
            {
                "label": s.label,
                "start": s.start,
                "end": s.end,
                "first_part": s.first_part,
                "n_parts": s.n_parts,
            }
            for s in project.sections
        ],
        "motions": [_motion_to_json(m, folder) for m in project.motions.values()],
        "tracks": [
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind.value,
                "color": t.color,
                "ghost": t.ghost,
                "clips": [_clip_to_json(c) for c in t.clips],
            }
            for t in project.tracks
        ],
        "generation": {
            name: getattr(project.generation, name)
            for name in (*GenerationParams.SLIDERS, "style", "prompt", "seed")
        },
        "user_moves": list(project.user_moves),
        "user_move_styles": project.user_move_styles,
        "style_tags": [
            {
                "style": t.style,
                "motion_id": t.motion_id,
                "source_in": t.source_in,
                "source_out": t.source_out,
                "name": t.name,
            }
            for t in project.style_tags
        ],
        "takes": [
            {
                "part": t.part,
                "score": t.score,
                "timing_ms": t.timing_ms,
                "source": t.source,
                "recorded_at": t.recorded_at,
            }
            for t in project.takes
        ],
    }


def _motion_to_json(motion: MotionAsset, folder: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": motion.id,
        "name": motion.name,
        "fps": motion.fps,
        "arrays": _motion_member(motion.id),
    }
    if motion.video is not None:
        entry["video"] = _video_to_json(motion.video, folder)
    return entry


def _video_to_json(video: VideoSource, folder: Path) -> dict[str, Any]:
    return {
        **_paths_to_json(video.path, folder),
        "fps": video.fps,
        "width": video.width,
        "height": video.height,
        "notes": list(video.notes),
    }


def _clip_to_json(clip: Clip) -> dict[str, Any]:
    return {
        "id": clip.id,
        "motion_id": clip.motion_id,
        "name": clip.name,
        "start": clip.start,
        "source_in": clip.source_in,
        "source_out": clip.source_out,
        "mirrored": clip.mirrored,
        "locked": clip.locked,
    }


# -- loading -----------------------------------------------------------------------------------


def load_project(path: str | Path, cache_dir: Path | None = None) -> Project:
    """Read a project file and return a new :class:`Project`.

    Raises
    ------
    ProjectFileError
        For a missing or unreadable path, a damaged zip, a missing or invalid ``project.json``,
        a file from a newer (or an unknown) version, an invalid field, missing or unsafe
        arrays, or anything over a limit. Its message names the file and the field or limit.
        Nothing is changed anywhere.
    """
    source = Path(path)
    with ProjectArchive.open(source) as archive:
        document = _read_document(archive)

        def locate(reference: SongReference) -> Song:
            return _locate_song(archive, reference, cache_dir or default_cache_dir())

        def locate_video(path: str, relative_path: str | None) -> str:
            candidates = file_candidates(source, path, relative_path)
            found = next((p for p in candidates if p.is_file()), None)
            return path if found is None else os.path.abspath(found)

        try:
            return project_from_document(
                document, archive.arrays, locate, source.stem, locate_video
            )
        except FieldError as error:
            raise ProjectFileError(source, str(error)) from None
        except MemoryError:
            raise ProjectFileError(source, "it is too large for this machine's memory") from None
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ProjectFileError(source, f"project.json is malformed ({error})") from error


def _read_document(archive: ProjectArchive) -> dict[str, Any]:
    source = archive.source
    raw = archive.read(_PROJECT_JSON, MAX_JSON_BYTES)
    try:
        document = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ProjectFileError(
            source, "project.json is nested too deeply to be a project"
        ) from None
    except (UnicodeDecodeError, ValueError) as error:  # JSONDecodeError, over-long integers
        raise ProjectFileError(source, f"project.json is not valid JSON ({error})") from error
    if not isinstance(document, dict):
        raise ProjectFileError(source, "project.json does not hold a project")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProjectFileError(source, "project.json has no valid format_version")
    if version > FORMAT_VERSION:
        raise ProjectFileError(
            source,
            f"it was saved by a newer EightCount Studio (file format {version}; this version "
            f"reads up to {FORMAT_VERSION}). Please update the studio to open it",
        )
    if version < OLDEST_FORMAT_VERSION:
        raise ProjectFileError(
            source,
            f"format_version {version} is not a version EightCount Studio ever wrote (they "
            f"run from {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION})",
        )
    return upgrade(document, version)


def file_candidates(project_file: Path, path: str, relative_path: str | None) -> list[Path]:
    """Where to look for a file the project refers to (its song, a motion's video), in order:
    its absolute path, its path relative to the project file, and the project's own folder."""
    folder = project_file.parent
    candidates = [Path(path)]
    if relative_path:
        candidates.append(folder / relative_path)
    candidates.append(folder / Path(path.replace("\\", "/")).name)
    return candidates


def song_candidates(project_file: Path, reference: SongReference) -> list[Path]:
    """Where to look for the song (see :func:`file_candidates`)."""
    return file_candidates(project_file, reference.path, reference.relative_path)


def _locate_song(archive: ProjectArchive, reference: SongReference, cache_dir: Path) -> Song:
    """The song at the first place it is found; the embedded copy; or the stored path (missing,
    for the studio to offer Locate…)."""
    found = next((p for p in song_candidates(archive.source, reference) if p.is_file()), None)
    if found is not None:
        path = os.path.abspath(found)
    elif reference.embedded_file:
        path = str(archive.extract(reference.embedded_file, cache_dir))
    else:
        path = reference.path
    return Song(
        path=path, title=reference.title, duration=reference.duration, embedded=reference.embedded
    )
