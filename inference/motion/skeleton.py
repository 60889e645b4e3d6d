"""The canonical body skeleton every motion in the studio is retargeted onto.

Coordinate frame: Y up, metres, the floor is ``y = 0``. In the rest pose the body faces +Z and
its left side is +X (so ``left = up x forward``), the same frame as SMPL and Blender's BVH
importer with its default axes.

Rest pose: a **T-pose**. Arms straight out along ±X, palms down, legs straight down, feet
pointing +Z. Bone offsets are those of a 1.70 m adult (head top at 1.70 m, pelvis at 0.94 m,
arm span 1.60 m)::

    joint        parent       offset from parent (m)   world position in rest (m)
    pelvis       -            (0, 0, 0)                (0, 0.94, 0)   (root translation)
    spine        pelvis       (0, 0.10, 0)             (0, 1.04, 0)
    chest        spine        (0, 0.15, 0)             (0, 1.19, 0)
    neck         chest        (0, 0.22, 0)             (0, 1.41, 0)
    head         neck         (0, 0.10, 0)             (0, 1.51, 0)   end site +0.19 up
    collar_l     chest        (+0.03, 0.17, 0)         (0.03, 1.36, 0)
    shoulder_l   collar_l     (+0.15, 0.02, 0)         (0.18, 1.38, 0)
    elbow_l      shoulder_l   (+0.28, 0, 0)            (0.46, 1.38, 0)
    wrist_l      elbow_l      (+0.25, 0, 0)            (0.71, 1.38, 0)  end site +0.09 x
    hip_l        pelvis       (+0.09, -0.05, 0)        (0.09, 0.89, 0)
    knee_l       hip_l        (0, -0.41, 0)            (0.09, 0.48, 0)
    ankle_l      knee_l       (0, -0.41, 0)            (0.09, 0.07, 0)
    toe_l        ankle_l      (0, -0.05, 0.12)         (0.09, 0.02, 0.12)  end site +0.06 z

The right side mirrors the left with x negated. The issue text said "22 joints" but listed 21
(5 axial + 8 per side); we keep exactly the listed 21 and give the three leaf joints (head,
wrists, toes) End Sites instead of extra joints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

REST_PELVIS_HEIGHT = 0.94
"""Height of the pelvis above the floor in the canonical rest pose, in metres."""

_SIDED = ("collar", "shoulder", "elbow", "wrist", "hip", "knee", "ankle", "toe")


@dataclass(frozen=True, eq=False)
class Skeleton:
    """A joint hierarchy with rest offsets.

    Parameters
    ----------
    names
        Joint names, parents always listed before their children.
    parents
        Parent index per joint, ``-1`` for the root.
    offsets
        (J, 3) rest offset of each joint from its parent, in metres (root: zeros).
    end_offsets
        (J, 3) offset of an End Site after each leaf joint (zeros where there is none), used
        for drawing and BVH export.
    """

    names: tuple[str, ...]
    parents: tuple[int, ...]
    offsets: Array
    end_offsets: Array
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = len(self.names)
        if len(self.parents) != n:
            raise ValueError("names and parents differ in length")
        for j, p in enumerate(self.parents):
            if not (p == -1 and j == 0) and not (0 <= p < j):
                raise ValueError(f"joint {self.names[j]!r}: parent must precede it")
        for name in ("offsets", "end_offsets"):
            arr = np.array(getattr(self, name), dtype=np.float64)
            if arr.shape != (n, 3):
                raise ValueError(f"{name} must have shape ({n}, 3)")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "_index", {name: j for j, name in enumerate(self.names)})

    @property
    def n_joints(self) -> int:
        """Number of joints."""
        return len(self.names)

    def index(self, name: str) -> int:
        """Index of the joint called ``name`` (``KeyError`` if there is none)."""
        return self._index[name]

    def children(self, j: int) -> list[int]:
        """Indices of the joints whose parent is ``j``."""
        return [c for c, p in enumerate(self.parents) if p == j]

    def mirror_indices(self) -> NDArray[np.int64]:
        """For each joint, the index of its left/right counterpart (itself when central)."""
        out = np.arange(self.n_joints)
        for j, name in enumerate(self.names):
            if name.endswith("_l"):
                out[j] = self._index.get(name[:-2] + "_r", j)
            elif name.endswith("_r"):
                out[j] = self._index.get(name[:-2] + "_l", j)
        return out

    def bones(self) -> list[tuple[int, int]]:
        """(parent, child) index pairs, one per non-root joint."""
        return [(p, j) for j, p in enumerate(self.parents) if p >= 0]


def _build_canonical() -> Skeleton:
    axial = [
        ("pelvis", "", (0.0, 0.0, 0.0)),
        ("spine", "pelvis", (0.0, 0.10, 0.0)),
        ("chest", "spine", (0.0, 0.15, 0.0)),
        ("neck", "chest", (0.0, 0.22, 0.0)),
        ("head", "neck", (0.0, 0.10, 0.0)),
    ]
    left = [
        ("collar_l", "chest", (0.03, 0.17, 0.0)),
        ("shoulder_l", "collar_l", (0.15, 0.02, 0.0)),
        ("elbow_l", "shoulder_l", (0.28, 0.0, 0.0)),
        ("wrist_l", "elbow_l", (0.25, 0.0, 0.0)),
    ]
    legs = [
        ("hip_l", "pelvis", (0.09, -0.05, 0.0)),
        ("knee_l", "hip_l", (0.0, -0.41, 0.0)),
        ("ankle_l", "knee_l", (0.0, -0.41, 0.0)),
        ("toe_l", "ankle_l", (0.0, -0.05, 0.12)),
    ]

    def right(
        rows: list[tuple[str, str, tuple[float, float, float]]],
    ) -> list[tuple[str, str, tuple[float, float, float]]]:
        return [
            (
                n[:-2] + "_r",
                p[:-2] + "_r" if p.endswith("_l") else p,
                (-o[0], o[1], o[2]),
            )
            for n, p, o in rows
        ]

    rows = axial + left + right(left) + legs + right(legs)
    names = tuple(r[0] for r in rows)
    index = {n: i for i, n in enumerate(names)}
    parents = tuple(index[r[1]] if r[1] else -1 for r in rows)
    offsets = np.array([r[2] for r in rows], dtype=np.float64)
    ends = np.zeros_like(offsets)
    ends[index["head"]] = (0.0, 0.19, 0.0)
    ends[index["wrist_l"]] = (0.09, 0.0, 0.0)
    ends[index["wrist_r"]] = (-0.09, 0.0, 0.0)
    ends[index["toe_l"]] = (0.0, 0.0, 0.06)
    ends[index["toe_r"]] = (0.0, 0.0, 0.06)
    return Skeleton(names, parents, offsets, ends)


CANONICAL = _build_canonical()
"""The one skeleton of the studio (21 joints, T-pose rest, Y up, metres)."""

JOINT_NAMES: tuple[str, ...] = CANONICAL.names
"""Canonical joint names in hierarchy order."""

FOOT_JOINTS = {
    "left": (CANONICAL.index("ankle_l"), CANONICAL.index("toe_l")),
    "right": (CANONICAL.index("ankle_r"), CANONICAL.index("toe_r")),
}
"""(ankle, toe) indices per foot."""

SIDED_BASES: tuple[str, ...] = _SIDED
"""Base names of the joints that exist once per side (``<base>_l`` and ``<base>_r``)."""
