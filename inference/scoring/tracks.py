"""Keypoint tracks on disk: the video issue's JSON, and AIST++'s multi-view 2D keypoints.

The JSON (what ``eightcount pose`` writes)::

    {"fps": F, "width": W, "height": H, "layout": "mediapipe33" | "coco17",
     "keypoints": [[[x_px, y_px, visibility] x K] per frame],
     "world": [[[x, y, z] metres x 33] per frame]}          # optional, mediapipe33 only

A frame with no person may be an empty list or hold zero-visibility points. ``"notes"``, when
present, is a list of strings the extractor wants the user to see (several people...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from inference.errors import BadFileError
from inference.motion.positions_import import read_json
from inference.motion.smpl import safe_load_pickle
from inference.scoring.body import LAYOUT_SIZES, BodyTrack, track_from_keypoints

AISTPP_FPS = 60.0


def is_keypoint_track(doc: Any) -> bool:
    """Whether a parsed JSON document looks like a keypoint track (not a motion)."""
    return isinstance(doc, dict) and "keypoints" in doc and "layout" in doc


def _frames(doc: dict[str, Any], path: Path, k: int) -> np.ndarray:
    frames = doc["keypoints"]
    if not isinstance(frames, list) or not frames:
        raise BadFileError(path, "'keypoints' must be a non-empty list of frames")
    out = np.zeros((len(frames), k, 3))
    for i, frame in enumerate(frames):
        if frame in (None, []):
            continue  # no person in this frame: visibility stays 0
        try:
            a = np.asarray(frame, dtype=np.float64)
        except (TypeError, ValueError):
            raise BadFileError(path, f"'keypoints' frame {i} is not a list of numbers") from None
        if a.shape != (k, 3):
            raise BadFileError(
                path, f"'keypoints' frame {i} has shape {a.shape}, expected ({k}, 3)"
            )
        out[i] = a
    if not np.all(np.isfinite(out)):
        raise BadFileError(path, "'keypoints' hold NaN or infinite values")
    return out


def track_from_dict(doc: Any, path: str | Path = "<track.json>") -> BodyTrack:
    """A 2D :class:`BodyTrack` from a parsed keypoint-track document (module docstring)."""
    path = Path(path)
    if not is_keypoint_track(doc):
        raise BadFileError(path, "not a keypoint track: keys 'layout' and 'keypoints' needed")
    layout = doc["layout"]
    if layout not in LAYOUT_SIZES:
        raise BadFileError(
            path, f"unknown 'layout' {layout!r}: use {' or '.join(repr(k) for k in LAYOUT_SIZES)}"
        )
    fps = doc.get("fps")
    if not isinstance(fps, (int, float)) or not np.isfinite(fps) or not 1.0 <= fps <= 1000.0:
        raise BadFileError(path, f"'fps' must be a number between 1 and 1000, got {fps!r}")
    notes = doc.get("notes", [])
    notes = tuple(str(n) for n in notes) if isinstance(notes, list) else ()
    kp = _frames(doc, path, LAYOUT_SIZES[layout])
    return track_from_keypoints(kp, layout, float(fps), path.name, notes=notes)


def read_keypoint_track(path: str | Path) -> BodyTrack:
    """Read a keypoint-track JSON file as a 2D :class:`BodyTrack` (image keypoints).

    The optional world landmarks are not used: MediaPipe's depth from one camera is the
    least reliable coordinate, and the reference is compared in the image plane anyway.
    """
    path = Path(path)
    return track_from_dict(read_json(path), path)


def load_aistpp_views(path: str | Path) -> list[BodyTrack]:
    """The synchronised camera views of one AIST++ 2D-keypoints pickle (COCO 17, 60 fps)."""
    path = Path(path)
    doc = safe_load_pickle(path)
    kp = np.asarray(doc.get("keypoints2d") if isinstance(doc, dict) else None, dtype=np.float64)
    if kp.ndim != 4 or kp.shape[2:] != (17, 3):
        raise BadFileError(path, "expected 'keypoints2d' of shape (views, frames, 17, 3)")
    kp = np.nan_to_num(kp, nan=0.0)
    return [
        track_from_keypoints(kp[v], "coco17", AISTPP_FPS, f"{path.stem} view {v + 1}")
        for v in range(kp.shape[0])
    ]
