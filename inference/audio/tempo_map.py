"""Tempo map: spans of steady tempo, read from the beat grid itself.

Reading the tempo off the beats (rather than off the tempogram) keeps the map consistent with
what the user sees, and keeps it right after the user edits beats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inference.audio.grid import BeatGrid

SMOOTH_BEATS = 8
"""Local tempo is measured over ±8 beats (two bars either side in 4/4): beat times are quantised
to 23 ms frames, which makes single intervals jitter by ~5 %, but the span of 16 beats by 0.3 %."""

TOLERANCE = 0.04
"""A new span starts when the local tempo strays more than 4 % from the current span's mean."""


@dataclass(frozen=True, slots=True)
class TempoSpan:
    """A stretch of steady tempo: ``bpm`` from ``start`` to ``end`` seconds."""

    start: float
    end: float
    bpm: float


def local_tempo(grid: BeatGrid, smooth_beats: int = SMOOTH_BEATS) -> tuple[float, ...]:
    """Tempo in BPM at each beat, from the time spanned by the beats around it.

    The span is robust to jitter but not to a missed or doubled beat, so it is checked against the
    median interval and the median wins where they disagree by more than 10 %.
    """
    b = np.asarray(grid.beats, dtype=np.float64)
    if b.size < 2:
        return tuple(0.0 for _ in grid.beats)
    ibi = np.diff(b)
    out = []
    for i in range(b.size):
        lo = max(0, i - smooth_beats)
        hi = min(b.size - 1, i + smooth_beats)
        span = (b[hi] - b[lo]) / (hi - lo)
        med = float(np.median(ibi[lo:hi]))
        out.append(60.0 / (span if abs(span - med) <= 0.1 * med else med))
    return tuple(out)


def tempo_map(grid: BeatGrid, tolerance: float = TOLERANCE) -> tuple[TempoSpan, ...]:
    """Split the grid into spans of steady tempo.

    A steady song gives one span; a tempo change gives a span on each side; a slow drift gives a
    new span each time it has moved by ``tolerance``.
    """
    bpm = local_tempo(grid)
    if len(bpm) < 2:
        return ()
    spans: list[TempoSpan] = []
    start = 0
    total = bpm[0]
    for i in range(1, len(bpm)):
        mean = total / (i - start)
        if abs(bpm[i] - mean) > tolerance * mean:
            spans.append(TempoSpan(grid.beats[start], grid.beats[i], float(mean)))
            start, total = i, 0.0
        total += bpm[i]
    spans.append(TempoSpan(grid.beats[start], grid.beats[-1], float(total / (len(bpm) - start))))
    # Beat-interval medians lag a real change by a few beats; drop the tiny transition spans.
    return tuple(s for s in spans if s.end - s.start >= 2.0 * 60.0 / s.bpm) or tuple(spans)
