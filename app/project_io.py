"""Reading and writing ``.eightcount`` project files, safely.

A project file is a zip holding ``project.json`` (with a ``format_version``), the numeric arrays
as ``.npz`` files (always loaded with ``allow_pickle=False``), and optionally the song itself.
Writes are atomic: the zip is written to a temporary file beside the target and renamed over it
only once it is complete, so a full disk or a crash never leaves a half-written project behind.
Loading validates everything before it builds a :class:`Project`, so a bad file never touches the
project that is open.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from app.model import (
    BeatGrid,
    Clip,
    GenerationSettings,
    MotionAsset,
    Part,
    Project,
    Section,
    Song,
    Track,
    TrackKind,
)
from app.model.derive import beat_span
from inference.errors import BadFileError, UserFacingError
from inference.generate.styles import UnknownStyleError, check_style

FORMAT_VERSION = 1
PROJECT_SUFFIX = ".eightcount"
_PROJECT_JSON = "project.json"
_GRID_ARRAYS = "arrays/beat_grid.npz"


class ProjectFileError(BadFileError):
    """A project file that cannot be opened; the message names the file and the problem."""


class ProjectSaveError(UserFacingError):
    """A project could not be written; the previous file on disk is unchanged."""


def default_cache_dir() -> Path:
    """Where songs embedded in projects are unpacked to."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eightcount" / "songs"


# -- saving ------------------------------------------------------------------------------------


def save_project(project: Project, path: str | Path) -> None:
    """Write ``project`` to ``path`` atomically.

    Raises
    ------
    ProjectSaveError
        When the file cannot be written (disk full, no permission, ...). The file that was at
        ``path`` before, if any, is left exactly as it was.
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as stream:
            _write_zip(project, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise ProjectSaveError(_save_problem(target, error)) from error


def _save_problem(target: Path, error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "there is no permission to write there"
    else:
        reason = error.strerror or str(error)
    return f"Could not save {target.name}: {reason}. The previous file was left unchanged."


def _write_zip(project: Project, stream: io.BufferedWriter) -> None:
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        document = _project_to_json(project)
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
            _write_npz(archive, _motion_member(motion.id), motion.arrays)
        song = project.song
        if song is not None and song.embedded:
            member = f"song/{Path(song.path).name}"
            archive.write(song.path, member)
            document["song"]["embedded_file"] = member
        archive.writestr(_PROJECT_JSON, json.dumps(document, indent=2))


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


def _project_to_json(project: Project) -> dict[str, Any]:
    song = project.song
    return {
        "format_version": FORMAT_VERSION,
        "name": project.name,
        "song": None
        if song is None
        else {
            "path": song.path,
            "title": song.title,
            "duration": song.duration,
            "embedded": song.embedded,
        },
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
        "motions": [
            {"id": m.id, "name": m.name, "fps": m.fps, "arrays": _motion_member(m.id)}
            for m in project.motions.values()
        ],
        "tracks": [
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind.value,
                "color": t.color,
                "muted": t.muted,
                "ghost": t.ghost,
                "clips": [_clip_to_json(c) for c in t.clips],
            }
            for t in project.tracks
        ],
        "generation": {
            name: getattr(project.generation, name)
            for name in (*GenerationSettings.SLIDERS, "style", "prompt", "seed")
        },
        "user_moves": list(project.user_moves),
        "user_move_styles": project.user_move_styles,
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
        a file from a newer version, or missing or unsafe arrays. Nothing is changed anywhere.
    """
    source = Path(path)
    with _open_archive(source) as archive:
        document = _read_document(source, archive)
        try:
            return _build_project(source, archive, document, cache_dir or default_cache_dir())
        except ProjectFileError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ProjectFileError(source, f"project.json is malformed ({error})") from error


@contextlib.contextmanager
def _open_archive(source: Path) -> Iterator[zipfile.ZipFile]:
    if not source.exists():
        raise ProjectFileError(source, "the file does not exist")
    if source.is_dir():
        raise ProjectFileError(source, "this is a folder, not a project file")
    try:
        archive = zipfile.ZipFile(source)
    except PermissionError as error:
        raise ProjectFileError(source, "the file cannot be read (no permission)") from error
    except (zipfile.BadZipFile, EOFError) as error:
        raise ProjectFileError(
            source, "not a valid project file (the zip is damaged, truncated or not a zip)"
        ) from error
    except OSError as error:
        raise ProjectFileError(source, f"the file cannot be read ({error.strerror})") from error
    with archive:
        yield archive


def _read_member(source: Path, archive: zipfile.ZipFile, member: str) -> bytes:
    try:
        return archive.read(member)
    except KeyError as error:
        raise ProjectFileError(source, f"{member} is missing from the project") from error
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as error:
        raise ProjectFileError(source, f"{member} is damaged ({error})") from error


def _read_document(source: Path, archive: zipfile.ZipFile) -> dict[str, Any]:
    raw = _read_member(source, archive, _PROJECT_JSON)
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
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
    return document


def _read_arrays(
    source: Path, archive: zipfile.ZipFile, member: str, required: tuple[str, ...] = ()
) -> dict[str, np.ndarray[Any, Any]]:
    raw = _read_member(source, archive, member)
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except ValueError as error:
        # numpy refuses object arrays without allow_pickle: we never allow them.
        raise ProjectFileError(
            source, f"{member} holds Python objects, which are refused for safety ({error})"
        ) from error
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        raise ProjectFileError(source, f"{member} is not a valid array file ({error})") from error
    for name, array in arrays.items():
        if array.dtype.kind not in "fiub":
            raise ProjectFileError(source, f"{member}: array {name!r} is not numeric")
    missing = [name for name in required if name not in arrays]
    if missing:
        raise ProjectFileError(source, f"{member} lacks the arrays {', '.join(missing)}")
    return arrays


def _build_project(
    source: Path, archive: zipfile.ZipFile, document: dict[str, Any], cache_dir: Path
) -> Project:
    grid = _grid_from_file(source, archive, document)
    parts = tuple(_part_from_json(grid, entry) for entry in document.get("parts", []))
    part_names = {int(k): str(v) for k, v in document.get("part_names", {}).items()}
    # Files from before part_names kept a part's name inside the part.
    part_names.update(
        {int(p["index"]): str(p["name"]) for p in document.get("parts", []) if p.get("name")}
    )
    sections = tuple(_section_from_json(parts, entry) for entry in document.get("sections", []))
    motions = [
        MotionAsset(
            id=str(entry["id"]),
            name=str(entry["name"]),
            fps=float(entry["fps"]),
            arrays={
                k: v.astype(np.float64)
                for k, v in _read_arrays(source, archive, entry["arrays"]).items()
            },
        )
        for entry in document.get("motions", [])
    ]
    tracks = [_track_from_json(entry) for entry in document["tracks"]]
    if sum(t.kind is TrackKind.AUDIO for t in tracks) != 1:
        raise ProjectFileError(source, "project.json must have exactly one audio track")
    song = _song_from_json(source, archive, document.get("song"), cache_dir)
    user_moves = tuple(str(m) for m in document.get("user_moves", []))
    move_styles = {str(k): str(v) for k, v in document.get("user_move_styles", {}).items()}
    generation = GenerationSettings(**document.get("generation", {}))
    try:
        check_style(generation.style, move_styles.values())
    except UnknownStyleError as error:
        raise ProjectFileError(source, f"its generation settings ask for an {error}") from None

    # Everything was read and validated: only now build the new project.
    project = Project(name=str(document.get("name", source.stem)), tracks=tracks)
    project.set_song(song)
    project.set_beat_grid(grid)
    project.set_parts(parts)
    project.set_part_names(part_names)
    project.set_sections(sections)
    project.set_generation_settings(generation)
    for motion in motions:
        project.add_motion(motion)
    project.set_user_moves(user_moves, move_styles)
    return project


def _grid_from_file(source: Path, archive: zipfile.ZipFile, document: dict[str, Any]) -> BeatGrid:
    """The beat grid: beats and counts from the ``.npz``, meter and duration from the JSON.

    Files written before counts were stored hold only beats and downbeats; their counts are
    rebuilt by counting on from each downbeat.
    """
    entry = document["beat_grid"]
    arrays = _read_arrays(source, archive, entry["arrays"], ("beats",))
    beats = tuple(float(b) for b in arrays["beats"])
    meter = int(entry["meter"])
    if "counts" in arrays:
        raw = arrays["counts"]
        if raw.dtype.kind not in "iu" or raw.shape != arrays["beats"].shape:
            raise ProjectFileError(source, "the beat counts do not match the beats")
        counts = tuple(int(c) for c in raw)
    elif "downbeats" in arrays:
        downbeats = {float(d) for d in arrays["downbeats"]}
        first = next((i for i, b in enumerate(beats) if b in downbeats), 0)
        counts = tuple((i - first) % max(meter, 1) + 1 for i in range(len(beats)))
    else:
        raise ProjectFileError(source, f"{entry['arrays']} lacks the arrays counts")
    song = document.get("song") or {}
    fallback = max(float(song.get("duration", 0.0)), beats[-1] if beats else 0.0)
    return BeatGrid(beats, counts, meter, float(entry.get("duration", fallback)))


def _part_from_json(grid: BeatGrid, entry: dict[str, Any]) -> Part:
    start, end = float(entry["start"]), float(entry["end"])
    if "first_beat" in entry:
        first, count = int(entry["first_beat"]), int(entry["n_beats"])
    else:  # older files: anchor the part on the beats it spans
        first, count = beat_span(grid, start, end)
    if first < 0 or count < 0 or first + count > len(grid.beats):
        raise ValueError(f"part {entry['index']} refers to beats the grid does not have")
    return Part(int(entry["index"]), start, end, first, count)


def _section_from_json(parts: tuple[Part, ...], entry: dict[str, Any]) -> Section:
    start, end = float(entry["start"]), float(entry["end"])
    if "first_part" in entry:
        first, count = int(entry["first_part"]), int(entry["n_parts"])
    else:  # older files: the parts that start inside the section
        inside = [p.index for p in parts if start <= p.start < end]
        first, count = (inside[0] if inside else 0), len(inside)
    return Section(str(entry["label"]), start, end, first, count)


def _track_from_json(entry: dict[str, Any]) -> Track:
    clips = tuple(Clip(**c) for c in entry.get("clips", []))
    return Track(
        id=str(entry["id"]),
        name=str(entry["name"]),
        kind=TrackKind(entry["kind"]),
        clips=tuple(sorted(clips, key=lambda c: c.start)),
        color=str(entry.get("color", "#4fc3f7")),
        muted=bool(entry.get("muted", False)),
        ghost=bool(entry.get("ghost", False)),
    )


def _song_from_json(
    source: Path, archive: zipfile.ZipFile, entry: dict[str, Any] | None, cache_dir: Path
) -> Song | None:
    if entry is None:
        return None
    path = str(entry["path"])
    member = entry.get("embedded_file")
    if member and not Path(path).exists():
        data = _read_member(source, archive, member)
        cache_dir.mkdir(parents=True, exist_ok=True)
        unpacked = cache_dir / f"{hashlib.sha1(data).hexdigest()[:16]}{Path(member).suffix}"
        if not unpacked.exists():
            unpacked.write_bytes(data)
        path = str(unpacked)
    return Song(
        path=path,
        title=str(entry.get("title", "")),
        duration=float(entry.get("duration", 0.0)),
        embedded=bool(entry.get("embedded", False)),
    )
