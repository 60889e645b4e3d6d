"""Pose features that do not depend on body size or on where the dancer stands.

Per frame, :func:`pose_features` gives

- 14 joint angles (radians, all in 0..pi, so none wraps around): both elbows, the two angles of
  each shoulder (how high the arm is raised, and how far it comes forward/across), the two
  angles of each hip (leg raised, leg out to the side), both knees, torso lean and torso twist;
- the wrists and ankles relative to the body centre (mid-hips), divided by the torso length
  (mid-hips to mid-shoulders, a 2 s running median so a bow does not blow the scale up).

In 3D the positions are in the body's own frame (lateral, up, forward, turned by the hips'
heading), so which way the dancer faces does not matter; in 2D they are in the image frame
(x right, y up) and the angles are the angles the picture shows, which is what 2D keeps.
A feature is NaN where a joint it needs was not seen.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import median_filter

from inference.scoring.body import BodyTrack, J

Array = NDArray[np.float64]

ANGLE_NAMES = (
    "elbow_l",
    "elbow_r",
    "shoulder_raise_l",
    "shoulder_raise_r",
    "shoulder_forward_l",
    "shoulder_forward_r",
    "hip_raise_l",
    "hip_raise_r",
    "hip_out_l",
    "hip_out_r",
    "knee_l",
    "knee_r",
    "torso_lean",
    "torso_twist",
)
END_JOINTS = ("wrist_l", "wrist_r", "ankle_l", "ankle_r")

TORSO_SCALE_WINDOW_S = 2.0
UP3 = np.array([0.0, 1.0, 0.0])


def nanmean(x: Array, axis: int | None = None) -> Array:
    """``np.nanmean`` without the 'empty slice' warning: an unseen frame is NaN, by design."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.nanmean(x, axis=axis), dtype=np.float64)


def _angle(a: Array, b: Array) -> Array:
    """Angle between vectors along the last axis (NaN if either is missing or zero)."""
    na = np.linalg.norm(a, axis=-1)
    nb = np.linalg.norm(b, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(a * b, axis=-1) / (na * nb)
    cos = np.where((na > 1e-9) & (nb > 1e-9), cos, np.nan)
    return np.asarray(np.arccos(np.clip(cos, -1.0, 1.0)), dtype=np.float64)


def joint_angles(track: BodyTrack) -> Array:
    """(T, 14) angles in :data:`ANGLE_NAMES` order (see the module docstring)."""
    p = track.points

    def g(name: str) -> Array:
        return p[:, J[name]]

    mid_hip = 0.5 * (g("hip_l") + g("hip_r"))
    neck = 0.5 * (g("shoulder_l") + g("shoulder_r"))
    down = mid_hip - neck
    up = np.zeros_like(down)
    up[:, 1] = 1.0

    def vec(a: str, b: str) -> Array:
        return g(b) - g(a)

    pairs = (("l", "r"), ("r", "l"))
    cols: list[Array] = []
    cols += [
        _angle(vec(f"elbow_{s}", f"shoulder_{s}"), vec(f"elbow_{s}", f"wrist_{s}"))
        for s, _ in pairs
    ]
    cols += [_angle(down, vec(f"shoulder_{s}", f"elbow_{s}")) for s, _ in pairs]
    cols += [
        _angle(vec(f"shoulder_{o}", f"shoulder_{s}"), vec(f"shoulder_{s}", f"elbow_{s}"))
        for s, o in pairs
    ]
    cols += [_angle(down, vec(f"hip_{s}", f"knee_{s}")) for s, _ in pairs]
    cols += [_angle(vec(f"hip_{o}", f"hip_{s}"), vec(f"hip_{s}", f"knee_{s}")) for s, o in pairs]
    cols += [_angle(vec(f"knee_{s}", f"hip_{s}"), vec(f"knee_{s}", f"ankle_{s}")) for s, _ in pairs]
    cols.append(_angle(-down, up))
    cols.append(_angle(g("shoulder_l") - g("shoulder_r"), g("hip_l") - g("hip_r")))
    return np.stack(cols, axis=1)


def torso_length(track: BodyTrack) -> Array:
    """(T,) mid-hips to mid-shoulders, as a running median over :data:`TORSO_SCALE_WINDOW_S`."""
    p = track.points
    mid_hip = 0.5 * (p[:, J["hip_l"]] + p[:, J["hip_r"]])
    neck = 0.5 * (p[:, J["shoulder_l"]] + p[:, J["shoulder_r"]])
    length = np.linalg.norm(neck - mid_hip, axis=-1)
    seen = np.isfinite(length)
    if not np.any(seen):
        return np.asarray(length, dtype=np.float64)
    # Fill unseen frames from the nearest seen ones so the running median has no holes.
    idx = np.arange(len(length))
    filled = np.interp(idx, idx[seen], length[seen])
    size = max(1, round(TORSO_SCALE_WINDOW_S * track.fps) | 1)
    return np.asarray(median_filter(filled, size=size, mode="nearest"), dtype=np.float64)


def end_positions(track: BodyTrack) -> Array:
    """(T, 4, dims) wrists and ankles from the body centre, in torso lengths (body frame in 3D)."""
    p = track.points
    mid_hip = 0.5 * (p[:, J["hip_l"]] + p[:, J["hip_r"]])
    rel = p[:, [J[n] for n in END_JOINTS]] - mid_hip[:, None]
    rel = rel / torso_length(track)[:, None, None]
    if track.dims == 3:
        left = (p[:, J["hip_l"]] - p[:, J["hip_r"]]) + (
            p[:, J["shoulder_l"]] - p[:, J["shoulder_r"]]
        )
        left[:, 1] = 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            left = left / np.linalg.norm(left, axis=-1, keepdims=True)
        forward = np.cross(left, UP3)
        basis = np.stack([left, np.broadcast_to(UP3, left.shape), forward], axis=1)  # (T, 3, 3)
        rel = np.einsum("tjd,tkd->tjk", rel, basis)
    return rel


def pose_features(track: BodyTrack) -> tuple[Array, Array]:
    """``(angles (T, 14), positions (T, 4, dims))`` of a track; see the module docstring."""
    return joint_angles(track), end_positions(track)
