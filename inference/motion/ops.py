"""Editing operations on a :class:`Motion`: every function returns a new Motion.

Facing convention: a body faces the direction its pelvis rotates the rest forward (+Z) to,
projected on the floor. "Facing the audience" means facing +Z.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.motion import quaternions as Q
from inference.motion.motion import Motion, forward_kinematics
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

TPOSE_TOLERANCE_DEG = 25.0
"""How far (degrees) an arm bone may stray from sideways, or a leg from down, in a T-pose."""
LOOSE_TPOSE_DEG = 35.0
"""The same for a loose T-pose, as AIST++'s dancers stand in it before some takes: a capture's
calibration pose, which neither a move library nor a real reference set should take for dance."""


def trim(motion: Motion, start: int, stop: int) -> Motion:
    """Frames ``start`` (inclusive) to ``stop`` (exclusive), like a Python slice of frames."""
    start, stop, _ = slice(start, stop).indices(motion.n_frames)
    if stop - start < 1:
        raise ValueError("trim would leave no frames")
    return motion.with_(
        root_translation=motion.root_translation[start:stop],
        local_rotations=motion.local_rotations[start:stop],
    )


def is_tpose(motion: Motion, tolerance_deg: float = TPOSE_TOLERANCE_DEG) -> NDArray[np.bool_]:
    """(T,) flags: frames in which the body stands in a T-pose (see :func:`tpose_frames`)."""
    return tpose_frames(forward_kinematics(motion)[0], tolerance_deg)


def tpose_frames(pos: Array, tolerance_deg: float = TPOSE_TOLERANCE_DEG) -> NDArray[np.bool_]:
    """(T,) flags: frames of (T, J, 3) canonical joint positions that stand in a T-pose.

    Both upper arms and forearms point sideways, away from the body, along the hip-to-hip
    axis, and both legs (hip to ankle) point straight down, each within ``tolerance_deg``.
    """
    idx = CANONICAL.index

    def unit(a: str, b: str) -> Array:
        d = pos[:, idx(b)] - pos[:, idx(a)]
        return np.asarray(d / np.maximum(np.linalg.norm(d, axis=-1, keepdims=True), 1e-9))

    left = unit("hip_r", "hip_l")
    cos_tol = np.cos(np.radians(tolerance_deg))
    ok = np.ones(pos.shape[0], dtype=bool)
    for s, sign in (("l", 1.0), ("r", -1.0)):
        for a, b in ((f"shoulder_{s}", f"elbow_{s}"), (f"elbow_{s}", f"wrist_{s}")):
            ok &= sign * np.sum(unit(a, b) * left, axis=-1) >= cos_tol
        ok &= -unit(f"hip_{s}", f"ankle_{s}")[:, 1] >= cos_tol
    return ok


def drop_leading_tpose(motion: Motion, tolerance_deg: float = TPOSE_TOLERANCE_DEG) -> Motion:
    """The motion without the T-pose frames it starts with (if any; at least one frame stays).

    Mocap exports often prepend a T-pose as frame 0 (for retargeting in the tool that made
    them); an importer keeps it, to stay faithful to the file, and whoever cuts moves drops it.
    """
    flags = is_tpose(motion, tolerance_deg)
    first = int(np.argmin(flags)) if not flags.all() else motion.n_frames - 1
    return trim(motion, first, motion.n_frames) if first else motion


def split(motion: Motion, frame: int) -> tuple[Motion, Motion]:
    """Two motions: frames before ``frame`` and from ``frame`` on (both must be non-empty)."""
    if not 0 < frame < motion.n_frames:
        raise ValueError(f"split frame must lie in 1..{motion.n_frames - 1}")
    return trim(motion, 0, frame), trim(motion, frame, motion.n_frames)


def translate(motion: Motion, offset: ArrayLike) -> Motion:
    """Move the whole motion by ``offset`` (3,) metres."""
    off = np.asarray(offset, dtype=np.float64).reshape(3)
    return motion.with_(root_translation=motion.root_translation + off)


def rotate_about_y(motion: Motion, angle: float, pivot: ArrayLike | None = None) -> Motion:
    """Turn the whole motion by ``angle`` radians about the vertical through ``pivot`` (x, z).

    ``pivot`` defaults to the mean root position, so the dancer turns on the spot.
    """
    root = motion.root_translation
    piv = root.mean(axis=0) if pivot is None else np.asarray(pivot, dtype=np.float64)
    centre = np.array([piv[0], 0.0, piv[-1]])
    q = Q.about_y(angle)
    new_root = Q.rotate(q, root - centre) + centre
    rots = motion.local_rotations.copy()
    rots[:, 0] = Q.multiply(q, rots[:, 0])
    return motion.with_(root_translation=new_root, local_rotations=rots)


def facing_angles(motion: Motion) -> Array:
    """(T,) heading of the pelvis in radians about +Y; 0 means facing +Z."""
    return Q.yaw_of(motion.local_rotations[:, 0])


def mean_facing(motion: Motion) -> float:
    """Circular mean of :func:`facing_angles` (radians)."""
    a = facing_angles(motion)
    return float(np.arctan2(np.sin(a).mean(), np.cos(a).mean()))


def face_audience(motion: Motion) -> Motion:
    """Turn the motion about its mean root position so its mean facing is +Z."""
    return rotate_about_y(motion, -mean_facing(motion))


def place(motion: Motion, x: float = 0.0, z: float = 0.0) -> Motion:
    """Move the motion on the floor so its first frame's root stands at (x, z)."""
    r0 = motion.root_translation[0]
    return translate(motion, (x - r0[0], 0.0, z - r0[2]))


def mirror(motion: Motion) -> Motion:
    """Swap left and right and reflect across the sagittal (x = 0) plane.

    A reflection x -> -x maps a rotation quaternion (w, x, y, z) to (w, x, -y, -z). Applied to
    root translation, local rotations and offsets (with left/right swapped), so FK of the result
    is the mirror image of FK of the input; mirroring twice gives the input back exactly.
    """
    m = motion.skeleton.mirror_indices()
    flip = np.array([1.0, 1.0, -1.0, -1.0])
    rots = motion.local_rotations[:, m] * flip
    root = motion.root_translation * np.array([-1.0, 1.0, 1.0])
    offsets = None
    if motion.offsets is not None:
        offsets = motion.offsets[m] * np.array([-1.0, 1.0, 1.0])
    return motion.with_(root_translation=root, local_rotations=rots, offsets=offsets)


def _seam_velocity(motion: Motion, frames: slice) -> float:
    pos = forward_kinematics(trim(motion, frames.start, frames.stop))[0]
    if pos.shape[0] < 2:
        return 0.0
    return float(np.linalg.norm(np.diff(pos, axis=0), axis=-1).max())


def align_to_end(first: Motion, second: Motion) -> Motion:
    """Move and turn ``second`` so it starts where and facing how ``first`` ends."""
    turn = float(facing_angles(first)[-1] - facing_angles(second)[0])
    turned = rotate_about_y(second, turn, pivot=second.root_translation[0])
    shift = first.root_translation[-1] - turned.root_translation[0]
    shift[1] = 0.0
    return translate(turned, shift)


def concatenate(
    first: Motion,
    second: Motion,
    blend_frames: int = 10,
    align: bool = True,
    max_blend_frames: int = 60,
) -> Motion:
    """Join two motions with a cross-faded transition, so the seam does not pop.

    Parameters
    ----------
    blend_frames
        Minimum number of overlapping frames that are cross-faded (smoothstep weights, slerp
        for rotations). The overlap grows, up to ``max_blend_frames`` and half of either clip,
        when the two poses differ a lot: a cross-fade over N frames adds about
        1.5 * (pose gap) / N per frame, so N is chosen to keep that under half the clips' own
        per-frame joint speed near the seam.
    align
        First move and turn ``second`` so it starts where ``first`` ends (see
        :func:`align_to_end`).

    Returns
    -------
    Motion
        ``first.n_frames + second.n_frames - N`` frames, at ``first``'s fps, with ``first``'s
        bone offsets.

    Notes
    -----
    Measured bound (tests/unit/motion/test_ops.py): across the transition the largest per-frame
    joint displacement stays within 1.5x the largest per-frame displacement of either clip in
    the second before/after the seam.
    """
    if first.skeleton is not second.skeleton:
        raise ValueError("both motions must use the same skeleton")
    if abs(first.fps - second.fps) > 1e-6:
        raise ValueError("both motions must have the same fps; resample first")
    b = second.with_(offsets=first.offsets)
    if align:
        b = align_to_end(first, b)
    limit = min(max_blend_frames, first.n_frames // 2, b.n_frames // 2)
    if limit < 1:
        root = np.concatenate([first.root_translation, b.root_translation])
        rots = np.concatenate([first.local_rotations, b.local_rotations])
        return first.with_(root_translation=root, local_rotations=rots)
    window = round(first.fps)
    speed = max(
        _seam_velocity(first, slice(max(0, first.n_frames - window), first.n_frames)),
        _seam_velocity(b, slice(0, min(window, b.n_frames))),
        1e-3,
    )
    n = max(1, min(blend_frames, limit))
    while n < limit:
        pa = forward_kinematics(trim(first, first.n_frames - n, first.n_frames))[0]
        pb = forward_kinematics(trim(b, 0, n))[0]
        gap = float(np.linalg.norm(pa - pb, axis=-1).max())
        if 1.5 * gap / n <= 0.5 * speed:
            break
        n = min(limit, n + max(1, n // 2))
    s = np.arange(1, n + 1) / (n + 1)
    w = s * s * (3.0 - 2.0 * s)
    ra = first.root_translation[-n:]
    rb = b.root_translation[:n]
    root_mid = ra + (rb - ra) * w[:, None]
    qa = first.local_rotations[-n:]
    qb = b.local_rotations[:n]
    rot_mid = Q.slerp(qa, qb, np.broadcast_to(w[:, None], qa.shape[:2]))
    root = np.concatenate([first.root_translation[:-n], root_mid, b.root_translation[n:]])
    rots = np.concatenate([first.local_rotations[:-n], rot_mid, b.local_rotations[n:]])
    return first.with_(root_translation=root, local_rotations=rots)
