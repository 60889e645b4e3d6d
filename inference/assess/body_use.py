"""Body-use statistics: how much of the body a dance uses, on the canonical skeleton.

These are the figures BAS cannot see (DESIGN.md, "Realism"): a routine that hits every beat can
still stand with straight legs and barely change its pose. Each is computed from canonical joint
positions (T, J, 3) in metres, Y up, at the motion's frame rate:

* ``knee_p90``: the 90th percentile, over frames and both knees, of knee flexion (180 degrees
  minus the hip-knee-ankle angle; 0 is a straight leg).
* ``pose_spread``: the mean over joints of the standard deviation over time of each joint's
  position relative to the pelvis (the std of x, y and z, averaged).
* ``wrists_up``: the share of frames in which either wrist is above its shoulder.
* ``travel``: mean horizontal speed of the pelvis, m/s.
* ``speed``: mean joint speed, m/s (over joints and frames).
* ``leg_speed`` / ``arm_speed``: mean speed of knees, ankles and toes / elbows and wrists,
  relative to the pelvis, m/s.

Speeds depend on the frame rate (noise adds more at higher rates): compare figures at the same
rate. The studio measures everything at 30 fps, as the importers resample to it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.assess.motion_metrics import joint_positions
from inference.motion.motion import Motion
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

_J = CANONICAL.index
_PELVIS = _J("pelvis")
_LEGS = [_J(f"{b}_{s}") for b in ("knee", "ankle", "toe") for s in "lr"]
_ARMS = [_J(f"{b}_{s}") for b in ("elbow", "wrist") for s in "lr"]


@dataclass(frozen=True)
class BodyUse:
    """Body-use statistics of one dance (see the module notes for each definition)."""

    knee_p90: float
    pose_spread: float
    wrists_up: float
    travel: float
    speed: float
    leg_speed: float
    arm_speed: float

    def as_dict(self) -> dict[str, float]:
        """The figures by name."""
        return asdict(self)


FIELDS: tuple[str, ...] = tuple(BodyUse.__dataclass_fields__)


def knee_flexion(positions: Array) -> Array:
    """(T, 2) knee flexion in degrees for the (left, right) leg."""
    out = []
    for s in "lr":
        thigh = positions[:, _J(f"hip_{s}")] - positions[:, _J(f"knee_{s}")]
        shin = positions[:, _J(f"ankle_{s}")] - positions[:, _J(f"knee_{s}")]
        cos = np.sum(thigh * shin, axis=-1) / np.maximum(
            np.linalg.norm(thigh, axis=-1) * np.linalg.norm(shin, axis=-1), 1e-9
        )
        out.append(180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
    return np.stack(out, axis=-1)


def _mean_speed(positions: Array, fps: float) -> float:
    return float(np.linalg.norm(np.diff(positions, axis=0), axis=-1).mean() * fps)


def body_use(motion_or_positions: Motion | ArrayLike, fps: float | None = None) -> BodyUse:
    """Body-use statistics of a motion (or canonical positions at ``fps``).

    Raises
    ------
    ValueError
        For fewer than 2 frames, or positions without a frame rate.
    """
    if isinstance(motion_or_positions, Motion):
        fps = motion_or_positions.fps if fps is None else fps
    if fps is None or fps <= 0:
        raise ValueError("body_use needs the frame rate of the positions")
    pos = joint_positions(motion_or_positions, CANONICAL.n_joints)
    if pos.shape[0] < 2:
        raise ValueError("body_use needs at least 2 frames")
    rel = pos - pos[:, _PELVIS : _PELVIS + 1]
    spread = rel.std(axis=0).mean(axis=-1)  # (J,): mean over x, y, z; the pelvis (0) counts
    wrist_up = np.zeros(pos.shape[0], dtype=bool)
    for s in "lr":
        wrist_up |= pos[:, _J(f"wrist_{s}"), 1] > pos[:, _J(f"shoulder_{s}"), 1]
    pelvis_xz = pos[:, _PELVIS, [0, 2]]
    return BodyUse(
        knee_p90=float(np.percentile(knee_flexion(pos), 90)),
        pose_spread=float(spread.mean()),
        wrists_up=float(wrist_up.mean()),
        travel=float(np.linalg.norm(np.diff(pelvis_xz, axis=0), axis=-1).mean() * fps),
        speed=_mean_speed(pos, fps),
        leg_speed=_mean_speed(rel[:, _LEGS], fps),
        arm_speed=_mean_speed(rel[:, _ARMS], fps),
    )
