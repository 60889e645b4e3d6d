"""Keypoint tracks as body tracks: the pose package's keypoint-track JSON, and AIST++'s
multi-view 2D keypoints.

The JSON is read by :func:`inference.pose.read_track` (its format and checks are the video
issue's); here it only becomes a 2D :class:`BodyTrack`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from inference.errors import BadFileError
from inference.motion.smpl import safe_load_pickle
from inference.pose.layouts import COCO17
from inference.pose.track import KeypointTrack, read_track, track_from_dict
from inference.scoring.body import BodyTrack, track_from_keypoints

AISTPP_FPS = 60.0


def is_keypoint_track(doc: Any) -> bool:
    """Whether a parsed JSON document is a keypoint track rather than a motion."""
    return isinstance(doc, dict) and "keypoints" in doc


def body_from_keypoints(track: KeypointTrack, name: str, notes: tuple[str, ...] = ()) -> BodyTrack:
    """The twelve scoring joints of a keypoint track (missing points unseen)."""
    return track_from_keypoints(track.keypoints, track.layout, track.fps, name, notes=notes)


def body_from_dict(doc: Any, path: Path) -> BodyTrack:
    """A parsed keypoint-track document as a 2D body track."""
    return body_from_keypoints(track_from_dict(doc, path), path.name)


def read_keypoint_track(path: str | Path) -> BodyTrack:
    """Read a keypoint-track JSON file (mediapipe33 or coco17) as a 2D body track."""
    path = Path(path)
    return body_from_keypoints(read_track(path), path.name)


def load_aistpp_views(path: str | Path) -> list[BodyTrack]:
    """The synchronised camera views of one AIST++ 2D-keypoints pickle (COCO 17, 60 fps)."""
    path = Path(path)
    doc = safe_load_pickle(path)
    kp = np.asarray(doc.get("keypoints2d") if isinstance(doc, dict) else None, dtype=np.float64)
    if kp.ndim != 4 or kp.shape[2:] != (17, 3):
        raise BadFileError(path, "expected 'keypoints2d' of shape (views, frames, 17, 3)")
    kp = np.nan_to_num(kp, nan=0.0)
    return [
        track_from_keypoints(kp[v], COCO17, AISTPP_FPS, f"{path.stem} view {v + 1}")
        for v in range(kp.shape[0])
    ]
