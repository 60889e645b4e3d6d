"""Figures of a classifier on held-out files, and the baseline it must beat.

Used by the training script (on the validation files) and by ``tests/benchmarks/bench_style.py``
(on the test files), so both count the same way.

The baseline is a nearest-centroid classifier on hand-crafted kinetic features: the AIST++
kinetic features of each window (per joint horizontal and vertical kinetic energy and energy
expenditure, :func:`~inference.assess.motion_metrics.kinetic_features`, with the physically meant
acceleration), on the same size-scaled positions, standardised with the training windows'
mean and std; a window takes the class whose training centroid is nearest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from inference.assess.motion_metrics import kinetic_features

Array = NDArray[np.float64]
Labels = NDArray[np.int64]


def confusion(
    truth: Sequence[int] | Labels, predicted: Sequence[int] | Labels, n: int
) -> NDArray[np.int64]:
    """(n, n) counts: row = true class, column = predicted class."""
    out = np.zeros((n, n), dtype=np.int64)
    np.add.at(out, (np.asarray(truth, dtype=np.int64), np.asarray(predicted, dtype=np.int64)), 1)
    return out


def recalls(matrix: NDArray[np.int64]) -> Array:
    """Per-class recall (NaN for a class with no examples)."""
    totals = matrix.sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.diag(matrix) / totals)


def balanced_accuracy(truth: Labels, predicted: Labels, n: int) -> float:
    """The mean recall over the classes that have examples."""
    r = recalls(confusion(truth, predicted, n))
    return float(np.nanmean(r))


def kinetic_windows(windows: Array, fps: float = 30.0) -> Array:
    """(N, J * 3) kinetic features of (N, T, J, 3) position windows."""
    return np.stack([kinetic_features(w, fps, reference_quirk=False) for w in windows])


class NearestCentroid:
    """The baseline: standardised kinetic features, nearest class centroid."""

    def __init__(self, features: Array, labels: Labels, n_classes: int) -> None:
        self.mean = features.mean(axis=0)
        self.std = features.std(axis=0) + 1e-9
        z = (features - self.mean) / self.std
        self.centroids = np.stack(
            [z[labels == c].mean(axis=0) if np.any(labels == c) else np.full(z.shape[1], np.inf)
             for c in range(n_classes)]
        )  # fmt: skip

    def predict(self, features: Array) -> Labels:
        """The nearest centroid's class for each row."""
        z = (features - self.mean) / self.std
        d = np.linalg.norm(z[:, None, :] - self.centroids[None], axis=-1)
        return np.asarray(np.argmin(d, axis=1), dtype=np.int64)


def majority(predicted: Labels, n_classes: int) -> int:
    """The class most windows of a file take (ties: the lowest class index)."""
    return int(np.bincount(predicted, minlength=n_classes).argmax())
