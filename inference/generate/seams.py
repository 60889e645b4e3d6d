"""Seam features of units: how a unit starts and ends, for the planner's transition cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

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
_FLIP = np.array([-1.0, 1.0, 1.0])
# Keyed by the library object itself, held weakly: a library that is gone takes its features
# with it, and a new library can never be handed another's features.
_CACHE: WeakKeyDictionary[MoveLibrary, SeamFeatures] = WeakKeyDictionary()


def _side(rel: Array, heading: Array, at: NDArray[np.int64], other: NDArray[np.int64],
          sign: float, mean: Array, mirrored: NDArray[np.bool_]) -> Array:  # fmt: skip
    """Features (U, F) of one end of units: pose at ``at``, velocity towards it, turn."""
    pose, vel = rel[at], (rel[at] - rel[other]) * sign
    turn = np.angle(np.exp(1j * (heading[at] - mean)))
    pose = np.where(mirrored[:, None, None], pose[:, _MIRROR_KEYS] * _FLIP, pose)
    vel = np.where(mirrored[:, None, None], vel[:, _MIRROR_KEYS] * _FLIP, vel)
    turn = np.where(mirrored, -turn, turn)
    vel = vel * (SAMPLES_PER_BEAT / 2.0) * VELOCITY_WEIGHT
    n = at.size
    return np.concatenate(
        [pose.reshape(n, -1), vel.reshape(n, -1), 0.3 * np.stack([np.sin(turn), np.cos(turn)], -1)],
        axis=1,
    )


def seam_features(library: MoveLibrary) -> SeamFeatures:
    """Seam features of every unit of ``library`` (computed once per library object).

    Features: key-joint pose at the seam, its velocity per beat (weighted), and the heading
    relative to the unit's mean facing (the frame the unit is placed in).
    """
    cached = _CACHE.get(library)
    if cached is not None:
        return cached
    n_units = len(library.units)
    width = 2 * 3 * len(KEY_JOINTS) + 2
    start, end = np.zeros((n_units, width)), np.zeros((n_units, width))
    clip_of = np.array([u.clip for u in library.units], dtype=np.int64)
    beat = np.array([u.beat for u in library.units], dtype=np.int64)
    counts = np.array([u.n_beats for u in library.units], dtype=np.int64)
    mirrored = np.array([u.mirrored for u in library.units], dtype=bool)
    for ci, clip in enumerate(library.clips):
        members = np.flatnonzero(clip_of == ci)
        if members.size == 0:
            continue
        rel, heading = _sample_features(clip.root, clip.rotations)
        sums = np.concatenate(
            [[[0.0, 0.0]], np.cumsum(np.stack([np.sin(heading), np.cos(heading)], -1), 0)]
        )
        a = beat[members] * SAMPLES_PER_BEAT
        b = a + counts[members] * SAMPLES_PER_BEAT
        s, c = (sums[b + 1] - sums[a]).T
        mean = np.arctan2(s, c)
        m = mirrored[members]
        start[members] = _side(rel, heading, a, a + 2, -1.0, mean, m)
        end[members] = _side(rel, heading, b, b - 2, 1.0, mean, m)
    features = SeamFeatures(start, end)
    _CACHE[library] = features
    return features
