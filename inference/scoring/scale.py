"""The published mapping from pose distance to a 40–100 score, and the timing penalty.

Distance
--------
For one pair of frames (reference, take), the distance is

    d = 0.5 * mean |angle difference| (radians, over the 14 joint angles)
      + 0.5 * mean |limb-end offset| (torso lengths, over wrists and ankles)

leaving out what either frame did not see (:mod:`inference.scoring.features`). A part's (or a
count's) distance is the mean of ``d`` along the aligned path.

Score
-----
    score = 40 + 60 * exp(-max(0, d - floor) / scale)

``floor`` absorbs keypoint jitter (a take this close is a perfect 100); ``scale`` sets how fast
the score falls. The same two numbers (0.05, 0.35) serve the joint-angle distance and the view
embedding's 1 - cosine (:data:`ANGLES`, :data:`EMBEDDING`). They were calibrated on two real
pairs only, Perfume's ``aachan.bvh`` against ``kashiyuka.bvh`` (the same routine danced by two
people: d = 0.147 in 3D, 0.143 with the embedding filmed from the front) and ``aachan.bvh``
against ``A_test.bvh`` (another routine: 0.548 and 0.672): the two members score 84-85 and the
other routine 48-52. Held out from calibration, ``B_test``, ``C_test`` and the Bandai Namco
dance score 42-54 against aachan (``tests/benchmarks/bench_scoring.py``, which prints the
whole table; ``tests/unit/scoring/test_calibration.py`` holds the figures).

Timing
------
A part (or count) late or early by more than :data:`TIMING_GRACE_MS` loses
:data:`TIMING_POINTS_PER_100MS` points per further 100 ms, at most
:data:`MAX_TIMING_PENALTY`, and never goes below 40: a dancer late all the way through does
not get 100 for the right poses at the wrong time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_SCORE = 40.0
MAX_SCORE = 100.0


@dataclass(frozen=True, slots=True)
class Mapping:
    """``floor`` and ``scale`` of the score formula, for one kind of distance."""

    floor: float
    scale: float


ANGLES = Mapping(floor=0.05, scale=0.35)
"""For the joint-angle and limb-end distance (module docstring)."""
EMBEDDING = Mapping(floor=0.05, scale=0.35)
"""For the view embedding's 1 - cosine distance, calibrated the same way."""
TIMING_GRACE_MS = 100.0
TIMING_POINTS_PER_100MS = 5.0
MAX_TIMING_PENALTY = 20.0


def score_from_distance(d: float, mapping: Mapping = ANGLES) -> float:
    """40..100 from a mean frame distance (module docstring); NaN stays NaN."""
    if not np.isfinite(d):
        return float("nan")
    fall = max(0.0, d - mapping.floor) / mapping.scale
    return MIN_SCORE + (MAX_SCORE - MIN_SCORE) * float(np.exp(-fall))


def timing_penalty(timing_ms: float) -> float:
    """Points taken off for being late or early (module docstring)."""
    if not np.isfinite(timing_ms):
        return 0.0
    over = max(0.0, abs(timing_ms) - TIMING_GRACE_MS)
    return min(MAX_TIMING_PENALTY, TIMING_POINTS_PER_100MS * over / 100.0)


def with_timing(score: float, timing_ms: float) -> float:
    """``score`` less the timing penalty, kept in 40..100."""
    if not np.isfinite(score):
        return score
    return max(MIN_SCORE, score - timing_penalty(timing_ms))
