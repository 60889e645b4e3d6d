"""Cross-fading two poses: the maths behind timeline transitions between adjacent clips.

A transition starts where the outgoing clip's material would continue and ends on the
incoming clip, so the shown pose is continuous at the cut. Weights follow a smoothstep, so the
blend also starts and ends with zero velocity of the weight: no visible kink at either end.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.motion import quaternions as Q

Array = NDArray[np.float64]

BLEND_FRAMES = 10
"""Length of a transition between two adjacent clips, in frames of the canonical 30 fps."""


def smoothstep(t: ArrayLike) -> Array:
    """``3t² − 2t³`` of ``t`` clipped to [0, 1]: 0 at 0, 1 at 1, flat at both ends."""
    x = np.clip(np.asarray(t, dtype=np.float64), 0.0, 1.0)
    return np.asarray(x * x * (3.0 - 2.0 * x))


def blend_pose(
    root_a: ArrayLike,
    rotations_a: ArrayLike,
    root_b: ArrayLike,
    rotations_b: ArrayLike,
    weight: float,
) -> tuple[Array, Array]:
    """The pose ``weight`` of the way from pose a to pose b.

    Parameters
    ----------
    root_a, root_b
        (3,) root translations, metres.
    rotations_a, rotations_b
        (J, 4) local joint rotations, unit quaternions (w, x, y, z).
    weight
        0 gives pose a exactly, 1 gives pose b exactly.

    Returns
    -------
    tuple of numpy.ndarray
        The (3,) root translation (linear) and the (J, 4) rotations (slerp per joint, along
        the shorter arc, so a quaternion sign flip between the clips never spins a joint).
    """
    w = float(np.clip(weight, 0.0, 1.0))
    a, b = np.asarray(root_a, dtype=np.float64), np.asarray(root_b, dtype=np.float64)
    root = (1.0 - w) * a + w * b
    rotations = Q.slerp(rotations_a, rotations_b, w)
    return root, rotations
