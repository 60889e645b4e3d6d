"""A :class:`Project` from a project file's document, every value validated on the way in.

``app.project_io`` opens the zip and hands over the parsed ``project.json`` and a function that
reads one ``.npz`` member; this module checks every field's type, that every number is finite
and in range, that every count stays under its limit, that arrays have the shapes the document
needs, and that every reference (a clip's motion, a part's beats, a user move) exists. Any
problem raises :class:`~app.model.fields.FieldError` naming the field. The project is built
only once everything was read, so a bad file never yields a half-built project.

Formats
    Version 1 stored the song's path as it was given (often relative to wherever the studio was
    started). Version 2 stores the absolute path and the path relative to the project file;
    :func:`upgrade` turns a version 1 document into a version 2 one. Version 3 adds the video a
    motion was made from (``motions[i].video``: its path, absolute and relative to the project,
    frame rate, picture size and the import's notes; the person's keypoints are the array
    ``video_keypoints`` in the motion's ``.npz``); older files have no videos, so their
    documents read unchanged. Version 4 drops the tracks' ``muted`` flag, which no control
    could set. Version 5 adds ``style_tags``: the stretches of motion the user tagged as
    examples of their own styles (style, motion id, source in and out, name); older files have
    none, and a ``style_tags`` key in one is not read. Version 6 adds ``takes``, the practice
    takes' history (part, score, timing, source, time: see :mod:`app.model.takes`); older files
    have none, and a ``takes`` key in one is ignored.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from app.model.clip_rules import TOUCH
from app.model.derive import beat_span
from app.model.document import (
    BeatGrid,
    Clip,
    GenerationParams,
    MotionAsset,
    Part,
    Section,
    Song,
    StyleTag,
    Track,
    TrackKind,
    VideoSource,
)
from app.model.fields import FieldError, Fields
from app.model.project import Project
from app.model.style_tags import MAX_STYLE_TAGS, Stretch, check_stretch, clean_style_name
from app.model.takes import Take
from app.model.track_sampling import motion_of
from inference.errors import UserFacingError
from inference.generate.styles import UnknownStyleError, check_style
from inference.motion import CANONICAL

FORMAT_VERSION = 6
OLDEST_FORMAT_VERSION = 1

# Limits on what one project may declare. Each is far above what a real project holds (a
# 20-minute song at 240 BPM has 4,800 beats and 600 parts) and low enough that a crafted file
# cannot make the studio allocate gigabytes or build views for minutes.
MAX_TRACKS = 100
MAX_CLIPS = 5_000
"""Clips over all tracks together."""
MAX_MOTIONS = 2_000
MAX_BEATS = 20_000
MAX_PARTS = 5_000
MAX_SECTIONS = 1_000
MAX_TAKES = 50_000
"""Practice takes over all parts (the studio keeps 10 a part: 5,000 parts' worth)."""
MAX_TIMESTAMP = 1e11
"""Seconds since the epoch: year 5138, far past any take's."""
MAX_MOTION_FRAMES = 216_000
"""Two hours at 30 fps, the importers' limit too."""
MAX_SECONDS = 3 * 3600.0
"""Any time in the document (beats, parts, clips, durations) lies in 0..3 hours."""
MAX_TEXT_CHARS = 10_000
MAX_METER = 12
MAX_FPS = 1_000.0
MAX_SEED = 2**31 - 1
MAX_VIDEO_FRAMES = 432_000
"""Keypoint frames of one motion's video: two hours at 60 fps."""
MAX_VIDEO_NOTES = 100
MAX_PIXELS = 100_000
"""The largest picture side a video may declare."""
VIDEO_KEYPOINTS = "video_keypoints"
"""The array of a motion's ``.npz`` that holds its video's keypoints (N, 33, 3)."""
KEYPOINTS_PER_FRAME = 33

Arrays = dict[str, npt.NDArray[Any]]
ReadArrays = Callable[[str], Arrays]
"""Reads one ``.npz`` member of the project: numeric arrays by name (size-checked by the caller)."""


@dataclass(frozen=True)
class SongReference:
    """Where the document says the song is; ``app.project_io`` resolves it to a file."""

    path: str
    relative_path: str | None
    title: str
    duration: float
    embedded: bool
    embedded_file: str | None


LocateSong = Callable[[SongReference], Song]
LocateFile = Callable[[str, str | None], str]
"""Where a file the project refers to is now, from its absolute and relative paths."""


def _as_stored(path: str, relative_path: str | None) -> str:
    return path


def upgrade(document: dict[str, Any], version: int) -> dict[str, Any]:
    """A document of format ``version`` in the current format's shape (a new dict)."""
    upgraded = dict(document)
    if version < 2:
        song = upgraded.get("song")
        if isinstance(song, dict) and isinstance(song.get("path"), str):
            # Version 1 kept the path as given: resolve it as before (against the working
            # folder), and let the project's own folder be tried with it as well.
            given = song["path"]
            relative = None if os.path.isabs(given) else given
            upgraded["song"] = {**song, "path": os.path.abspath(given), "relative_path": relative}
    if version < 3 and isinstance(upgraded.get("motions"), list):
        # Format 2 knew no videos: its motions read as they always did, whatever they hold.
        upgraded["motions"] = [
            {k: v for k, v in m.items() if k != "video"} if isinstance(m, dict) else m
            for m in upgraded["motions"]
        ]
    if version < 4 and isinstance(upgraded.get("tracks"), list):
        # Format 3 stored a "muted" flag no control could set: it is gone, and so is the key.
        upgraded["tracks"] = [
            {k: v for k, v in t.items() if k != "muted"} if isinstance(t, dict) else t
            for t in upgraded["tracks"]
        ]
    if version < 5:
        # Style tags came with format 5: an older file's key of that name is no tag of ours.
        upgraded.pop("style_tags", None)
    if version < 6:
        # Format 5 knew no take history: whatever a "takes" key holds is not one.
        upgraded.pop("takes", None)
    upgraded["format_version"] = FORMAT_VERSION
    return upgraded


def project_from_document(
    document: Mapping[str, Any],
    read_arrays: ReadArrays,
    locate_song: LocateSong,
    name: str,
    locate_video: LocateFile = _as_stored,
) -> Project:
    """The project ``document`` (current format) describes; ``name`` if it names none.

    ``locate_video`` finds each motion's video from the paths stored (by default, the absolute
    path as stored; a video that is not found keeps that path, and the video panel says so).
    """
    root = Fields(document)
    song_entry = root.optional_sub("song")
    song_ref = _song_reference(song_entry) if song_entry is not None else None
    grid = _read_grid(root, read_arrays, song_ref)
    part_entries = root.objects("parts", MAX_PARTS, "parts", optional=True)
    parts = tuple(_read_part(grid, entry) for entry in part_entries)
    part_names = _read_part_names(root, part_entries)
    sections = tuple(
        _read_section(parts, entry)
        for entry in root.objects("sections", MAX_SECTIONS, "sections", optional=True)
    )
    motions = _read_motions(root, read_arrays, locate_video)
    tracks = _read_tracks(root, motions)
    generation = _read_generation(root)
    user_moves, move_styles = _read_user_moves(root, motions)
    takes = tuple(_read_take(e) for e in root.objects("takes", MAX_TAKES, "takes", optional=True))
    try:
        check_style(generation.style, move_styles.values())
    except UnknownStyleError as error:
        raise FieldError("generation.style", f"asks for an {error}") from None
    style_tags = _read_style_tags(root, motions)
    song = locate_song(song_ref) if song_ref is not None else None

    # Everything was read and validated: only now build the new project.
    project = Project(name=root.text("name", MAX_TEXT_CHARS, name) or name, tracks=tracks)
    project.set_song(song)
    project.set_beat_grid(grid)
    project.set_parts(parts)
    project.set_part_names(part_names)
    project.set_sections(sections)
    project.set_generation_settings(generation)
    for motion in motions.values():
        project.add_motion(motion)
    project.set_user_moves(user_moves, move_styles)
    project.set_style_tags(style_tags)
    project.set_takes(takes)
    return project


def _read_take(entry: Fields) -> Take:
    return Take(
        part=entry.integer("part", 1, MAX_PARTS),
        score=entry.number("score", 0.0, 100.0),
        timing_ms=(
            entry.number("timing_ms", -1000.0 * MAX_SECONDS, 1000.0 * MAX_SECONDS)
            if entry.has("timing_ms")
            else None
        ),
        source=entry.text("source", MAX_TEXT_CHARS, ""),
        recorded_at=entry.number("recorded_at", 0.0, MAX_TIMESTAMP),
    )


def _song_reference(entry: Fields) -> SongReference:
    embedded_file = entry.text("embedded_file", MAX_TEXT_CHARS, "") or None
    if embedded_file is not None and not embedded_file.startswith("song/"):
        raise FieldError(f"{entry.path}.embedded_file", "must name a member under song/")
    return SongReference(
        path=entry.text("path", MAX_TEXT_CHARS),
        relative_path=entry.text("relative_path", MAX_TEXT_CHARS, "") or None,
        title=entry.text("title", MAX_TEXT_CHARS, ""),
        duration=entry.number("duration", 0.0, MAX_SECONDS, 0.0),
        embedded=entry.flag("embedded", False),
        embedded_file=embedded_file,
    )


def _numeric_vector(arrays: Arrays, name: str, member: str, limit: int) -> npt.NDArray[Any]:
    array = arrays[name]
    if array.ndim != 1:
        raise FieldError(f"{member}: {name}", f"must be a list of numbers, not shape {array.shape}")
    if array.shape[0] > limit:
        raise FieldError(
            f"{member}: {name}", f"declares {array.shape[0]:,} values; the limit is {limit:,}"
        )
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        raise FieldError(f"{member}: {name}", "holds NaN or infinite values")
    return array


def _read_grid(root: Fields, read_arrays: ReadArrays, song: SongReference | None) -> BeatGrid:
    """Beats and counts from the ``.npz``, meter and duration from the JSON.

    Files written before counts were stored hold only beats and downbeats; their counts are
    rebuilt by counting on from each downbeat.
    """
    entry = root.sub("beat_grid")
    member = entry.text("arrays", MAX_TEXT_CHARS)
    meter = entry.integer("meter", 2, MAX_METER)
    arrays = read_arrays(member)
    if "beats" not in arrays:
        raise FieldError(member, "lacks the array beats")
    raw_beats = _numeric_vector(arrays, "beats", member, MAX_BEATS).astype(np.float64)
    if raw_beats.size and (raw_beats[0] < 0 or raw_beats[-1] > MAX_SECONDS):
        raise FieldError(f"{member}: beats", f"must lie in 0..{MAX_SECONDS:g} s")
    if np.any(np.diff(raw_beats) <= 0):
        raise FieldError(f"{member}: beats", "must be strictly increasing")
    beats = tuple(float(b) for b in raw_beats)
    if "counts" in arrays:
        raw = _numeric_vector(arrays, "counts", member, MAX_BEATS)
        if raw.dtype.kind not in "iu" or raw.shape != raw_beats.shape:
            raise FieldError(f"{member}: counts", "do not match the beats (one count per beat)")
        if raw.size and (raw.min() < 1 or raw.max() > meter):
            raise FieldError(f"{member}: counts", f"must lie in 1..{meter} (the meter)")
        counts = tuple(int(c) for c in raw)
    elif "downbeats" in arrays:
        downbeats = {float(d) for d in _numeric_vector(arrays, "downbeats", member, MAX_BEATS)}
        first = next((i for i, b in enumerate(beats) if b in downbeats), 0)
        counts = tuple((i - first) % meter + 1 for i in range(len(beats)))
    else:
        raise FieldError(member, "lacks the array counts")
    fallback = max(song.duration if song else 0.0, beats[-1] if beats else 0.0)
    duration = entry.number("duration", 0.0, MAX_SECONDS, fallback)
    return BeatGrid(beats, counts, meter, duration)


def _span(entry: Fields) -> tuple[float, float]:
    start = entry.number("start", 0.0, MAX_SECONDS)
    end = entry.number("end", 0.0, MAX_SECONDS)
    if end < start:
        raise FieldError(f"{entry.path}.end", f"({end:g}) comes before the start ({start:g})")
    return start, end


def _read_part(grid: BeatGrid, entry: Fields) -> Part:
    start, end = _span(entry)
    n_grid = len(grid.beats)
    if entry.has("first_beat"):
        first = entry.integer("first_beat", 0, n_grid)
        count = entry.integer("n_beats", 0, n_grid - first)
    else:  # older files: anchor the part on the beats it spans
        first, count = beat_span(grid, start, end)
    return Part(entry.integer("index", 1, MAX_PARTS), start, end, first, count)


def _read_part_names(root: Fields, part_entries: list[Fields]) -> dict[int, str]:
    names = {}
    for key, value in root.text_map("part_names", MAX_PARTS, MAX_TEXT_CHARS, "names").items():
        if not key.isdigit() or int(key) > MAX_PARTS:
            raise FieldError(f"part_names.{key}", "must be keyed by a part number")
        names[int(key)] = value
    # Files from before part_names kept a part's name inside the part.
    for entry in part_entries:
        if entry.has("name"):
            names[entry.integer("index", 1, MAX_PARTS)] = entry.text("name", MAX_TEXT_CHARS)
    return names


def _read_section(parts: tuple[Part, ...], entry: Fields) -> Section:
    start, end = _span(entry)
    if entry.has("first_part"):
        first = entry.integer("first_part", 0, MAX_PARTS)
        count = entry.integer("n_parts", 0, MAX_PARTS)
    else:  # older files: the parts that start inside the section
        inside = [p.index for p in parts if start <= p.start < end]
        first, count = (inside[0] if inside else 0), len(inside)
    return Section(entry.text("label", MAX_TEXT_CHARS), start, end, first, count)


_MOTION_SHAPES = {
    "root_translation": ("T", 3),
    "local_rotations": ("T", CANONICAL.n_joints, 4),
    "offsets": (CANONICAL.n_joints, 3),
    "plan": ("N", 3),
    "variant": (1,),
    # What a generated routine dances in each part (app.model.routine.routine_asset).
    "move_spans": ("N", 2),
    "move_names": ("B",),
}
MAX_MOVE_NAME_BYTES = 1_000_000
"""The UTF-8 bytes of a routine's move names: some 60 per part, far fewer than this."""
_REQUIRED_MOTION_ARRAYS = ("root_translation", "local_rotations")


def _read_motions(
    root: Fields, read_arrays: ReadArrays, locate_video: LocateFile
) -> dict[str, MotionAsset]:
    motions: dict[str, MotionAsset] = {}
    for entry in root.objects("motions", MAX_MOTIONS, "motions", optional=True):
        motion_id = entry.text("id", 200)
        if motion_id in motions:
            raise FieldError(f"{entry.path}.id", f"repeats the motion id {motion_id!r}")
        member = entry.text("arrays", MAX_TEXT_CHARS)
        arrays = {k: v.astype(np.float64) for k, v in read_arrays(member).items()}
        keypoints = arrays.pop(VIDEO_KEYPOINTS, None)
        _check_motion_arrays(member, arrays)
        video_entry = entry.optional_sub("video")
        if video_entry is None and keypoints is not None:
            raise FieldError(f"{member}: {VIDEO_KEYPOINTS}", f"belong to no {entry.path}.video")
        asset = MotionAsset(
            id=motion_id,
            name=entry.text("name", MAX_TEXT_CHARS),
            fps=entry.number("fps", 1.0, MAX_FPS),
            arrays=arrays,
            video=(
                None
                if video_entry is None
                else _read_video(video_entry, keypoints, member, locate_video)
            ),
        )
        try:
            motion_of(asset)  # unit quaternions and the rest of what a Motion needs
        except ValueError as error:
            raise FieldError(member, str(error)) from None
        motions[motion_id] = asset
    return motions


def _read_video(
    entry: Fields, keypoints: npt.NDArray[Any] | None, member: str, locate: LocateFile
) -> VideoSource:
    """A motion's video: the file, its frame rate and size, notes, and the keypoints."""
    where = f"{member}: {VIDEO_KEYPOINTS}"
    if keypoints is None:
        raise FieldError(member, f"lacks the array {VIDEO_KEYPOINTS} that {entry.path} needs")
    if keypoints.ndim != 3 or keypoints.shape[1:] != (KEYPOINTS_PER_FRAME, 3):
        raise FieldError(where, f"must have shape N×{KEYPOINTS_PER_FRAME}×3, not {keypoints.shape}")
    if not 1 <= keypoints.shape[0] <= MAX_VIDEO_FRAMES:
        raise FieldError(
            where,
            f"declares {keypoints.shape[0]:,} frames; a video has 1 to {MAX_VIDEO_FRAMES:,}",
        )
    if not np.all(np.isfinite(keypoints)):
        raise FieldError(where, "holds NaN or infinite values")
    visibility = keypoints[..., 2]
    if np.any(visibility < 0) or np.any(visibility > 1):
        raise FieldError(where, "hold visibilities outside 0..1")
    path = entry.text("path", MAX_TEXT_CHARS)
    relative = entry.text("relative_path", MAX_TEXT_CHARS, "") or None
    keypoints.setflags(write=False)
    return VideoSource(
        path=locate(path, relative),
        fps=entry.number("fps", 1.0, MAX_FPS),
        width=entry.integer("width", 1, MAX_PIXELS),
        height=entry.integer("height", 1, MAX_PIXELS),
        keypoints=keypoints,
        notes=tuple(entry.texts("notes", MAX_VIDEO_NOTES, MAX_TEXT_CHARS, "notes")),
    )


def _check_motion_arrays(member: str, arrays: Arrays) -> None:
    for name in _REQUIRED_MOTION_ARRAYS:
        if name not in arrays:
            raise FieldError(member, f"lacks the array {name}")
    frames = arrays["root_translation"].shape[0] if arrays["root_translation"].ndim else 0
    if not 1 <= frames <= MAX_MOTION_FRAMES:
        raise FieldError(
            f"{member}: root_translation",
            f"declares {frames:,} frames; a motion has 1 to {MAX_MOTION_FRAMES:,}",
        )
    for name, array in arrays.items():
        if name not in _MOTION_SHAPES:
            raise FieldError(f"{member}: {name}", "is not an array a motion holds")
        expected = _MOTION_SHAPES[name]
        if not _fits(array.shape, expected, frames):
            shown = "×".join(str(s) for s in expected)
            raise FieldError(f"{member}: {name}", f"must have shape {shown}, not {array.shape}")
        if not np.all(np.isfinite(array)):
            raise FieldError(f"{member}: {name}", "holds NaN or infinite values")
    for name in ("plan", "variant", "move_names"):
        if name in arrays and (np.any(arrays[name] < 0) or np.any(arrays[name] % 1 != 0)):
            raise FieldError(f"{member}: {name}", "must hold whole numbers of 0 or more")
    if "move_names" in arrays and np.any(arrays["move_names"] > 255):
        raise FieldError(f"{member}: move_names", "must hold bytes (0 to 255)")


def _fits(shape: tuple[int, ...], expected: tuple[int | str, ...], frames: int) -> bool:
    """Whether ``shape`` matches ``expected``: T is the motion's frames, N at most MAX_BEATS."""
    if len(shape) != len(expected):
        return False
    for size, want in zip(shape, expected, strict=True):
        if want == "T" and size != frames:
            return False
        if want == "N" and size > MAX_BEATS:
            return False
        if want == "B" and size > MAX_MOVE_NAME_BYTES:
            return False
        if isinstance(want, int) and size != want:
            return False
    return True


def _read_tracks(root: Fields, motions: Mapping[str, MotionAsset]) -> list[Track]:
    tracks: list[Track] = []
    clip_ids: set[str] = set()
    entries = root.objects("tracks", MAX_TRACKS, "tracks")
    declared = sum(len(entry.items("clips", sys.maxsize, "clips", [])) for entry in entries)
    if declared > MAX_CLIPS:
        raise FieldError(
            "", f"this project declares {declared:,} clips; the limit is {MAX_CLIPS:,}"
        )
    for entry in entries:
        kind = TrackKind(entry.choice("kind", tuple(k.value for k in TrackKind)))
        clips = sorted(
            (_read_clip(c, motions) for c in entry.objects("clips", MAX_CLIPS, "clips", True)),
            key=lambda c: c.start,
        )
        for clip in clips:
            if clip.id in clip_ids:
                raise FieldError(f"{entry.path}.clips", f"repeat the clip id {clip.id!r}")
            clip_ids.add(clip.id)
        if clips and kind is TrackKind.AUDIO:
            raise FieldError(f"{entry.path}.clips", "must be empty on the audio track")
        for before, after in pairwise(clips):
            if after.start < before.end - TOUCH:
                raise FieldError(
                    f"{entry.path}.clips",
                    f"overlap: {before.name!r} ends at {before.end:g} s, after "
                    f"{after.name!r} starts at {after.start:g} s",
                )
        track_id = entry.text("id", 200)
        if any(t.id == track_id for t in tracks):
            raise FieldError(f"{entry.path}.id", f"repeats the track id {track_id!r}")
        ghost = entry.flag("ghost", False)
        if ghost and kind is not TrackKind.DANCER:
            raise FieldError(f"{entry.path}.ghost", "is only for dancer tracks")
        tracks.append(
            Track(
                id=track_id,
                name=entry.text("name", MAX_TEXT_CHARS),
                kind=kind,
                clips=tuple(clips),
                color=_color(entry),
                ghost=ghost,
            )
        )
    if sum(t.kind is TrackKind.AUDIO for t in tracks) != 1:
        raise FieldError("tracks", "must hold exactly one audio track")
    return tracks


def _color(entry: Fields) -> str:
    color = entry.text("color", 16, "#4fc3f7")
    digits = color[1:]
    if not (
        color.startswith("#")
        and len(digits) == 6
        and all(c in "0123456789abcdefABCDEF" for c in digits)
    ):
        raise FieldError(f"{entry.path}.color", f"must be a colour like #4fc3f7, not {color!r}")
    return color


def _read_clip(entry: Fields, motions: Mapping[str, MotionAsset]) -> Clip:
    motion_id = entry.text("motion_id", 200)
    if motion_id not in motions:
        raise FieldError(
            f"{entry.path}.motion_id", f"names a motion the project lacks ({motion_id!r})"
        )
    source_in = entry.number("source_in", 0.0, MAX_SECONDS)
    source_out = entry.number("source_out", 0.0, MAX_SECONDS)
    if source_out <= source_in:
        raise FieldError(
            f"{entry.path}.source_out", "must come after source_in (a clip is longer than zero)"
        )
    return Clip(
        id=entry.text("id", 200),
        motion_id=motion_id,
        name=entry.text("name", MAX_TEXT_CHARS),
        start=entry.number("start", 0.0, MAX_SECONDS),
        source_in=source_in,
        source_out=source_out,
        mirrored=entry.flag("mirrored", False),
        locked=entry.flag("locked", False),
    )


def _read_generation(root: Fields) -> GenerationParams:
    entry = root.optional_sub("generation")
    if entry is None:
        return GenerationParams()
    defaults = GenerationParams()
    return GenerationParams(
        **{
            name: entry.number(name, 0.0, 1.0, getattr(defaults, name)) for name in defaults.SLIDERS
        },
        style=entry.text("style", 200, defaults.style),
        prompt=entry.text("prompt", MAX_TEXT_CHARS, defaults.prompt),
        seed=entry.integer("seed", 0, MAX_SEED, defaults.seed),
    )


def _read_user_moves(
    root: Fields, motions: Mapping[str, MotionAsset]
) -> tuple[tuple[str, ...], dict[str, str]]:
    moves = tuple(root.texts("user_moves", MAX_MOTIONS, 200, "user moves"))
    for i, move in enumerate(moves):
        if move not in motions:
            raise FieldError(f"user_moves[{i}]", f"names a motion the project lacks ({move!r})")
    styles = root.text_map("user_move_styles", MAX_MOTIONS, 200, "move styles")
    for move in styles:
        if move not in moves:
            raise FieldError(f"user_move_styles.{move}", "names a motion that is not a user move")
    return moves, styles


def _read_style_tags(root: Fields, motions: Mapping[str, MotionAsset]) -> tuple[StyleTag, ...]:
    """The user's style tags, each kept to the rules of :mod:`app.model.style_tags`."""
    tags: dict[tuple[str, float, float], StyleTag] = {}
    for entry in root.objects("style_tags", MAX_STYLE_TAGS, "style tags", optional=True):
        motion_id = entry.text("motion_id", 200)
        if motion_id not in motions:
            raise FieldError(
                f"{entry.path}.motion_id", f"names a motion the project lacks ({motion_id!r})"
            )
        stretch = Stretch(
            motion_id,
            entry.number("source_in", 0.0, MAX_SECONDS),
            entry.number("source_out", 0.0, MAX_SECONDS),
            entry.text("name", MAX_TEXT_CHARS, ""),
        )
        try:
            style = clean_style_name(entry.text("style", MAX_TEXT_CHARS))
        except UserFacingError as error:
            raise FieldError(f"{entry.path}.style", f"is refused: {error}") from None
        try:
            check_stretch(stretch, motions[motion_id])
        except UserFacingError as error:
            raise FieldError(entry.path, f"is refused: {error}") from None
        if stretch.key in tags:
            raise FieldError(entry.path, "tags a stretch an earlier tag tags already")
        tags[stretch.key] = StyleTag(style, *stretch)
    return tuple(tags.values())
