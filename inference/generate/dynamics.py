"""How big each count is danced: the music's loudness, shaped into a routine's dynamics.

Choreographers build a routine in sections: an intro or verse is marked small, a chorus goes
full out. The per-beat loudness of the music (``SongAnalysis.energy``, 0..1) changes from beat
to beat, while a 5-second stretch of it averages out to much the same level everywhere, so a
routine that follows it beat by beat is danced at one middling size all song long. Here each
beat takes its section's mean loudness, and the sections' contrast with the song's median is
stretched by :data:`SECTION_CONTRAST`: the quiet sections are danced calmly and the loud ones
big, for whole phrases. The planner aims its moves' energy at this curve and the assembler
swells the movement with it.

Measured on 10 songs (seeds 0 and 1), against the real pop and street set: following the
beat-by-beat loudness, FID_k was 19.0 and 21.0 for pop and 17.3 and 21.5 for girl crush; with
the sections' contrast stretched 3 times it was 14.5 and 16.9, and 15.9 and 19.1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from inference.audio import SongAnalysis

SECTION_CONTRAST = 3.0
"""How many times a section's loudness above or below the song's median is stretched."""


def danced_energy(analysis: SongAnalysis) -> NDArray[np.float64]:
    """(beats,) how big each beat is danced, 0..1: its section's loudness, contrast stretched.

    Beats outside every section keep their own loudness; a song without per-beat loudness is
    danced at 0.5 throughout.
    """
    beats = np.asarray(analysis.grid.beats, dtype=np.float64)
    loudness = np.asarray(analysis.energy, dtype=np.float64)
    if loudness.size != beats.size:
        return np.full(beats.size, 0.5)
    if not analysis.sections:
        return loudness
    level = loudness.copy()
    for section in analysis.sections:
        inside = (beats >= section.start) & (beats < section.end)
        if inside.any():
            level[inside] = loudness[inside].mean()
    median = float(np.median(loudness))
    return np.asarray(np.clip(median + SECTION_CONTRAST * (level - median), 0.0, 1.0))
