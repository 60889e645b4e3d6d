"""Kinematic beats of a motion, and motion in *beat time* (a fixed number of samples per beat).

The move library keeps every clip in beat time: sample ``k`` is beat ``k / SAMPLES_PER_BEAT``.
That is the clip played at the canonical tempo (120 BPM at 30 fps), and a single time warp
through the song's beat times puts any clip on any song (:func:`song_beat_position`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.ndimage import gaussian_filter1d

from inference.motion.motion import Motion, forward_kinematics
from inference.motion.resample import sample_at

Array = NDArray[np.float64]

SAMPLES_PER_BEAT = 15
"""Beat-time resolution: 15 samples per beat, i.e. 30 fps at the canonical 120 BPM."""

CANONICAL_BPM = 120.0
"""The tempo at which beat-time samples are 30 fps frames."""

MIN_BEAT_S, MAX_BEAT_S = 0.3, 0.8
"""Kinematic beat periods searched (75..200 BPM)."""


def joint_speed(motion: Motion) -> Array:
    """(T,) mean joint speed in m/s (frame ``k``: between frames ``k-1`` and ``k``; 0 first)."""
    pos = forward_kinematics(motion)[0]
    speed = np.zeros(motion.n_frames)
    speed[1:] = np.linalg.norm(np.diff(pos, axis=0), axis=-1).mean(axis=1) * motion.fps
    return speed


def _period_frames(score: Array, fps: float, period_range: tuple[float, float]) -> float:
    """Dominant period (frames) of ``score`` from its autocorrelation in ``period_range`` s."""
    x = score - score.mean()
    ac = np.correlate(x, x, mode="full")[x.size - 1 :]
    lo, hi = int(period_range[0] * fps), min(int(period_range[1] * fps) + 1, x.size - 1)
    if hi <= lo:
        return period_range[1] * fps
    lags = np.arange(lo, hi)
    # Weight towards ~0.5 s, like a tempo prior, so half and double periods lose ties.
    prior = np.exp(-0.5 * (np.log2(lags / (0.5 * fps)) / 1.0) ** 2)
    return float(lags[np.argmax(ac[lo:hi] * prior)])


def kinematic_beats(
    motion: Motion,
    tightness: float = 30.0,
    period_range: tuple[float, float] = (MIN_BEAT_S, MAX_BEAT_S),
) -> NDArray[np.int64]:
    """Frames of the motion's beats: regular pauses in its joint speed (dynamic programming).

    Like Ellis' beat tracker on an onset curve, but the "onsets" are the moments the body
    comes to rest (speed minima), which is where a dancer's count falls.

    Parameters
    ----------
    tightness
        How strongly beats keep to the dominant period.
    period_range
        Shortest and longest beat period searched, in seconds (a style's known tempo range).
    """
    speed = gaussian_filter1d(joint_speed(motion), 2.0)
    score = (speed.max() - speed) / max(float(np.ptp(speed)), 1e-9)
    period = _period_frames(score, motion.fps, period_range)
    n = score.size
    best = score.copy()
    back = np.full(n, -1, dtype=np.int64)
    for t in range(n):
        lo, hi = max(0, t - int(1.5 * period)), t - int(0.5 * period)
        if hi <= lo:
            continue
        prev = np.arange(lo, hi)
        penalty = -tightness * np.log((t - prev) / period) ** 2
        j = int(np.argmax(best[lo:hi] + penalty))
        best[t] = score[t] + best[lo + j] + penalty[j]
        back[t] = lo + j
    t = int(np.argmax(best[max(0, n - int(period)) :])) + max(0, n - int(period))
    beats = [t]
    while back[t] >= 0:
        t = int(back[t])
        beats.append(t)
    return np.asarray(beats[::-1], dtype=np.int64)


def to_beat_time(motion: Motion, beat_frames: ArrayLike) -> Motion:
    """The part of ``motion`` from its first to last beat, resampled to beat time.

    Between two beats time runs linearly, so every beat lands exactly on a multiple of
    :data:`SAMPLES_PER_BEAT`. The result's ``fps`` is 30 (beat time at 120 BPM).
    """
    beats = np.asarray(beat_frames, dtype=np.float64)
    if beats.size < 2:
        raise ValueError("need at least two beats to resample to beat time")
    k = np.arange((beats.size - 1) * SAMPLES_PER_BEAT + 1) / SAMPLES_PER_BEAT
    frames = np.interp(k, np.arange(beats.size), beats)
    return sample_at(motion, frames, fps=SAMPLES_PER_BEAT * CANONICAL_BPM / 60.0)


def song_beat_position(times: ArrayLike, beat_times: ArrayLike) -> Array:
    """Fractional beat index (0 = first beat) at each time, linear between beats.

    Before the first and after the last beat the position runs on at the nearest beat
    interval, so a pre-roll or an ending keeps the same pace.
    """
    t = np.asarray(times, dtype=np.float64)
    b = np.asarray(beat_times, dtype=np.float64)
    if b.size < 2:
        raise ValueError("need at least two beats")
    pos = np.interp(t, b, np.arange(b.size, dtype=np.float64))
    first, last = b[1] - b[0], b[-1] - b[-2]
    pos = np.where(t < b[0], (t - b[0]) / first, pos)
    return np.where(t > b[-1], b.size - 1 + (t - b[-1]) / last, pos)
