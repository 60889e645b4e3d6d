from __future__ import annotations

import numpy as np
import pytest
from audio_synth import SR, click_times, render

from inference.audio.analysis import analyze_song
from inference.audio.decode import AudioClip


@pytest.mark.parametrize(
    ("meter", "bpm", "first"), [(3, 90.0, 0), (3, 150.0, 2), (4, 120.0, 1), (4, 96.0, 3)]
)
def test_accent_pattern_gives_meter_and_count_one(meter: int, bpm: float, first: int) -> None:
    truth = click_times([(bpm, 24.0)])
    clip = AudioClip.from_array(render(truth, meter=meter, first_downbeat=first), SR)
    analysis = analyze_song(clip)
    assert analysis.meter == meter
    downbeats = truth[first::meter]
    for t in analysis.grid.downbeats[1:-1]:
        assert min(abs(downbeats - t)) < 0.05
    # Parts are two bars: 8 beats in 4/4, 6 in 3/4, each starting on a downbeat.
    full = [p for p in analysis.parts if p.n_beats == 2 * meter]
    assert len(full) >= 2
    assert all(analysis.grid.counts[p.first_beat] == 1 for p in analysis.parts)


def test_the_anova_p_value_is_scipys() -> None:
    from scipy import stats

    from inference.audio.meter import one_way_anova_p

    rng = np.random.default_rng(5)
    for shift in (0.0, 0.1, 0.5, 2.0):
        groups = [rng.normal(shift * g, 1.0, size=9 + g) for g in range(4)]
        expected = stats.f_oneway(*groups).pvalue
        assert abs(one_way_anova_p(groups) - expected) <= 1e-9 * max(1.0, expected)
    flat = [np.full(5, 1.0), np.full(5, 2.0)]
    assert one_way_anova_p(flat) == 0.0  # no spread within groups, different means
    assert np.isnan(one_way_anova_p([np.ones(5), np.ones(5)]))
