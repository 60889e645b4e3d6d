"""Section dynamics: a quiet verse is danced small and a loud chorus big, for whole sections."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from inference.audio import BeatGrid, SongAnalysis
from inference.audio.sections import Section
from inference.generate.dynamics import SECTION_CONTRAST, danced_energy


def _song(loudness: list[float], sections: tuple[Section, ...]) -> SongAnalysis:
    beats = tuple(0.5 * i for i in range(len(loudness)))
    grid = BeatGrid(beats, tuple(i % 4 + 1 for i in range(len(beats))), 4, beats[-1] + 0.5)
    return SongAnalysis(None, grid.duration, grid, 120.0, (), (), sections, tuple(loudness), 0.9)


def test_each_section_is_danced_at_its_own_level_with_the_contrast_stretched() -> None:
    # A verse whose beats swing 0.3..0.5 and a chorus swinging 0.5..0.7; median 0.5.
    loudness = [0.3, 0.5] * 4 + [0.5, 0.7] * 4
    verse, chorus = Section("Verse", 0.0, 4.0, 1, 1), Section("Chorus", 4.0, 8.0, 2, 1)
    danced = danced_energy(_song(loudness, (verse, chorus)))
    # Every beat of a section shares its section's level: no beat-to-beat flicker ...
    assert np.ptp(danced[:8]) == 0.0 and np.ptp(danced[8:]) == 0.0
    # ... and the sections sit SECTION_CONTRAST times further from the median than the music.
    assert np.isclose(danced[0], 0.5 - SECTION_CONTRAST * 0.1)
    assert np.isclose(danced[8], 0.5 + SECTION_CONTRAST * 0.1)


def test_levels_stay_in_range_and_odd_songs_fall_back() -> None:
    loudness = [0.0] * 8 + [1.0] * 8
    song = _song(loudness, (Section("Intro", 0.0, 4.0, 1, 1), Section("Drop", 4.0, 8.0, 2, 1)))
    danced = danced_energy(song)
    assert danced.min() >= 0.0 and danced.max() <= 1.0
    # Without sections each beat keeps its loudness; without loudness, half size throughout.
    assert np.array_equal(danced_energy(replace(song, sections=())), loudness)
    assert np.array_equal(danced_energy(replace(song, energy=())), np.full(16, 0.5))
