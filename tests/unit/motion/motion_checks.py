"""Structural checks that an imported motion is a human body the right way up and round.

They are shared by the importer tests of every format. Each one can fail for a wrong importer:
swapped axes put the head below the pelvis or the knees above the hips, a mirrored source
bends its knees backwards, wrong units give a 0.02 m or 170 m dancer, a bad FK stretches bones.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from inference.motion.feet import ground
from inference.motion.motion import Motion
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]
_I = CANONICAL.index
_FEET = [_I("ankle_l"), _I("ankle_r"), _I("toe_l"), _I("toe_r")]


def horizontal_facing(m: Motion) -> Array:
    """(T, 3) unit forward on the floor from the hips: ``left x up`` (left = hip_l - hip_r)."""
    pos = m.positions()
    left = pos[:, _I("hip_l")] - pos[:, _I("hip_r")]
    fwd = np.cross(left, [0.0, 1.0, 0.0])
    return np.asarray(fwd / np.linalg.norm(fwd, axis=-1, keepdims=True))


def bone_drift(m: Motion) -> float:
    """Largest relative spread of any bone's length over the frames."""
    pos = m.positions()
    parents = list(CANONICAL.parents[1:])
    lengths = np.linalg.norm(pos[:, 1:] - pos[:, parents], axis=-1)
    return float(((lengths.max(0) - lengths.min(0)) / lengths.mean(0)).max())


def assert_plausible_body(
    m: Motion,
    min_upright: float = 0.8,
    height: tuple[float, float] = (1.3, 2.0),
    floor_tolerance: float = 0.005,
    toes: bool = True,
) -> None:
    """Feet on the floor, a human height, rigid bones, upright legs, knees and toes forward.

    ``min_upright`` is the share of frames in which pelvis > knee > ankle on both sides (floor
    work and breakdance spend time upside down, so it is lower for them). The feet are on the
    floor when :func:`~inference.motion.feet.ground` would move the body by at most
    ``floor_tolerance`` metres (importers that ground are exact; files whose heights are kept,
    like Mixamo's toe joints on y = 0, are 2 cm off the studio's toe clearance). ``toes``
    False skips the toes-forward check, meaningless with the legs in the air (a flair).
    """
    pos = m.positions()
    assert np.all(np.isfinite(pos))
    assert bone_drift(m) < 0.01
    shift = ground(m).root_translation[0, 1] - m.root_translation[0, 1]
    assert abs(shift) <= floor_tolerance, f"feet are {shift * 100:.1f} cm off the floor"
    low = pos[:, _FEET, 1].min(axis=1)
    tall = np.median(pos[:, _I("head"), 1] - low)
    assert height[0] < tall < height[1], f"implausible height {tall:.2f} m"
    upright = np.ones(m.n_frames, dtype=bool)
    for s in ("l", "r"):
        upright &= pos[:, 0, 1] > pos[:, _I(f"knee_{s}"), 1]
        upright &= pos[:, _I(f"knee_{s}"), 1] > pos[:, _I(f"ankle_{s}"), 1]
    assert upright.mean() >= min_upright, f"upright legs in only {upright.mean():.0%} of frames"
    fwd = horizontal_facing(m)
    toes_forward = []
    for s in ("l", "r"):
        hip, knee, ankle, toe = (pos[:, _I(f"{j}_{s}")] for j in ("hip", "knee", "ankle", "toe"))
        # Straight (street-jazz) legs read about 0; a back-to-front body bends 10 cm backwards.
        bend = np.mean(np.sum((knee - 0.5 * (hip + ankle)) * fwd, axis=1))
        assert bend > -0.02, "knees bend backwards"
        toes_forward.append(np.mean(np.sum((toe - ankle) * fwd, axis=1) > 0))
    # Both feet together: an arabesque points one foot backwards for half a modern-dance take
    # (more so once a flat-footed rig's feet are calibrated: CMU's point 17 degrees further).
    assert not toes or np.mean(toes_forward) > 0.65, "toes point back"
