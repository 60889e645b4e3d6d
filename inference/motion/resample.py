"""Frame-rate conversion and time warping: slerp for rotations, lerp for translation."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from inference.motion import quaternions as Q
from inference.motion.motion import CANONICAL_FPS, Motion

Array = NDArray[np.float64]


def sample_at(motion: Motion, source_frames: ArrayLike, fps: float | None = None) -> Motion:
    """A motion whose frame ``i`` is ``motion`` evaluated at fractional frame ``source_frames[i]``.

    Parameters
    ----------
    motion
        The motion to sample.
    source_frames
        (N,) fractional frame indices into ``motion``; clamped to its range.
    fps
        Frame rate of the result (default: the source's).
    """
    f = np.clip(np.asarray(source_frames, dtype=np.float64), 0.0, motion.n_frames - 1)
    if f.ndim != 1 or f.size == 0:
        raise ValueError("source_frames must be a non-empty 1-D array")
    i0 = np.floor(f).astype(np.int64)
    i1 = np.minimum(i0 + 1, motion.n_frames - 1)
    w = f - i0
    root = motion.root_translation
    new_root = root[i0] + (root[i1] - root[i0]) * w[:, None]
    rots = motion.local_rotations
    new_rots = Q.slerp(rots[i0], rots[i1], np.broadcast_to(w[:, None], rots[i0].shape[:2]))
    return Motion(
        motion.skeleton,
        motion.fps if fps is None else fps,
        new_root,
        new_rots,
        motion.offsets,
    )


def resample(motion: Motion, fps: float = CANONICAL_FPS) -> Motion:
    """Convert ``motion`` to ``fps`` frames per second, keeping its duration.

    The result covers the same span from the first to the last source frame: frame ``k`` of
    the result is source time ``k / fps``.
    """
    if not (np.isfinite(fps) and fps > 0):
        raise ValueError("fps must be positive")
    if abs(fps / motion.fps - 1.0) < 1e-4:
        # Frame times written with 7 decimals (0.0333333) are this rate, not a new one.
        return motion if fps == motion.fps else motion.with_(fps=fps)
    span = (motion.n_frames - 1) / motion.fps
    n_out = int(np.floor(span * fps + 1e-6)) + 1
    frames = np.arange(n_out) * (motion.fps / fps)
    return sample_at(motion, frames, fps)


def change_speed(motion: Motion, factor: float) -> Motion:
    """Play ``motion`` ``factor`` times faster (2 = twice as fast, half as long), same fps."""
    if not (np.isfinite(factor) and factor > 0):
        raise ValueError("speed factor must be positive")
    n_out = max(1, int(np.floor((motion.n_frames - 1) / factor + 1e-6)) + 1)
    return sample_at(motion, np.arange(n_out) * factor)


def time_warp(motion: Motion, source_times: ArrayLike) -> Motion:
    """Resample ``motion`` through a monotone time map.

    Parameters
    ----------
    source_times
        (N,) source time in seconds for each output frame (at ``motion.fps``). Must be
        non-decreasing, so the dance never runs backwards.
    """
    s = np.asarray(source_times, dtype=np.float64)
    if s.ndim != 1 or s.size == 0 or not np.all(np.isfinite(s)):
        raise ValueError("source_times must be a non-empty finite 1-D array")
    if np.any(np.diff(s) < 0):
        raise ValueError("time map must be non-decreasing (monotone)")
    return sample_at(motion, s * motion.fps)
