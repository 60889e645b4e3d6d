"""Subsequence DTW inside a timing band, on a precomputed cost matrix.

Why our own (about 40 lines) and not a library: the cost matrix must be ours, because a frame
may miss keypoints (NaN features are left out of the pair's cost, not imputed), and the take's
start and end inside the band must be free (a take that is late from count 1 on must not be
dragged back to the reference's first frame). ``dtaidistance`` computes its own Euclidean cost
from the raw series, and ``tslearn``'s precomputed-metric DTW has no free ends; librosa's
``sequence.dtw`` does both, and ``tests/unit/scoring/test_dtw.py`` checks that ours gives the
same path and cost as librosa's with the same steps and weights, but librosa may become a
benchmark-only extra, so the runtime does not depend on it.

Steps: every reference frame ``i`` is matched to exactly one take frame ``j(i)``, with
``j(i) - j(i-1)`` in {0, 1, 2} (the take may hold a pose or go up to twice as fast): the
(1,1) step is free, the other two cost ``step_penalty``. With these steps each row depends
only on the previous one, so a row is one vectorised numpy update.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

STEPS = ((1, 1), (1, 0), (1, 2))
"""(reference, take) steps, in the order of :data:`tests`' librosa ``step_sizes_sigma``."""


def subsequence_dtw(
    cost: Array,
    band: tuple[NDArray[np.integer[Any]], NDArray[np.integer[Any]]] | None = None,
    step_penalty: float = 0.0,
) -> tuple[NDArray[np.int64], float]:
    """Best path of the reference (rows) through the take (columns).

    Parameters
    ----------
    cost
        (n, m) cost of matching reference frame ``i`` with take frame ``j``; ``inf`` forbids.
    band
        ``(lo, hi)``, (n,) each: row ``i`` may only use columns ``lo[i] <= j <= hi[i]``.
    step_penalty
        Added for each step other than the diagonal one.

    Returns
    -------
    path
        (n,) the take frame matched to each reference frame.
    total
        The path's summed cost (penalties included).
    """
    c = np.array(cost, dtype=np.float64)
    n, m = c.shape
    if band is not None:
        cols = np.arange(m)
        lo, hi = band
        c[(cols[None, :] < np.asarray(lo)[:, None]) | (cols[None, :] > np.asarray(hi)[:, None])] = (
            np.inf
        )
    acc = np.full((n, m), np.inf)
    back = np.zeros((n, m), dtype=np.int8)
    acc[0] = c[0]  # a free start anywhere along the take
    for i in range(1, n):
        prev = acc[i - 1]
        options = np.full((3, m), np.inf)
        options[0, 1:] = prev[:-1]
        options[1] = prev + step_penalty
        options[2, 2:] = prev[:-2] + step_penalty
        best = np.argmin(options, axis=0)
        acc[i] = c[i] + options[best, np.arange(m)]
        back[i] = best
    j = int(np.argmin(acc[-1]))  # a free end
    total = float(acc[-1, j])
    if not np.isfinite(total):
        raise ValueError("no path fits inside the band")
    path = np.empty(n, dtype=np.int64)
    for i in range(n - 1, -1, -1):
        path[i] = j
        j -= STEPS[int(back[i, j])][1]
    return path, total
