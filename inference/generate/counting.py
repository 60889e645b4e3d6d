"""The counts a dancer dances on: the music's beats, or double time for a slow song.

A choreographer counts a slow song (a ballad at 70 BPM, a waltz) in double time: the "and"
between two beats becomes a count, so the body keeps moving at a dancer's pace instead of
crawling through each move. The generator plans and aligns moves on these counts; parts and
sections keep their times, only their counts double.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from inference.audio import Part, SongAnalysis
from inference.audio.grid import BeatGrid

DOUBLE_TIME_BELOW_BPM = 90.0
"""Songs slower than this are danced in double time."""


def dance_counts(analysis: SongAnalysis) -> SongAnalysis:
    """``analysis`` with its beats doubled when the song is slow (else ``analysis`` itself).

    The new counts are the beats and the midpoints between them (plus one after the last beat
    when the song lasts that long); a bar of ``m`` beats becomes ``2m`` counts, every part
    spans twice the counts from the same count 1, and the energy of each beat covers both of
    its counts.
    """
    grid = analysis.grid
    if len(grid.beats) < 2 or grid.tempo_bpm >= DOUBLE_TIME_BELOW_BPM:
        return analysis
    beats = np.asarray(grid.beats, dtype=np.float64)
    after = beats[-1] + 0.5 * (beats[-1] - beats[-2])
    mids = np.append(0.5 * (beats[:-1] + beats[1:]), after)
    n = 2 * len(beats) if after < grid.duration else 2 * len(beats) - 1
    times = np.stack([beats, mids], axis=1).reshape(-1)[:n]
    counts = np.stack([2 * np.asarray(grid.counts) - 1, 2 * np.asarray(grid.counts)], axis=1)
    doubled = BeatGrid(
        tuple(float(t) for t in times),
        tuple(int(c) for c in counts.reshape(-1)[:n]),
        2 * grid.meter,
        grid.duration,
    )
    parts = tuple(
        Part(p.index, p.start, p.end, 2 * p.first_beat, min(2 * p.n_beats, n - 2 * p.first_beat))
        for p in analysis.parts
    )
    energy = tuple(float(e) for e in np.repeat(analysis.energy, 2)[:n]) if analysis.energy else ()
    return replace(
        analysis, grid=doubled, parts=parts, energy=energy, tempo_bpm=2.0 * analysis.tempo_bpm
    )
