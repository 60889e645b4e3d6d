"""The keypoint track: a person's landmarks in every frame of a video, and its JSON file.

File format (``eightcount pose VIDEO --json OUT.json``)::

    {"fps": F, "width": W, "height": H, "layout": "mediapipe33",
     "keypoints": [[[x_px, y_px, visibility] x 33] per frame],
     "world": [[[x, y, z] metres x 33] per frame]}

Pixels are in the upright picture (rotation metadata applied), origin top left. ``world`` is
MediaPipe's metric frame: origin between the hips, x to the image right, y down, z away from
the camera. A frame with no person (a gap too long to interpolate) is written as zeros with
visibility 0, the convention of OpenPose and COCO for a missing keypoint, and read back as
missing; nothing is invented for it.

The reader also takes ``"layout": "coco17"`` (17 COCO keypoints as x, y, confidence: OpenPose,
MMPose, MoveNet, AIST++ 2D), with ``world`` absent or null.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.errors import BadFileError
from inference.files import write_text_atomic
from inference.motion.positions_import import read_json
from inference.pose.layouts import COCO17, COCO17_IN_MEDIAPIPE33, LAYOUT_POINTS, MEDIAPIPE33

Array = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _frozen(a: ArrayLike) -> Array:
    arr = np.array(a, dtype=np.float64)
    arr.setflags(write=False)
    return arr


def runs(flags: BoolArray) -> list[tuple[int, int]]:
    """(start, stop) frame ranges of each run of True values."""
    padded = np.concatenate([[False], np.asarray(flags, dtype=bool), [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


@dataclass(frozen=True, eq=False)
class KeypointTrack:
    """One person's keypoints over a video.

    Attributes
    ----------
    fps, width, height
        Frame rate and upright picture size of the video.
    layout
        ``"mediapipe33"`` or ``"coco17"``.
    keypoints
        (T, K, 3): x, y in pixels and visibility (confidence) in 0..1. NaN x, y where the point
        is missing (a marked gap, or a point the source tool did not find).
    world
        (T, 33, 3) metres (mediapipe33 only), NaN where missing; ``None`` when the source has
        no 3D points.
    interpolated
        (T,) frames filled in by interpolating across a short gap (never written to the file:
        it only reports what the extraction did).
    """

    fps: float
    width: int
    height: int
    layout: str
    keypoints: Array
    world: Array | None = None
    interpolated: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        if self.layout not in LAYOUT_POINTS:
            raise ValueError(f"unknown keypoint layout {self.layout!r}")
        k = LAYOUT_POINTS[self.layout]
        kp = _frozen(self.keypoints)
        if kp.ndim != 3 or kp.shape[1:] != (k, 3):
            raise ValueError(f"{self.layout} keypoints must have shape (T, {k}, 3), not {kp.shape}")
        object.__setattr__(self, "keypoints", kp)
        if self.world is not None:
            world = _frozen(self.world)
            if world.shape != kp.shape:
                raise ValueError(f"world must have the keypoints' shape {kp.shape}")
            object.__setattr__(self, "world", world)
        interp = np.zeros(kp.shape[0], dtype=bool)
        if len(self.interpolated):
            interp[:] = self.interpolated
        interp.setflags(write=False)
        object.__setattr__(self, "interpolated", interp)

    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return int(self.keypoints.shape[0])

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.n_frames / self.fps

    @property
    def present(self) -> BoolArray:
        """(T,) frames that hold a person (detected or interpolated)."""
        return np.asarray(np.any(np.isfinite(self.keypoints[..., 0]), axis=1))

    @property
    def person_fraction(self) -> float:
        """Share of frames that hold the person (short gaps bridged count as held)."""
        return float(np.mean(self.present)) if self.n_frames else 0.0

    def gaps(self) -> list[tuple[float, float]]:
        """(start, end) seconds of each marked gap: frames with no person, left empty."""
        return [(a / self.fps, b / self.fps) for a, b in runs(~self.present)]

    def to_mediapipe33(self) -> KeypointTrack:
        """This track in the 33-landmark layout (COCO's 17 points placed, the rest missing)."""
        if self.layout == MEDIAPIPE33:
            return self
        kp = np.full((self.n_frames, 33, 3), np.nan)
        kp[..., 2] = 0.0
        kp[:, list(COCO17_IN_MEDIAPIPE33)] = self.keypoints
        return KeypointTrack(self.fps, self.width, self.height, MEDIAPIPE33, kp)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (missing points as zeros with visibility 0)."""
        kp = np.where(np.isfinite(self.keypoints), self.keypoints, 0.0)
        kp[~np.isfinite(self.keypoints[..., 0]), 2] = 0.0
        doc: dict[str, Any] = {
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "layout": self.layout,
            "keypoints": np.round(kp, 3).tolist(),
        }
        if self.world is not None:
            doc["world"] = np.round(np.nan_to_num(self.world, nan=0.0), 5).tolist()
        return doc


def write_track(track: KeypointTrack, path: str | Path) -> Path:
    """Write ``track`` as JSON, atomically (a temporary file, then a rename)."""
    return write_text_atomic(path, json.dumps(track.to_dict(), separators=(",", ":")) + "\n")


def _array(doc: dict[str, Any], key: str, path: Path, shape_tail: tuple[int, int]) -> Array:
    try:
        arr = np.asarray(doc[key], dtype=np.float64)
    except (TypeError, ValueError):
        raise BadFileError(path, f"'{key}' must be an array of numbers per frame") from None
    if arr.ndim != 3 or arr.shape[1:] != shape_tail or arr.shape[0] == 0:
        raise BadFileError(
            path,
            f"'{key}' must hold frames of {shape_tail[0]} points of {shape_tail[1]} numbers "
            f"(shape (T, {shape_tail[0]}, {shape_tail[1]})), not shape {arr.shape}",
        )
    if not np.all(np.isfinite(arr)):
        raise BadFileError(path, f"'{key}' holds NaN or infinite values")
    return arr


def track_from_dict(doc: Any, path: str | Path = "<track.json>") -> KeypointTrack:
    """Validate a parsed keypoint-track document and build the track."""
    path = Path(path)
    if not isinstance(doc, dict) or "keypoints" not in doc:
        raise BadFileError(path, "not a keypoint track: no 'keypoints' key")
    layout = doc.get("layout", MEDIAPIPE33)
    if layout not in LAYOUT_POINTS:
        raise BadFileError(
            path, f"'layout' must be one of {', '.join(sorted(LAYOUT_POINTS))}, not {layout!r}"
        )
    fps, width, height = doc.get("fps"), doc.get("width"), doc.get("height")
    if not isinstance(fps, int | float) or isinstance(fps, bool) or not 0 < fps <= 1000:
        raise BadFileError(path, f"'fps' must be a number in 0..1000, not {fps!r}")
    for key, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 100_000:
            raise BadFileError(path, f"'{key}' must be a whole number of pixels, not {value!r}")
    k = LAYOUT_POINTS[layout]
    kp = _array(doc, "keypoints", path, (k, 3))
    # OpenPose, COCO and this file mark a missing point as (0, 0, 0).
    missing = np.all(kp == 0.0, axis=-1)
    kp[missing, :2] = np.nan
    world = None
    if doc.get("world") is not None:
        if layout != MEDIAPIPE33:
            raise BadFileError(path, "'world' is only read with the mediapipe33 layout")
        world = _array(doc, "world", path, (k, 3))
        if world.shape[0] != kp.shape[0]:
            raise BadFileError(
                path, f"'world' has {world.shape[0]} frames but 'keypoints' {kp.shape[0]}"
            )
        world[np.all(missing, axis=1)] = np.nan
    assert isinstance(width, int) and isinstance(height, int)
    return KeypointTrack(float(fps), width, height, layout, kp, world)


def read_track(path: str | Path) -> KeypointTrack:
    """Read a keypoint-track JSON file (mediapipe33 or coco17).

    Raises
    ------
    BadFileError
        Missing, unreadable, not JSON, or not a keypoint track (the message names the field).
    """
    path = Path(path)
    doc = read_json(path)  # every read failure as a BadFileError naming the file
    return track_from_dict(doc, path)


__all__ = ["COCO17", "MEDIAPIPE33", "KeypointTrack", "read_track", "track_from_dict", "write_track"]
