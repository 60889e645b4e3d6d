"""Plain-word corrections from the joint-angle differences along the aligned path.

"left knee: bend more on counts 3–4": for each angle, the signed difference take minus
reference is averaged per count; a run of neighbouring counts whose difference keeps its sign
and exceeds :data:`MIN_ANGLE_ERROR_DEG` is one candidate, ranked by size times length. Timing
(late or early past :data:`MIN_TIMING_MS`) is a candidate too. At most
:data:`MAX_POINTS_PER_PART` are kept per part, largest first.

Every angle is an interior angle in 0..180° (see :mod:`inference.scoring.features`), so a
positive difference means the take opens that angle more than the reference: a straighter
knee, an arm raised higher (the shoulder angle is measured from the trunk's downward line), a
leg kept closer in (the hip's sideways angle is measured from the outward hip line).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from inference.scoring.features import ANGLE_NAMES

Array = NDArray[np.float64]

MIN_ANGLE_ERROR_DEG = 25.0
MIN_TIMING_MS = 80.0
MAX_POINTS_PER_PART = 3

# feature stem -> (body part label, words when the take's angle is too small, too large)
_WORDS = {
    "elbow": ("elbow", "straighten more", "bend more"),
    "shoulder_raise": ("arm", "raise higher", "keep lower"),
    "shoulder_forward": ("arm", "bring more in front", "open more to the side"),
    "hip_raise": ("leg", "lift higher", "keep lower"),
    "hip_out": ("leg", "keep closer in", "take wider"),
    "knee": ("knee", "straighten more", "bend more"),
    "torso_lean": ("upper body", "lean more", "stay more upright"),
    "torso_twist": ("upper body", "twist more", "twist less"),
}
_SIDES = {"l": "left", "r": "right"}


def _describe(feature: str, too_small: bool) -> str:
    stem, _, side = feature.rpartition("_")
    if side not in _SIDES:
        stem, side = feature, ""
    label, small, large = _WORDS[stem]
    who = f"{_SIDES[side]} {label}" if side else label
    return f"{who}: {small if too_small else large}"


def _count_range(counts: Sequence[int]) -> str:
    if len(counts) == 1:
        return f"on count {counts[0]}"
    return f"on counts {counts[0]}–{counts[-1]}"


def part_feedback(
    count_angle_diff_deg: Array, count_numbers: Sequence[int], timing_ms: float
) -> list[str]:
    """Up to :data:`MAX_POINTS_PER_PART` corrections for one part.

    Parameters
    ----------
    count_angle_diff_deg
        (n_counts, 14) mean signed angle difference, take minus reference, in degrees, per
        count (NaN where a count had no visible frames).
    count_numbers
        The count number (1..8) of each row.
    timing_ms
        The part's timing, positive = late.
    """
    candidates: list[tuple[float, str]] = []
    if abs(timing_ms) >= MIN_TIMING_MS:
        words = "late" if timing_ms > 0 else "early"
        advice = "move on the beat" if timing_ms > 0 else "wait for the beat"
        candidates.append((abs(timing_ms) / 4.0, f"{words} by {abs(timing_ms):.0f} ms: {advice}"))
    diff = np.asarray(count_angle_diff_deg, dtype=np.float64)
    for k, feature in enumerate(ANGLE_NAMES):
        run: list[int] = []
        sign = 0.0
        for row in range(diff.shape[0] + 1):
            d = diff[row, k] if row < diff.shape[0] else np.nan
            s = float(np.sign(d)) if np.isfinite(d) and abs(d) >= MIN_ANGLE_ERROR_DEG else 0.0
            if run and s != sign:
                size = float(np.mean(np.abs(diff[run, k])))
                where = _count_range([count_numbers[r] for r in run])
                text = f"{_describe(feature, sign < 0)} {where}"
                candidates.append((size * len(run), text))
                run = []
            if s != 0.0:
                run.append(row)
                sign = s
    candidates.sort(key=lambda c: -c[0])
    return [text for _, text in candidates[:MAX_POINTS_PER_PART]]
