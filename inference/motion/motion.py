"""The canonical motion value and forward kinematics.

A :class:`Motion` is root translation plus local joint rotations on the canonical skeleton at a
fixed frame rate. Local rotations are relative to the T-pose rest (identity = rest pose), which
is exactly what a BVH file stores, so export and import need no rest-pose fix-up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.motion import quaternions as Q
from inference.motion.skeleton import CANONICAL, Skeleton

Array = NDArray[np.float64]

CANONICAL_FPS = 30.0
"""Every motion the studio keeps is at this frame rate."""


def _frozen(a: ArrayLike, shape_tail: tuple[int, ...], what: str) -> Array:
    arr = np.array(a, dtype=np.float64)
    if arr.ndim != 1 + len(shape_tail) or arr.shape[1:] != shape_tail:
        raise ValueError(f"{what} must have shape (T, {', '.join(map(str, shape_tail))})")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} holds NaN or infinite values")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Motion:
    """A motion on a skeleton: the value every importer returns and every exporter takes.

    Parameters
    ----------
    skeleton
        The joint hierarchy, normally :data:`~inference.motion.skeleton.CANONICAL`.
    fps
        Frames per second (the studio keeps 30).
    root_translation
        (T, 3) world position of the root joint (pelvis), metres.
    local_rotations
        (T, J, 4) unit quaternions (w, x, y, z), each joint relative to its parent and to the
        rest pose. Joint 0's rotation is the root's global orientation.
    offsets
        Optional (J, 3) per-motion bone offsets (same directions as the rest pose, the source's
        own bone lengths). ``None`` means the skeleton's rest offsets.

    Notes
    -----
    Arrays are copied and made read-only, so a Motion can be shared between threads; every
    operation returns a new Motion.
    """

    skeleton: Skeleton
    fps: float
    root_translation: Array
    local_rotations: Array
    offsets: Array | None = None

    def __post_init__(self) -> None:
        if not (np.isfinite(self.fps) and self.fps > 0):
            raise ValueError("fps must be a positive number")
        j = self.skeleton.n_joints
        root = _frozen(self.root_translation, (3,), "root_translation")
        rots = np.array(self.local_rotations, dtype=np.float64)
        if rots.shape != (root.shape[0], j, 4):
            raise ValueError(f"local_rotations must have shape ({root.shape[0]}, {j}, 4)")
        if not np.all(np.isfinite(rots)):
            raise ValueError("local_rotations holds NaN or infinite values")
        norms = np.linalg.norm(rots, axis=-1)
        if np.any(np.abs(norms - 1.0) > 1e-3):
            raise ValueError("local_rotations must be unit quaternions")
        # Only quaternions that are off unit length are rescaled, so a motion rebuilt from
        # another's rotations (a splice, a trim) keeps those frames bit for bit.
        drift = np.abs(norms - 1.0) > 1e-12
        if drift.any():
            rots[drift] = Q.normalize(rots[drift])
        rots.setflags(write=False)
        object.__setattr__(self, "root_translation", root)
        object.__setattr__(self, "local_rotations", rots)
        object.__setattr__(self, "fps", float(self.fps))
        if self.offsets is not None:
            off = np.array(self.offsets, dtype=np.float64)
            if off.shape != (j, 3) or not np.all(np.isfinite(off)):
                raise ValueError(f"offsets must be finite with shape ({j}, 3)")
            off.setflags(write=False)
            object.__setattr__(self, "offsets", off)

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.root_translation.shape[0])

    @property
    def duration(self) -> float:
        """Length in seconds (``n_frames / fps``)."""
        return self.n_frames / self.fps

    @property
    def bone_offsets(self) -> Array:
        """The offsets in use: the per-motion ones, else the skeleton's rest offsets."""
        return self.skeleton.offsets if self.offsets is None else self.offsets

    def with_(self, **changes: object) -> Motion:
        """A copy with some fields replaced (a thin, typed wrapper over ``dataclasses.replace``)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def positions(self) -> Array:
        """(T, J, 3) global joint positions in metres."""
        return forward_kinematics(self)[0]

    def global_rotations(self) -> Array:
        """(T, J, 4) global joint orientations."""
        return forward_kinematics(self)[1]

    def bone_lengths(self) -> Array:
        """(J,) length of the bone ending at each joint (0 for the root)."""
        return np.asarray(np.linalg.norm(self.bone_offsets, axis=-1), dtype=np.float64)


def forward_kinematics_arrays(
    parents: tuple[int, ...] | list[int],
    offsets: Array,
    root_translation: Array,
    local_rotations: Array,
) -> tuple[Array, Array]:
    """Vectorised forward kinematics.

    Parameters
    ----------
    parents
        Parent index per joint (parents first).
    offsets
        (J, 3) or (T, J, 3) offsets from the parent.
    root_translation
        (T, 3) root positions.
    local_rotations
        (T, J, 4) local rotations.

    Returns
    -------
    positions, global_rotations
        (T, J, 3) and (T, J, 4).
    """
    t, j = local_rotations.shape[:2]
    pos = np.empty((t, j, 3), dtype=np.float64)
    glob = np.empty((t, j, 4), dtype=np.float64)
    off = np.broadcast_to(offsets, (t, j, 3))
    for k, p in enumerate(parents):
        if p < 0:
            glob[:, k] = local_rotations[:, k]
            pos[:, k] = root_translation + off[:, k]
        else:
            glob[:, k] = Q.multiply(glob[:, p], local_rotations[:, k])
            pos[:, k] = pos[:, p] + Q.rotate(glob[:, p], off[:, k])
    return pos, glob


def forward_kinematics(motion: Motion) -> tuple[Array, Array]:
    """Global positions (T, J, 3) and orientations (T, J, 4) of ``motion``'s joints."""
    return forward_kinematics_arrays(
        motion.skeleton.parents,
        motion.bone_offsets,
        motion.root_translation,
        motion.local_rotations,
    )


def rest_motion(n_frames: int = 1, fps: float = CANONICAL_FPS) -> Motion:
    """The canonical T-pose held for ``n_frames``, pelvis at its rest height."""
    from inference.motion.skeleton import REST_PELVIS_HEIGHT

    root = np.zeros((n_frames, 3))
    root[:, 1] = REST_PELVIS_HEIGHT
    return Motion(CANONICAL, fps, root, Q.identity((n_frames, CANONICAL.n_joints)))
