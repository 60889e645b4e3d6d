"""The body as scoring sees it: twelve limb joints over time, in 3D or in 2D, with visibility.

Every input (a motion file, a keypoint track, a video's pose) becomes a :class:`BodyTrack`, so
features, alignment and the embedding never care where a take came from.

Coordinates
-----------
- 3D (``dims == 3``): the canonical world frame, Y up, metres, left = +X when facing +Z.
- 2D (``dims == 2``): image pixels with **y flipped up** (``y = -pixel_y``), so "up" is +y in
  both cases and angles against the vertical read the same.

Joint order puts each left joint right before its right twin, so mirroring is a swap of
neighbours (:func:`mirror_track`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.motion.motion import Motion
from inference.pose.layouts import (
    COCO17,
    COCO17_NAMES,
    LAYOUT_POINTS,
    MEDIAPIPE33,
    MEDIAPIPE33_NAMES,
)

Array = NDArray[np.float64]

SCORING_JOINTS = (
    "shoulder_l",
    "shoulder_r",
    "elbow_l",
    "elbow_r",
    "wrist_l",
    "wrist_r",
    "hip_l",
    "hip_r",
    "knee_l",
    "knee_r",
    "ankle_l",
    "ankle_r",
)
"""The joints every source provides (canonical skeleton, MediaPipe 33, COCO 17)."""

J = {name: i for i, name in enumerate(SCORING_JOINTS)}
MIRROR_ORDER = tuple(i + 1 if i % 2 == 0 else i - 1 for i in range(len(SCORING_JOINTS)))


def _layout_indices(names: tuple[str, ...]) -> tuple[int, ...]:
    """Where each scoring joint sits in a layout ("left" is the person's left in both)."""
    sides = {"l": "left", "r": "right"}
    return tuple(names.index(f"{sides[j[-1]]}_{j[:-2]}") for j in SCORING_JOINTS)


LAYOUT_INDICES: dict[str, tuple[int, ...]] = {
    MEDIAPIPE33: _layout_indices(MEDIAPIPE33_NAMES),
    COCO17: _layout_indices(COCO17_NAMES),
}

MIN_VISIBILITY = 0.3
"""A keypoint below this visibility (MediaPipe) or confidence (COCO tools) counts as unseen."""


@dataclass(frozen=True, eq=False)
class BodyTrack:
    """Twelve joints over time.

    Attributes
    ----------
    points
        (T, 12, dims) joint positions in :data:`SCORING_JOINTS` order (see the module
        docstring for the frames); NaN where a joint was not seen.
    fps
        Frames per second.
    source
        What it was read from, for messages (a file name).
    notes
        Things the user should be told about how it was read (several people, gaps...).
    """

    points: Array
    fps: float
    source: str = ""
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        p = np.array(self.points, dtype=np.float64)
        if p.ndim != 3 or p.shape[1] != len(SCORING_JOINTS) or p.shape[2] not in (2, 3):
            raise ValueError(f"points must have shape (T, 12, 2 or 3), got {p.shape}")
        if not (np.isfinite(self.fps) and self.fps > 0):
            raise ValueError("fps must be a positive number")
        p.setflags(write=False)
        object.__setattr__(self, "points", p)

    @property
    def dims(self) -> int:
        """2 for image keypoints, 3 for world positions."""
        return int(self.points.shape[2])

    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return int(self.points.shape[0])

    @property
    def duration(self) -> float:
        """Seconds covered (frame count over fps)."""
        return self.n_frames / self.fps

    def visible_fraction(self) -> float:
        """Share of frames in which every joint was seen."""
        if self.n_frames == 0:
            return 0.0
        return float(np.mean(np.all(np.isfinite(self.points), axis=(1, 2))))


def track_from_motion(motion: Motion, source: str = "") -> BodyTrack:
    """The twelve joints of a canonical motion, in 3D world coordinates."""
    names = motion.skeleton.names
    idx = [names.index(n) for n in SCORING_JOINTS]
    return BodyTrack(motion.positions()[:, idx], motion.fps, source)


def track_from_keypoints(
    keypoints: ArrayLike,
    layout: str,
    fps: float,
    source: str = "",
    min_visibility: float = MIN_VISIBILITY,
    notes: tuple[str, ...] = (),
) -> BodyTrack:
    """A 2D track from image keypoints ``(T, K, 3)`` = (x_px, y_px, visibility) per joint.

    Keypoints below ``min_visibility`` become NaN; y is flipped up (module docstring).
    """
    kp = np.asarray(keypoints, dtype=np.float64)
    if layout not in LAYOUT_INDICES:
        raise ValueError(f"unknown keypoint layout {layout!r} (use {', '.join(LAYOUT_INDICES)})")
    if kp.ndim != 3 or kp.shape[1] != LAYOUT_POINTS[layout] or kp.shape[2] < 2:
        raise ValueError(
            f"{layout} keypoints must have shape (T, {LAYOUT_POINTS[layout]}, 3), got {kp.shape}"
        )
    picked = kp[:, list(LAYOUT_INDICES[layout])]
    xy = picked[..., :2] * np.array([1.0, -1.0])
    if kp.shape[2] >= 3:
        unseen = ~(picked[..., 2] >= min_visibility)
        xy = np.where(unseen[..., None], np.nan, xy)
    return BodyTrack(xy, fps, source, notes)


def mirror_track(track: BodyTrack) -> BodyTrack:
    """Left and right swapped and the lateral axis reflected: what a mirror shows.

    In 3D the reflection is x -> -x (the canonical sagittal plane, as
    :func:`inference.motion.mirror`); in 2D it is the image's x.
    """
    flip = np.ones(track.dims)
    flip[0] = -1.0
    return replace(track, points=track.points[:, list(MIRROR_ORDER)] * flip)


def resample_track(track: BodyTrack, fps: float) -> BodyTrack:
    """Linear resampling to ``fps``; a sample next to an unseen joint stays unseen."""
    if abs(track.fps - fps) < 1e-9 or track.n_frames < 2:
        return replace(track, fps=fps) if track.n_frames < 2 else track
    n_out = max(1, int(np.floor(track.duration * fps + 1e-9)))
    f = np.arange(n_out) * (track.fps / fps)
    f = np.clip(f, 0.0, track.n_frames - 1)
    i0 = np.floor(f).astype(np.int64)
    i1 = np.minimum(i0 + 1, track.n_frames - 1)
    w = (f - i0)[:, None, None]
    p = track.points
    # NaN at either neighbour propagates, except exactly on a frame (w == 0).
    out = np.where(w == 0.0, p[i0], p[i0] * (1.0 - w) + p[i1] * w)
    return replace(track, points=out, fps=fps)


def trim_track(track: BodyTrack, start: int, stop: int) -> BodyTrack:
    """Frames ``start:stop``."""
    return replace(track, points=track.points[max(0, start) : max(0, stop)])
