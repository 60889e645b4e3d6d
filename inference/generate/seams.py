"""Seam features of units: how a unit starts and ends, for the planner's transition cost."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from inference.generate.beat_time import SAMPLES_PER_BEAT
from inference.generate.library import MoveLibrary
from inference.motion import quaternions as Q
from inference.motion.motion import forward_kinematics_arrays
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

KEY_JOINTS = tuple(
    CANONICAL.index(n)
    for n in ("head", "chest", "elbow_l", "elbow_r", "wrist_l", "wrist_r", "knee_l", "knee_r",
              "ankle_l", "ankle_r")
)  # fmt: skip
ROW_CACHE = 4096
"""Cost rows kept per library before the cache is cleared (each is N floats)."""
VELOCITY_WEIGHT = 0.15
"""Weight of a per-beat velocity mismatch relative to a pose mismatch (metres)."""


@dataclass(frozen=True, eq=False)
class SeamFeatures:
    """(N, F) features of every unit's first (``start``) and last (``end``) sample."""

    start: Array
    end: Array
    _rows: dict[int, Array] = field(default_factory=dict, init=False, repr=False)

    def cost(self, previous: int, candidates: NDArray[np.int64]) -> Array:
        """Transition cost from unit ``previous`` to each of ``candidates`` (10 x mean sq. m)."""
        return self.row(previous)[candidates]

    def row(self, previous: int) -> Array:
        """Transition cost from unit ``previous`` to every unit (cached: the planner asks for
        the same previous unit from many hypotheses)."""
        row = self._rows.get(previous)
        if row is None:
            if len(self._rows) > ROW_CACHE:
                self._rows.clear()
            e = self.end[previous]
            sq = np.einsum("ij,ij->i", self.start, self.start)
            row = (10.0 / e.size) * (sq - 2.0 * (self.start @ e) + float(e @ e))
            self._rows[previous] = np.maximum(row, 0.0)
            row = self._rows[previous]
        return row


def _sample_features(root: Array, rots: Array) -> tuple[Array, Array]:
    """Per sample: key joints relative to the pelvis in its own heading frame (T, K, 3), heading."""
    pos = forward_kinematics_arrays(CANONICAL.parents, CANONICAL.offsets, root, rots)[0]
    heading = Q.yaw_of(rots[:, 0])
    rel = pos[:, KEY_JOINTS] - pos[:, :1] * np.array([1.0, 0.0, 1.0])
    return Q.rotate(Q.about_y(-heading)[:, None], rel), heading


_MIRROR_KEYS = [KEY_JOINTS.index(int(CANONICAL.mirror_indices()[j])) for j in KEY_JOINTS]
_CACHE: dict[int, SeamFeatures] = {}


def seam_features(library: MoveLibrary) -> SeamFeatures:
    """Seam features of every unit of ``library`` (computed once per library object).

    Features: key-joint pose at the seam, its velocity per beat (weighted), and the heading
    relative to the unit's mean facing (the frame the unit is placed in).
    """
    key = id(library)
    if key in _CACHE:
        return _CACHE[key]
    per_clip = [_sample_features(c.root, c.rotations) for c in library.clips]
    sums = [
        np.concatenate([[[0.0, 0.0]], np.cumsum(np.stack([np.sin(h), np.cos(h)], -1), 0)])
        for _, h in per_clip
    ]
    feats: dict[str, list[Array]] = {"start": [], "end": []}
    for u in library.units:
        rel, heading = per_clip[u.clip]
        a = u.beat * SAMPLES_PER_BEAT
        b = a + u.n_beats * SAMPLES_PER_BEAT
        s, c = sums[u.clip][b + 1] - sums[u.clip][a]
        mean = float(np.arctan2(s, c))
        for name, at, other in (("start", a, a + 2), ("end", b, b - 2)):
            pose, vel = rel[at], (rel[at] - rel[other]) * (1.0 if name == "end" else -1.0)
            turn = float(np.angle(np.exp(1j * (heading[at] - mean))))
            if u.mirrored:
                flip = np.array([-1.0, 1.0, 1.0])
                pose, vel, turn = pose[_MIRROR_KEYS] * flip, vel[_MIRROR_KEYS] * flip, -turn
            vel = vel * (SAMPLES_PER_BEAT / 2.0) * VELOCITY_WEIGHT
            feats[name].append(
                np.concatenate(
                    [pose.ravel(), vel.ravel(), [0.3 * np.sin(turn), 0.3 * np.cos(turn)]]
                )
            )
    _CACHE[key] = SeamFeatures(np.stack(feats["start"]), np.stack(feats["end"]))
    return _CACHE[key]
