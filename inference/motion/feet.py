"""Feet: grounding, contact detection and foot locking with two-bone leg IK."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from inference.motion import quaternions as Q
from inference.motion.motion import Motion, forward_kinematics
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

ANKLE_CONTACT_HEIGHT = 0.08
"""An ankle at most this high above the floor (metres) may be in contact (DESIGN.md)."""
TOE_CONTACT_HEIGHT = 0.05
"""A toe at most this high above the floor (metres) may be in contact (DESIGN.md)."""
TOE_CLEARANCE = 0.02
"""Height of the toe joint above the sole when the foot is flat (canonical rest)."""

_FEET = (
    ("l", CANONICAL.index("hip_l"), CANONICAL.index("knee_l"), CANONICAL.index("ankle_l")),
    ("r", CANONICAL.index("hip_r"), CANONICAL.index("knee_r"), CANONICAL.index("ankle_r")),
)
_ANKLES = [CANONICAL.index("ankle_l"), CANONICAL.index("ankle_r")]
_TOES = [CANONICAL.index("toe_l"), CANONICAL.index("toe_r")]


def _lowest_foot_point(positions: Array) -> Array:
    """(T,) height of the lowest ankle/toe joint, toe clearance removed."""
    toe = positions[:, _TOES, 1].min(axis=1) - TOE_CLEARANCE
    ankle = positions[:, _ANKLES, 1].min(axis=1) - TOE_CLEARANCE
    return np.asarray(np.minimum(toe, ankle), dtype=np.float64)


def _shift_y(motion: Motion, dy: Array | float) -> Motion:
    root = motion.root_translation.copy()
    root[:, 1] += dy
    return motion.with_(root_translation=root)


def ground(motion: Motion, percentile: float = 10.0) -> Motion:
    """Shift the whole motion vertically so the feet touch the floor (y = 0) when standing.

    The floor is taken as a low percentile of the per-frame lowest foot point (not the
    minimum, so a few frames of a foot dipping through the floor do not lift everything).
    """
    low = _lowest_foot_point(forward_kinematics(motion)[0])
    return _shift_y(motion, -float(np.percentile(low, percentile)))


def follow_floor(motion: Motion, window_seconds: float = 1.0) -> Motion:
    """Keep the feet on the floor when the source's height drifts (noisy position capture).

    The floor under the dancer is the running median of the lowest foot point over
    ``window_seconds``, smoothed. A median follows a slow drift without lag and ignores a jump
    that lasts under half the window, so such a jump keeps its height.
    """
    from scipy.ndimage import gaussian_filter1d, median_filter

    low = _lowest_foot_point(forward_kinematics(motion)[0])
    size = max(3, round(window_seconds * motion.fps) | 1)
    floor = median_filter(low, size=size, mode="nearest")
    floor = gaussian_filter1d(floor, size / 6.0, mode="nearest")
    return _shift_y(motion, -floor)


def ground_per_frame(motion: Motion) -> Motion:
    """Put the lowest foot on the floor in every frame (for sources with no vertical travel)."""
    low = _lowest_foot_point(forward_kinematics(motion)[0])
    return _shift_y(motion, -low)


def foot_contacts(
    motion: Motion,
    floor: float = 0.0,
    max_speed: float = 0.5,
    ankle_height: float = ANKLE_CONTACT_HEIGHT,
    toe_height: float = TOE_CONTACT_HEIGHT,
) -> BoolArray:
    """(T, 2) contact flags for the (left, right) foot.

    A foot is in contact when its ankle is at most 8 cm and its toe at most 5 cm above the
    floor, and its ankle moves horizontally slower than ``max_speed`` m/s.
    """
    pos = forward_kinematics(motion)[0]
    return contacts_from_positions(pos, motion.fps, floor, max_speed, ankle_height, toe_height)


def contacts_from_positions(
    positions: Array,
    fps: float,
    floor: float = 0.0,
    max_speed: float | None = 0.5,
    ankle_height: float = ANKLE_CONTACT_HEIGHT,
    toe_height: float = TOE_CONTACT_HEIGHT,
) -> BoolArray:
    """Contact flags (T, 2) from canonical joint positions; ``max_speed=None`` skips speed."""
    ankle = positions[:, _ANKLES]
    toe = positions[:, _TOES]
    low = (ankle[..., 1] - floor <= ankle_height) & (toe[..., 1] - floor <= toe_height)
    if max_speed is None:
        return np.asarray(low, dtype=bool)
    step = np.zeros(low.shape)
    if positions.shape[0] > 1:
        d = np.linalg.norm(np.diff(ankle[..., [0, 2]], axis=0), axis=-1) * fps
        step[1:] = d
        step[0] = d[0]
    return np.asarray(low & (step <= max_speed), dtype=bool)


def foot_centres(positions: Array) -> Array:
    """(T, 2, 3) the centre of the (left, right) foot, midway from ankle to toe: the point the
    foot lock pins and the skating measure follows."""
    return np.asarray(0.5 * (positions[:, _ANKLES] + positions[:, _TOES]))


def _runs(flags: BoolArray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True values."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def two_bone_ik(
    root: Array, mid: Array, end: Array, target: Array, hint: Array | None = None
) -> Array:
    """New middle-joint positions (T, 3) so a two-bone chain reaches ``target``.

    Bone lengths are kept; the chain bends in the plane holding the current middle joint
    (or ``hint`` where the chain is straight). Unreachable targets get the nearest pose.
    """
    l1 = np.linalg.norm(mid - root, axis=-1)
    l2 = np.linalg.norm(end - mid, axis=-1)
    d = target - root
    dist = np.linalg.norm(d, axis=-1)
    dist_c = np.clip(dist, np.abs(l1 - l2) + 1e-6, l1 + l2 - 1e-6)
    dhat = d / np.maximum(dist, 1e-9)[:, None]
    perp = (mid - root) - np.sum((mid - root) * dhat, axis=-1, keepdims=True) * dhat
    if hint is not None:
        weak = np.linalg.norm(perp, axis=-1) < 1e-4
        perp[weak] = (
            hint[weak] - np.sum(hint[weak] * dhat[weak], axis=-1, keepdims=True) * dhat[weak]
        )
    perp /= np.maximum(np.linalg.norm(perp, axis=-1, keepdims=True), 1e-9)
    cos_a = np.clip((l1**2 + dist_c**2 - l2**2) / (2 * l1 * dist_c), -1.0, 1.0)
    sin_a = np.sqrt(1.0 - cos_a**2)
    return np.asarray(root + l1[:, None] * (cos_a[:, None] * dhat + sin_a[:, None] * perp))


def foot_lock(
    motion: Motion,
    contacts: BoolArray | None = None,
    blend_frames: int = 3,
    min_run: int = 3,
) -> Motion:
    """Remove foot sliding: pin each foot during its contacts and re-solve the leg by IK.

    Each contact run holds the centre of its foot (midway from ankle to toe) at the run's
    mean horizontal position (heights as in the source); the pin eases in and out over
    ``blend_frames`` so nothing pops. Hip and knee are re-solved with two-bone IK that keeps
    the knee's bending plane; the foot keeps its global orientation, so a foot that turns while
    planted pivots about its centre instead of sweeping its toe across the floor (pinning the
    ankle left a turning foot's centre sliding: 4 of every 100 contact frames of a generated
    pop routine).
    """
    if contacts is None:
        contacts = foot_contacts(motion)
    pos, glob = forward_kinematics(motion)
    t = motion.n_frames
    local = motion.local_rotations.copy()
    parents = CANONICAL.parents
    centres = foot_centres(pos)
    for side, (_, hip, knee, ankle) in enumerate(_FEET):
        flags = contacts[:, side]
        weight = np.zeros(t)
        centre = centres[:, side]
        locked = centre.copy()
        for a, b in _runs(flags):
            if b - a < min_run:
                continue
            lo, hi = max(0, a - blend_frames), min(t, b + blend_frames)
            mean_xz = centre[a:b][:, [0, 2]].mean(axis=0)
            locked[lo:hi, 0] = mean_xz[0]
            locked[lo:hi, 2] = mean_xz[1]
            ramp = np.ones(hi - lo)
            for k in range(hi - lo):
                f = lo + k
                if f < a:
                    ramp[k] = (f - lo + 1) / (a - lo + 1)
                elif f >= b:
                    ramp[k] = (hi - f) / (hi - b + 1)
            weight[lo:hi] = np.maximum(weight[lo:hi], ramp)
        if not np.any(weight > 0):
            continue
        # The ankle moves with the foot's centre: (locked - centre) is horizontal.
        target = pos[:, ankle] + (locked - centre) * weight[:, None]
        hint = Q.rotate(glob[:, hip], np.broadcast_to([0.0, 0.0, 1.0], (t, 3)))
        new_knee = two_bone_ik(pos[:, hip], pos[:, knee], pos[:, ankle], target, hint)
        hip_swing = Q.between(pos[:, knee] - pos[:, hip], new_knee - pos[:, hip])
        g_hip = Q.multiply(hip_swing, glob[:, hip])
        g_knee0 = Q.multiply(hip_swing, glob[:, knee])
        shin_now = Q.rotate(hip_swing, pos[:, ankle] - pos[:, knee])
        g_knee = Q.multiply(Q.between(shin_now, target - new_knee), g_knee0)
        local[:, hip] = Q.multiply(Q.conjugate(glob[:, parents[hip]]), g_hip)
        local[:, knee] = Q.multiply(Q.conjugate(g_hip), g_knee)
        local[:, ankle] = Q.multiply(Q.conjugate(g_knee), glob[:, ankle])
    return motion.with_(local_rotations=local)
