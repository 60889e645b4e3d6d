"""Importers for position-only sources: Tang et al. 2018 ``skeletons.json`` and MediaPipe.

Tang 2018 joint layout (23 points, found by measuring the data: which pairs keep a constant
distance, which way knees bend and toes point; the repo's FAQ only says "21 body points plus 2
hand-direction points"):

====  ==========================  ====  ==========================
 0    back of head                 12   left shoulder
 1    front of head                13   left elbow
 2    pelvis (waist centre)        14   left forearm marker (unused)
 3    right shoulder               15   left wrist
 4    right elbow                  16   left hip
 5    right forearm marker         17   left knee
 6    right wrist                  18   left ankle
 7    right hip                    19   left heel (unused)
 8    right knee                   20   left toe
 9    right ankle                  21   left hand direction (unused)
10    right heel (unused)          22   right hand direction (unused)
11    right toe
====  ==========================  ====  ==========================

``skeletons`` are relative to ``center`` (their y runs from about -90 to +75 cm while ``center``
sits near hip height), so world positions are ``skeletons + center[:, None]``. Units are cm.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.errors import BadFileError
from inference.motion.feet import follow_floor
from inference.motion.limits import MAX_JSON_BYTES, check_file_size, check_frames, check_positions
from inference.motion.motion import CANONICAL_FPS, Motion
from inference.motion.resample import resample
from inference.motion.retarget import BoneLengths, motion_from_positions

Array = NDArray[np.float64]

TANG_FPS = 25.0
TANG_JOINTS: dict[str, int | tuple[int, int]] = {
    "pelvis": 2,
    "neck": (3, 12),
    "head": (0, 1),
    "shoulder_r": 3,
    "elbow_r": 4,
    "wrist_r": 6,
    "shoulder_l": 12,
    "elbow_l": 13,
    "wrist_l": 15,
    "hip_r": 7,
    "knee_r": 8,
    "ankle_r": 9,
    "toe_r": 11,
    "hip_l": 16,
    "knee_l": 17,
    "ankle_l": 18,
    "toe_l": 20,
}
"""Canonical joint -> Tang index (a pair means their midpoint)."""


def _pick(points: Array, spec: int | tuple[int, int]) -> Array:
    if isinstance(spec, tuple):
        return 0.5 * (points[:, spec[0]] + points[:, spec[1]])
    return points[:, spec]


def tang_to_targets(skeletons: ArrayLike, center: ArrayLike) -> dict[str, Array]:
    """Canonical joint positions in metres from Tang ``skeletons`` (T,23,3) and ``center``."""
    s = np.asarray(skeletons, dtype=np.float64)
    c = np.asarray(center, dtype=np.float64)
    world = (s + c[:, None, :]) * 0.01
    return {name: _pick(world, spec) for name, spec in TANG_JOINTS.items()}


def read_json(path: Path) -> Any:
    """Load a JSON file (at most :data:`MAX_JSON_BYTES`), every failure a :class:`BadFileError`."""
    check_file_size(path, MAX_JSON_BYTES)
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as err:
        raise BadFileError(path, f"cannot read the file ({err.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise BadFileError(path, f"not valid JSON ({err})") from None
    except RecursionError:
        raise BadFileError(path, "not valid JSON (nested too deeply)") from None


def tang_from_dict(
    doc: Any,
    path: str | Path = "<skeletons.json>",
    bone_lengths: BoneLengths = "source",
    fps: float = CANONICAL_FPS,
    max_frames: int | None = None,
) -> Motion:
    """Build a canonical Motion from a parsed Tang ``skeletons.json`` document."""
    if not isinstance(doc, dict) or "skeletons" not in doc or "center" not in doc:
        raise BadFileError(path, "not a Tang skeletons.json: keys 'skeletons' and 'center' needed")
    try:
        skeletons, center = doc["skeletons"][:max_frames], doc["center"][:max_frames]
        check_frames(path, len(skeletons), len(TANG_JOINTS), TANG_FPS)
        s = np.asarray(skeletons, dtype=np.float64)
        c = np.asarray(center, dtype=np.float64)
    except (TypeError, ValueError):
        raise BadFileError(path, "'skeletons' and 'center' must be arrays of numbers") from None
    if s.ndim != 3 or s.shape[1:] != (23, 3) or c.shape != (s.shape[0], 3) or s.shape[0] < 2:
        raise BadFileError(
            path,
            f"expected skeletons (T, 23, 3) and center (T, 3) with T >= 2, got {s.shape} "
            f"and {c.shape}",
        )
    with np.errstate(over="ignore", invalid="ignore"):  # check_positions names the overflow
        targets = tang_to_targets(s, c)
    check_positions(path, np.stack(list(targets.values())))
    motion = motion_from_positions(targets, TANG_FPS, bone_lengths)
    # Tang's capture drifts up and down by tens of centimetres: follow the floor it implies.
    return resample(follow_floor(motion), fps)


def load_tang(
    path: str | Path,
    bone_lengths: BoneLengths = "source",
    fps: float = CANONICAL_FPS,
    max_frames: int | None = None,
) -> Motion:
    """Read a Tang 2018 ``skeletons.json`` (25 fps, cm, Y up) as a canonical Motion.

    Parameters
    ----------
    max_frames
        Read only the first ``max_frames`` source frames (for previews and fast tests).
    """
    path = Path(path)
    return tang_from_dict(read_json(path), path, bone_lengths, fps, max_frames)


# MediaPipe Pose landmark indices (33-point BlazePose topology).
_MP = {
    "nose": 0,
    "ear_l": 7,
    "ear_r": 8,
    "shoulder_l": 11,
    "shoulder_r": 12,
    "elbow_l": 13,
    "elbow_r": 14,
    "wrist_l": 15,
    "wrist_r": 16,
    "pinky_l": 17,
    "pinky_r": 18,
    "index_l": 19,
    "index_r": 20,
    "hip_l": 23,
    "hip_r": 24,
    "knee_l": 25,
    "knee_r": 26,
    "ankle_l": 27,
    "ankle_r": 28,
    "foot_l": 31,
    "foot_r": 32,
}


def landmarks_to_targets(world_landmarks: ArrayLike) -> dict[str, Array]:
    """Canonical joint positions from MediaPipe world landmarks (T, 33, 3).

    MediaPipe's world frame is x to the image right, y down, z away from the camera, origin
    between the hips. A half turn about X (y -> -y, z -> -z) makes it Y up and right-handed,
    with a person facing the camera facing +Z; their left (MediaPipe's "left") lands on +X,
    as in the canonical frame.
    """
    lm = np.asarray(world_landmarks, dtype=np.float64)
    if lm.ndim != 3 or lm.shape[1:] != (33, 3):
        raise ValueError(f"world landmarks must have shape (T, 33, 3), got {lm.shape}")
    if not np.all(np.isfinite(lm)):
        raise ValueError("world landmarks hold NaN or infinite values")
    w = lm * np.array([1.0, -1.0, -1.0])

    def g(name: str) -> Array:
        return np.asarray(w[:, _MP[name]], dtype=np.float64)

    t: dict[str, Array] = {}
    for side in ("l", "r"):
        for joint in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle"):
            t[f"{joint}_{side}"] = g(f"{joint}_{side}")
        t[f"toe_{side}"] = g(f"foot_{side}")
        t[f"hand_{side}"] = 0.5 * (g(f"index_{side}") + g(f"pinky_{side}"))
    t["pelvis"] = 0.5 * (t["hip_l"] + t["hip_r"])
    t["neck"] = 0.5 * (t["shoulder_l"] + t["shoulder_r"])
    t["head"] = 0.5 * (g("ear_l") + g("ear_r"))
    return t


def motion_from_landmarks(
    world_landmarks: ArrayLike,
    fps: float,
    bone_lengths: BoneLengths = "source",
    out_fps: float = CANONICAL_FPS,
) -> Motion:
    """A canonical Motion from MediaPipe Pose world landmarks.

    Parameters
    ----------
    world_landmarks
        (T, 33, 3) ``pose_world_landmarks`` in metres (MediaPipe frame: y down, hip origin).
    fps
        Frame rate of the video the landmarks came from.

    Notes
    -----
    MediaPipe's world landmarks are centred on the hips in every frame, so the result has no
    travel; it is grounded (lowest foot joint on the floor, per frame) so it stands on y = 0.
    """
    from inference.motion.feet import ground_per_frame

    targets = landmarks_to_targets(world_landmarks)
    motion = motion_from_positions(targets, fps, bone_lengths)
    return resample(ground_per_frame(motion), out_fps)
