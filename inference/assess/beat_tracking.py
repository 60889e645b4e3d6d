"""Beat-tracking F-measure, implemented exactly as ``mir_eval.beat.f_measure`` computes it.

Conventions (mir_eval 0.7/0.8, ``mir_eval.beat.evaluate``):

* Both sequences are first trimmed with ``trim_beats``: beats *before* 5.0 s are dropped, a beat
  at exactly 5.0 s is kept (``beats[beats >= 5.0]``). The reason is that a tracker needs a few
  seconds of context, and annotators disagree most at the start.
* A reference and an estimated beat match when ``|ref - est| <= 0.07`` s (both window ends
  inclusive). Each beat matches at most one beat of the other sequence, and the number of matches
  is the size of a maximum matching.
* ``precision = matches / n_estimated``, ``recall = matches / n_reference`` and F is their harmonic
  mean; F is 0 when either (trimmed) sequence is empty or nothing matches.

We use the same function for downbeats (as the downbeat literature does with mir_eval).
mir_eval is not a dependency: this is the whole of what we need from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

MIN_BEAT_TIME = 5.0
"""mir_eval's default ``trim_beats(min_beat_time=5.0)``."""

F_MEASURE_WINDOW = 0.07
"""mir_eval's default ``f_measure_threshold``: ±70 ms."""

_Times = Sequence[float] | npt.NDArray[np.floating]


def trim_beats(beats: _Times, min_beat_time: float = MIN_BEAT_TIME) -> npt.NDArray[np.float64]:
    """Drop the beats before ``min_beat_time`` seconds (mir_eval's ``trim_beats``)."""
    arr = np.sort(np.asarray(beats, dtype=np.float64).ravel())
    return arr[arr >= min_beat_time]


def count_matches(reference: _Times, estimated: _Times, window: float = F_MEASURE_WINDOW) -> int:
    """Size of a maximum one-to-one matching of events closer than ``window`` seconds.

    mir_eval builds the bipartite "hit" graph and runs Hopcroft-Karp on it. For points on a line
    with a symmetric window that graph is an interval graph, and scanning both sorted sequences
    greedily (match the pair if it is in the window, else advance the earlier event) finds a
    maximum matching too, in linear time.
    """
    ref = np.sort(np.asarray(reference, dtype=np.float64).ravel())
    est = np.sort(np.asarray(estimated, dtype=np.float64).ravel())
    i = j = matches = 0
    while i < ref.size and j < est.size:
        if abs(ref[i] - est[j]) <= window:
            matches += 1
            i += 1
            j += 1
        elif ref[i] < est[j]:
            i += 1
        else:
            j += 1
    return matches


def f_measure(
    reference: _Times,
    estimated: _Times,
    window: float = F_MEASURE_WINDOW,
    min_beat_time: float = MIN_BEAT_TIME,
) -> float:
    """F-measure of ``estimated`` beat times against ``reference`` beat times.

    Parameters
    ----------
    reference, estimated
        Event times in seconds.
    window
        Half-width of the hit window in seconds (mir_eval: 0.07).
    min_beat_time
        Events before this time are ignored in both sequences (mir_eval: 5.0). Pass 0 for clips
        shorter than that, and say so wherever the figure is reported.

    Returns
    -------
    float
        F-measure in 0..1.
    """
    ref = trim_beats(reference, min_beat_time)
    est = trim_beats(estimated, min_beat_time)
    if ref.size == 0 or est.size == 0:
        return 0.0
    matches = count_matches(ref, est, window)
    if matches == 0:
        return 0.0
    precision = matches / est.size
    recall = matches / ref.size
    return 2.0 * precision * recall / (precision + recall)
