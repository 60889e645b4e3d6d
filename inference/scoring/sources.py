"""What a REFERENCE or a TAKE can be, read into a :class:`BodyTrack`.

- a motion file (BVH, FBX, glTF, our JSON, Tang JSON, SMPL...):
  :func:`inference.motion.importing.read_motion`;
- a keypoint-track JSON (mediapipe33 or coco17): :mod:`inference.scoring.tracks`;
- a video: pose extraction (:mod:`inference.pose`), which also places its soundtrack on the
  song;
- already in memory: a :class:`~inference.motion.Motion` (the studio's routine) or a
  :class:`BodyTrack` (the webcam's live keypoints).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from inference.errors import BadFileError
from inference.jobs import Job, Progress, run_job
from inference.motion.importing import read_motion
from inference.motion.motion import Motion
from inference.motion.positions_import import read_json
from inference.pose import VIDEO_SUFFIXES, NoPersonError, video_pose_job
from inference.scoring.body import MIN_VISIBILITY, BodyTrack, track_from_motion
from inference.scoring.tracks import body_from_dict, body_from_keypoints, is_keypoint_track

Source = str | Path | Motion | BodyTrack

MIN_JOINTS_FOR_A_PERSON = 6
"""A frame shows a person when at least this many of the twelve joints were seen."""
MIN_PERSON_FRACTION = 0.05


@dataclass(frozen=True, eq=False)
class LoadedSource:
    """A source read: its track, its soundtrack's place on the song (or None), notes."""

    track: BodyTrack
    name: str
    audio_offset_s: float | None = None
    has_soundtrack: bool = False
    notes: tuple[str, ...] = ()


def person_frames(track: BodyTrack) -> np.ndarray:
    """(T,) frames in which a person was seen (:data:`MIN_JOINTS_FOR_A_PERSON`)."""
    seen = np.all(np.isfinite(track.points), axis=-1).sum(axis=1)
    return np.asarray(seen >= MIN_JOINTS_FOR_A_PERSON)


def check_person(track: BodyTrack, name: str) -> None:
    """Raise :class:`NoPersonError` when (almost) no frame shows a person."""
    if track.n_frames < 2:
        raise NoPersonError(f"{name}: it holds {track.n_frames} frame(s); nothing to score")
    share = float(np.mean(person_frames(track)))
    if share < MIN_PERSON_FRACTION:
        raise NoPersonError(
            f"{name}: no person in it (a body was seen in {share:.0%} of its "
            f"{track.n_frames} frames; keypoints are empty or below visibility "
            f"{MIN_VISIBILITY})"
        )


def _video_job(path: Path, song: Path | None) -> Job[LoadedSource]:
    """Pose from a video by the pose package's own job; its soundtrack placed on ``song``."""
    result = yield from video_pose_job(path, song)
    notes = tuple(f"{path.name}: {note}" for note in result.notes)
    track = body_from_keypoints(result.track, path.name, notes)
    has_audio = bool(result.info.has_audio)
    return LoadedSource(track, path.name, result.audio_offset, has_audio, notes)


def load_source_job(source: Source, song: Path | None = None) -> Job[LoadedSource]:
    """Read one REFERENCE or TAKE (module docstring); every failure is a UserFacingError.

    A job because a video takes a while (pose on every frame); a file or an in-memory
    source is read in one step.
    """
    yield Progress(0, f"Reading {getattr(source, 'name', None) or 'the input'}")
    if isinstance(source, BodyTrack):
        loaded = LoadedSource(source, source.source or "the take", notes=source.notes)
    elif isinstance(source, Motion):
        loaded = LoadedSource(track_from_motion(source, "the routine"), "the routine")
    else:
        path = Path(source)
        if not path.exists():
            raise BadFileError(path, "no such file")
        suffix = path.suffix.lower()
        if suffix in VIDEO_SUFFIXES:
            loaded = yield from _video_job(path, song)
        elif suffix == ".json":
            doc = read_json(path)
            if is_keypoint_track(doc):
                loaded = LoadedSource(body_from_dict(doc, path), path.name)
            else:  # a motion JSON: read_motion reads it again, by its own rules
                loaded = LoadedSource(track_from_motion(read_motion(path), path.name), path.name)
        else:
            loaded = LoadedSource(track_from_motion(read_motion(path), path.name), path.name)
    check_person(loaded.track, loaded.name)
    return loaded


def load_source(source: Source, song: Path | None = None) -> LoadedSource:
    """:func:`load_source_job` run to the end on the calling thread."""
    return run_job(load_source_job(source, song))
