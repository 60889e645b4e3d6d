"""Window features for the style classifier: how the body moves, not where, which way or how big.

A motion is cut into windows of :data:`WINDOW` frames (2 s at the canonical 30 fps). For each
window the canonical joint positions are

* computed on the canonical skeleton's bones, the root's path divided by the body's size (the
  length of the leg plus the spine, against the canonical skeleton's), so a 1.55 m and a
  1.90 m dancer doing the same move give the same features, and so do two rigs of different
  proportions;
* made relative to the pelvis, frame by frame (position on the stage is gone), and turned about
  the vertical so that the window's mean heading faces +Z (so is the direction the dancer
  faces), with the turning *inside* the window kept: a pirouette still turns.

Per frame the features are the pelvis-relative positions and their velocities (20 joints x 3
each), the pelvis height above the window's floor, the pelvis velocity in the window's frame
(3) and the turning rate (1): :data:`N_CHANNELS` channels. Everything here is numpy, so the
features can be computed, tested and cached without torch.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from inference.assess.motion_metrics import joint_positions
from inference.errors import UserFacingError
from inference.motion.motion import CANONICAL_FPS, Motion
from inference.motion.resample import resample
from inference.motion.skeleton import CANONICAL

Array = NDArray[np.float64]

WINDOW = 60
"""Frames per window: 2 s at 30 fps, a bar of most dance music."""
MIN_FRAMES = 30
"""The shortest motion that can be classified (1 s); shorter ones are refused."""

_J = CANONICAL.index
_PELVIS = _J("pelvis")
_BODY = [j for j in range(CANONICAL.n_joints) if j != _PELVIS]
_FEET = [_J(f"{b}_{s}") for b in ("ankle", "toe") for s in "lr"]
_MIRROR = np.asarray(CANONICAL.mirror_indices())
_SIZE_CHAIN = [_J(n) for n in ("spine", "chest", "neck", "head", "knee_l", "ankle_l")]
"""Bones whose lengths make the body's size: the spine to the head, and the left leg."""
N_CHANNELS = 2 * 3 * len(_BODY) + 1 + 3 + 1


def body_size(motion: Motion) -> float:
    """The body's size against the canonical skeleton's (1.0 for the 1.70 m rest body)."""
    own = np.linalg.norm(motion.bone_offsets[_SIZE_CHAIN], axis=-1).sum()
    rest = np.linalg.norm(CANONICAL.offsets[_SIZE_CHAIN], axis=-1).sum()
    return float(own / rest)


def scaled_positions(motion: Motion, source: str = "motion", min_frames: int = MIN_FRAMES) -> Array:
    """(T, J, 3) joint positions at 30 fps on the canonical bones, the root path scaled to them.

    Raises
    ------
    UserFacingError
        When the motion is shorter than ``min_frames`` (training plays short clips faster
        and may go below :data:`MIN_FRAMES`) or its joints are not finite; ``source`` (a
        file name) is named in the message.
    """
    if motion.skeleton is not CANONICAL and motion.skeleton.names != CANONICAL.names:
        raise UserFacingError(f"{source}: the motion is not on the studio's skeleton")
    if motion.fps != CANONICAL_FPS:
        motion = resample(motion, CANONICAL_FPS)
    if motion.n_frames < max(min_frames, 2):
        raise UserFacingError(
            f"{source}: {motion.n_frames} frames is too short to classify "
            f"(the style classifier needs at least {min_frames} frames, "
            f"{min_frames / CANONICAL_FPS:.1f} s at 30 fps)"
        )
    # The pose on the canonical bones: every rig's proportions become the same, so the
    # classifier cannot tell datasets apart by their skeletons rather than by their dance.
    size = body_size(motion)
    on_canonical = motion.with_(offsets=None, root_translation=motion.root_translation / size)
    pos = joint_positions(on_canonical)
    if not np.all(np.isfinite(pos)):
        raise UserFacingError(f"{source}: the motion's joint positions hold NaN or infinite values")
    return pos


def mirror_positions(positions: Array) -> Array:
    """Positions of the mirror-image dance (x negated, left and right swapped)."""
    out = positions[:, _MIRROR].copy()
    out[..., 0] *= -1.0
    return out


def heading(positions: Array) -> Array:
    """(..., T) heading about +Y in radians (0 faces +Z), from the hips and the shoulders."""
    left = (
        positions[..., _J("hip_l"), :]
        - positions[..., _J("hip_r"), :]
        + positions[..., _J("shoulder_l"), :]
        - positions[..., _J("shoulder_r"), :]
    )
    # forward = left x up: (lx, 0, lz) x (0, 1, 0) = (-lz, 0, lx)
    return np.asarray(np.arctan2(-left[..., 2], left[..., 0]))


def window_starts(n_frames: int, hop: int) -> NDArray[np.int64]:
    """First frames of the windows covering ``n_frames`` (one window for short motions)."""
    if n_frames <= WINDOW:
        return np.zeros(1, dtype=np.int64)
    starts = np.arange(0, n_frames - WINDOW + 1, hop)
    if starts[-1] != n_frames - WINDOW:  # the tail gets its own window
        starts = np.append(starts, n_frames - WINDOW)
    return starts.astype(np.int64)


def fit_length(positions: Array) -> Array:
    """Positions of at least :data:`WINDOW` frames: a short motion is played on, back and forth.

    Played backwards at its end (a palindrome), so speeds stay continuous; real motions of
    1-2 s (a Mixamo flair) thus fill a window without a frozen tail.
    """
    out = positions
    while out.shape[0] < WINDOW:
        out = np.concatenate([out, out[::-1][1:]], axis=0)
    return out


def cut_windows(positions: Array, starts: NDArray[np.int64]) -> Array:
    """(N, WINDOW, J, 3) windows of ``positions`` (already :func:`fit_length`) at ``starts``."""
    index = starts[:, None] + np.arange(WINDOW)[None, :]
    return np.asarray(positions[index])


def window_features(windows: Array, fps: float = CANONICAL_FPS) -> Array:
    """(N, N_CHANNELS, WINDOW) float32 features of (N, WINDOW, J, 3) scaled position windows."""
    n, t = windows.shape[:2]
    head = heading(windows)  # (N, T)
    mean = np.arctan2(np.sin(head).mean(axis=1), np.cos(head).mean(axis=1))
    c, s = np.cos(mean)[:, None, None], np.sin(mean)[:, None, None]
    x, z = windows[..., 0], windows[..., 2]
    # Turn by -mean about +Y: the heading vector (sin h, cos h) goes to (0, 1) for h = mean.
    turned = np.stack([c * x - s * z, windows[..., 1], s * x + c * z], axis=-1)
    pelvis = turned[:, :, _PELVIS : _PELVIS + 1]
    rel = (turned - pelvis)[:, :, _BODY].reshape(n, t, -1)
    rel_vel = np.gradient(rel, axis=1) * fps
    floor = turned[:, :, _FEET, 1].min(axis=(1, 2))[:, None]
    height = turned[:, :, _PELVIS, 1] - floor
    root_vel = np.gradient(pelvis[:, :, 0], axis=1) * fps  # (N, T, 3)
    turn_rate = np.gradient(np.unwrap(head, axis=1), axis=1) * fps
    frames = np.concatenate(
        [rel, rel_vel, height[..., None], root_vel, turn_rate[..., None]], axis=-1
    )
    return np.ascontiguousarray(frames.transpose(0, 2, 1), dtype=np.float32)


def motion_windows(
    motion: Motion, hop: int, source: str = "motion"
) -> tuple[Array, NDArray[np.int64]]:
    """Features (N, N_CHANNELS, WINDOW) of ``motion``'s windows every ``hop`` frames, and starts.

    Starts are frames of the motion at 30 fps; for a motion shorter than a window, the one
    window starts at 0 and covers the motion played back and forth.
    """
    pos = scaled_positions(motion, source)
    starts = window_starts(pos.shape[0], hop)
    return window_features(cut_windows(fit_length(pos), starts)), starts
