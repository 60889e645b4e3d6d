"""Synthetic canonical motions shared by the motion-core tests."""

from __future__ import annotations

import numpy as np

from inference.motion import quaternions as Q
from inference.motion.motion import Motion
from inference.motion.skeleton import CANONICAL, REST_PELVIS_HEIGHT


def random_motion(n_frames: int = 40, seed: int = 0, scale: float = 0.4) -> Motion:
    """A smooth-ish random canonical motion for maths tests."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(1, CANONICAL.n_joints, 3)) * scale
    drift = np.cumsum(rng.normal(size=(n_frames, CANONICAL.n_joints, 3)) * 0.02, axis=0)
    rots = Q.from_axis_angle(base + drift)
    root = np.zeros((n_frames, 3))
    root[:, 1] = REST_PELVIS_HEIGHT
    root[:, 0] = np.linspace(0.0, 0.5, n_frames)
    return Motion(CANONICAL, 30.0, root, rots)
