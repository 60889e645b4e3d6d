"""The value types of a project: song, beat grid, parts, sections, clips, tracks, settings.

The beat grid, parts and sections are the music analysis's own immutable values
(:class:`inference.audio.BeatGrid`, :class:`~inference.audio.Part`,
:class:`~inference.audio.Section`), re-exported here so the document and the analysis speak one
language and results apply without conversion. A part's user-given name is not part of the
analysis value: the project keeps it in ``part_names``, keyed by the part's 1-based index.

Everything here is an immutable value. The :class:`~app.model.project.Project` replaces values
whole when they are edited, so an undo command only has to keep the old and the new value.
All times are in seconds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from inference.audio.grid import BeatGrid as BeatGrid
from inference.audio.grid import Part as Part
from inference.audio.sections import Section as Section

# The generator's controls: one value, shared by the document and the generator.
from inference.generate.params import GenerationParams as GenerationParams

FloatArray = npt.NDArray[np.float64]


def new_id() -> str:
    """A fresh, unique id for a track, clip or motion."""
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True, slots=True)
class Song:
    """The music of the project.

    ``path`` is where the audio lives on disk. With ``embedded`` the file is also stored inside
    the project file, so the project still opens when the original file has moved.
    """

    path: str
    title: str = ""
    duration: float = 0.0
    embedded: bool = False


@dataclass(frozen=True, slots=True)
class VideoSource:
    """The video a motion was made from, and the person's keypoints in it.

    The motion's time is the video's time (motion frame 0 is video time 0), so a clip of the
    motion shows the video at ``clip.source_in + (t - clip.start)``.

    Attributes
    ----------
    path
        The video file (absolute).
    fps, width, height
        The video's frame rate and upright picture size, pixels.
    keypoints
        (N, 33, 3) MediaPipe landmarks per video frame: x, y in pixels of the upright picture
        and visibility 0..1; a point that was not found is (0, 0, 0).
    notes
        What the import told the user (people followed, gaps, jitter filtered, the sync).
    """

    path: str
    fps: float
    width: int
    height: int
    keypoints: FloatArray = field(compare=False, repr=False)
    notes: tuple[str, ...] = ()

    @property
    def n_frames(self) -> int:
        return int(self.keypoints.shape[0])

    @property
    def duration(self) -> float:
        return self.n_frames / self.fps if self.fps > 0 else 0.0

    def frame_at(self, seconds: float) -> int:
        """The video frame shown at ``seconds`` of video time, clamped to the video."""
        frame = int(np.floor(seconds * self.fps + 1e-6))
        return min(max(frame, 0), self.n_frames - 1)


@dataclass(frozen=True, slots=True)
class MotionAsset:
    """Motion data shared by clips: named float arrays at ``fps`` frames per second.

    The arrays follow the canonical motion form of ``inference.motion`` (``root_translation``
    (T, 3) and ``local_rotations`` (T, J, 4)); the document only stores and copies them. A
    motion made from a video keeps that video in ``video``.
    """

    id: str
    name: str
    fps: float
    arrays: dict[str, FloatArray] = field(default_factory=dict, compare=False)
    video: VideoSource | None = field(default=None, compare=False)
    """The video this motion was extracted from, if any."""

    @property
    def frame_count(self) -> int:
        if not self.arrays:
            return 0
        return int(next(iter(self.arrays.values())).shape[0])

    @property
    def duration(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Clip:
    """A stretch of a motion placed on a dancer track.

    ``start`` is where the clip begins on the song's timeline; ``source_in`` and ``source_out``
    select the used part of the motion (a trim), both in seconds of the motion itself.
    """

    id: str
    motion_id: str
    name: str
    start: float
    source_in: float
    source_out: float
    mirrored: bool = False
    locked: bool = False

    def __post_init__(self) -> None:
        if self.source_out <= self.source_in:
            raise ValueError("a clip must be longer than zero")

    @property
    def duration(self) -> float:
        return self.source_out - self.source_in

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True, slots=True)
class StyleTag:
    """A stretch of a motion the user tagged as an example of one of their own styles.

    The stretch is the one the user saw when tagging (a clip's ``source_in`` to
    ``source_out``, or a whole move of the library), so it stays an example of the style when
    the clip is later moved, trimmed or deleted. ``name`` is what the stretch was called then.
    """

    style: str
    motion_id: str
    source_in: float
    source_out: float
    name: str

    def __post_init__(self) -> None:
        if self.source_out <= self.source_in:
            raise ValueError("a tagged stretch must be longer than zero")

    @property
    def key(self) -> tuple[str, float, float]:
        """What identifies the stretch: tagging it again changes its style."""
        return (self.motion_id, self.source_in, self.source_out)

    @property
    def duration(self) -> float:
        return self.source_out - self.source_in


class TrackKind(StrEnum):
    AUDIO = "audio"
    DANCER = "dancer"


@dataclass(frozen=True, slots=True)
class Track:
    """A timeline lane: the one audio track, or a dancer track holding clips ordered by start."""

    id: str
    name: str
    kind: TrackKind
    clips: tuple[Clip, ...] = ()
    color: str = "#4fc3f7"
    ghost: bool = False
    """A reference dancer: drawn translucent, for comparing against the others."""
