"""Simple joint limits: the largest rotation angle each joint may take away from its rest.

Angles are of the local rotation (relative to the T-pose rest), in degrees. They were set just
above what the real mocap in ``../shared/data`` reaches (CMU salsa and the Tang dances), so
real dancing never trips them but a broken pose (a knee bent backwards past 180) does.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from inference.motion import quaternions as Q
from inference.motion.motion import Motion
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

_BASE_LIMITS = {
    "pelvis": 180.0, "spine": 75.0, "chest": 70.0, "neck": 70.0, "head": 80.0,
    "collar": 50.0, "shoulder": 175.0, "elbow": 165.0, "wrist": 120.0,
    "hip": 150.0, "knee": 165.0, "ankle": 160.0, "toe": 90.0,
}  # fmt: skip

JOINT_LIMITS_DEG: Array = np.array(
    [_BASE_LIMITS[n.removesuffix("_l").removesuffix("_r")] for n in CANONICAL.names]
)
"""(J,) largest rotation angle per canonical joint, degrees."""


def joint_angles(motion: Motion) -> Array:
    """(T, J) rotation angle of each local rotation, degrees."""
    w = np.clip(np.abs(motion.local_rotations[..., 0]), 0.0, 1.0)
    return np.asarray(np.degrees(2.0 * np.arccos(w)), dtype=np.float64)


def limit_violations(motion: Motion, tolerance_deg: float = 0.5) -> int:
    """Number of frames in which any joint exceeds its limit (by more than the tolerance)."""
    over = joint_angles(motion) > JOINT_LIMITS_DEG + tolerance_deg
    return int(np.any(over, axis=1).sum())


def clamp_to_limits(motion: Motion) -> Motion:
    """Shrink every rotation past its joint's limit back onto it (same axis)."""
    angles = joint_angles(motion)
    over = angles > JOINT_LIMITS_DEG
    if not np.any(over):
        return motion
    scale = np.where(over, JOINT_LIMITS_DEG / np.maximum(angles, 1e-9), 1.0)
    rots = Q.from_axis_angle(Q.to_axis_angle(motion.local_rotations) * scale[..., None])
    return motion.with_(local_rotations=rots)
