"""How well a pose distance tells "the same dance from another camera" from "another dance".

Given several performances, each seen from several synchronised cameras (AIST++'s 2D
keypoints), every pair of tracks gets one distance: the mean frame distance along a banded
subsequence DTW over the whole overlap. The ROC AUC is the chance that a positive pair (same
performance, two cameras) is closer than a negative pair (two performances, any cameras),
computed exactly as the Mann-Whitney U statistic over all pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import mannwhitneyu

from inference.audio.grid import derive_parts, grid_from_tap_tempo
from inference.scoring.body import BodyTrack
from inference.scoring.compare import WORK_FPS, Features, compare, features_of, frame_distances
from inference.scoring.dtw import subsequence_dtw

Array = NDArray[np.float64]

BAND_S = 0.5


def sequence_distance(a: Features, b: Features, band_s: float = BAND_S) -> float:
    """Mean frame distance of ``a`` against ``b`` (same start), DTW within ``band_s``."""
    n = min(a.n_frames, b.n_frames)
    w = round(band_s * WORK_FPS)
    rows = np.arange(n)
    # Only the band is computed: column j of row i is take frame i - w + j.
    cols = np.clip(rows[:, None] + np.arange(-w, w + 1)[None, :], 0, n - 1)
    dist = frame_distances(a, b, rows[:, None], cols)
    finite = dist[np.isfinite(dist)]
    if finite.size == 0:
        return float("nan")
    band = np.where(np.isfinite(dist), dist, float(np.median(finite)))
    cost = np.full((n, n), np.inf)
    cost[rows[:, None], cols] = band
    path, _ = subsequence_dtw(cost)
    return float(np.mean(cost[rows, path]))


@dataclass(frozen=True, slots=True)
class Separation:
    """ROC AUC and the distances it was computed from."""

    auc: float
    positives: Array
    negatives: Array


def auc(positives: Array, negatives: Array) -> float:
    """P(a positive pair is closer than a negative pair), ties counting half."""
    u = mannwhitneyu(negatives, positives, alternative="two-sided").statistic
    return float(u / (len(positives) * len(negatives)))


def view_separation(
    performances: Sequence[Sequence[BodyTrack]],
    featurise: Callable[[BodyTrack], Features] = features_of,
) -> Separation:
    """AUC over every pair of tracks of ``performances[p][view]`` (module docstring)."""
    feats = [[featurise(view) for view in perf] for perf in performances]
    flat = [(p, f) for p, perf in enumerate(feats) for f in perf]
    pos: list[float] = []
    neg: list[float] = []
    for i in range(len(flat)):
        for k in range(i + 1, len(flat)):
            d = sequence_distance(flat[i][1], flat[k][1])
            if np.isfinite(d):
                (pos if flat[i][0] == flat[k][0] else neg).append(d)
    p, n = np.array(pos), np.array(neg)
    return Separation(auc(p, n), p, n)


def camera_score_gap(
    performances: Sequence[Sequence[BodyTrack]],
    featurise: Callable[[BodyTrack], Features] = features_of,
    camera_pairs: Sequence[tuple[int, int]] = ((0, 4), (1, 6), (2, 7), (3, 8)),
    bpm: float = 120.0,
) -> tuple[Array, Array]:
    """Overall scores (the scorer's own parts, timing and mapping) of the same performance
    from two cameras, and of two different performances from one camera.

    Returns ``(same, other)``: ``same`` has one score per performance and camera pair,
    ``other`` one per pair of neighbouring performances and camera of those pairs.
    """
    feats = [[featurise(view) for view in perf] for perf in performances]
    duration = min(len(v.angles) for perf in feats for v in perf) / WORK_FPS
    grid = grid_from_tap_tempo(bpm, 0.0, duration)
    parts = derive_parts(grid)

    def overall(a: Features, b: Features) -> float:
        return compare(a, b, grid, parts, 0.0).overall

    same = [overall(perf[a], perf[b]) for perf in feats for a, b in camera_pairs]
    n = len(feats)
    cams = sorted({c for pair in camera_pairs for c in pair})
    other = [overall(feats[p][c], feats[(p + 1) % n][c]) for p in range(n) for c in cams]
    return np.array(same), np.array(other)
